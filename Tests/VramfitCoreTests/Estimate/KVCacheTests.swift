import Testing
@testable import VramfitCore

@Suite struct KVCacheTests {
    /// The worked example: 32 layers × 8192 × 8 KV heads × 128 × 2 (K,V) × 2 bytes = 1 GiB.
    @Test func llama31_8bAt8kIsOneGiB() throws {
        let e = try Fixtures.estimate(Fixtures.llama31_8b, Workload(context: 8192, kvCacheType: "fp16"))
        #expect(e.bytes(.kvCache) == ByteCount(Int64(32 * 8192 * 8 * 128 * 2 * 2)))
        #expect(e.bytes(.kvCache) == .gib(Int64(1)))
    }

    @Test func batchMultipliesAndFp8Halves() throws {
        let e = try Fixtures.estimate(Fixtures.llama31_8b, Workload(context: 8192, batch: 4, kvCacheType: "fp8"))
        #expect(e.bytes(.kvCache) == .gib(Int64(2)))  // 4 × 1 GiB / 2
    }

    /// q8_0 stores 32 values in 34 bytes: 1024 values per K row → 32 blocks → 1088 bytes.
    @Test func q8_0BlockArithmetic() {
        let kv = KVCacheSize(model: Fixtures.llama31_8b, type: Fixtures.kvTypes[4], latentMLA: true)
        #expect(kv.bytesPerTokenPerLayer == ByteCount(Int64(2 * 1088)))
    }

    /// MLA caches one latent of kv_lora_rank + rope dim per token per layer: (512 + 64) × 2 B × 61 = 70,272 B.
    @Test func mlaLatent() {
        let kv = KVCacheSize(model: Fixtures.deepseekV3, type: Fixtures.kvTypes[0], latentMLA: true)
        #expect(kv.bytesPerToken(layers: Array(0..<61)) == ByteCount(Int64(70_272)))
        // transformers' DeepseekV3 attention caches per-head K (128+64) and V (128): 128 × 320 × 2 B per layer.
        let full = KVCacheSize(model: Fixtures.deepseekV3, type: Fixtures.kvTypes[0], latentMLA: false)
        #expect(full.bytesPerTokenPerLayer == ByteCount(Int64(128 * 320 * 2)))
    }

    /// Gemma-2-9B at 8192: 21 sliding layers hold 4096 tokens, 21 full layers 8192;
    /// per layer per token 8 heads × 256 × 2 × 2 B = 8192 B.
    @Test func slidingWindowLayersCapAtWindow() throws {
        let e = try Fixtures.estimate(Fixtures.gemma2_9b, Workload(context: 8192, kvCacheType: "fp16"))
        let expected: Int64 = 21 * 4096 * 8192 + 21 * 8192 * 8192
        #expect(e.bytes(.kvCache) == ByteCount(expected))
    }

    /// Tensor parallel 4 splits 8 KV heads into 2 per rank; 16 ranks replicate one head each (vLLM).
    @Test func tensorParallelSplitsAndReplicatesHeads() {
        let t = Fixtures.kvTypes[0]
        #expect(KVCacheSize(model: Fixtures.llama31_8b, type: t, latentMLA: true, tensorParallel: 4).bytesPerTokenPerLayer == ByteCount(Int64(2 * 128 * 2 * 2)))
        #expect(KVCacheSize(model: Fixtures.llama31_8b, type: t, latentMLA: true, tensorParallel: 16).bytesPerTokenPerLayer == ByteCount(Int64(1 * 128 * 2 * 2)))
    }
}
