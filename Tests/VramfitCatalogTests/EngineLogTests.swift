import Testing
import VramfitCore
@testable import VramfitCatalog

/// Estimates against figures real engines printed in their start-up logs (public logs, quoted
/// in the test). Each case says where the line comes from.
@Suite struct EngineLogTests {
    let catalog: Catalog
    init() throws { catalog = try CatalogLoader.builtIn() }

    func estimate(_ model: String, gpu: String, quant: String? = nil, engine: String, _ w: Workload) throws -> Estimate {
        let p = try catalog.prepare(EstimateQuery(model: model, gpu: gpu, quant: quant, engine: engine, workload: w))
        return try Estimator.estimate(p.request)
    }

    /// vLLM V1, Llama-3.1-8B-Instruct bf16: "Model loading took 14.99 GiB memory" (many public
    /// logs, e.g. GKE vLLM fast-restore guide). 8,030,261,248 × 2 B + 32 MiB rotary cache.
    @Test func vllmLlama31_8bWeights() throws {
        let e = try estimate("meta-llama/Llama-3.1-8B-Instruct", gpu: "h100-sxm", engine: "vllm", Workload(context: 8192))
        #expect(String(format2: e.bytes(.weights).gib) == "14.99")
    }

    /// vLLM V1 logged "GPU KV cache size: 157,936 tokens" and "Maximum concurrency for 131,072
    /// tokens per request: 1.20x" for Llama-3.1-8B: tokens × 131,072 B/token = 19.28 GiB, the
    /// "Available KV cache memory" it printed, and 157,936 / 131,072 = 1.20.
    @Test func vllmKVTokensToBytesAndConcurrency() throws {
        let m = try catalog.model("llama-3.1-8b").value
        let kv = KVCacheSize(model: m, type: try catalog.kvCacheType("bf16").value, latentMLA: true)
        let perToken = kv.bytesPerToken(layers: Array(0..<m.numLayers))
        #expect(perToken == ByteCount(Int64(131_072)))
        #expect(String(format2: (perToken * 157_936).gib) == "19.28")
        #expect(String(format2: 157_936.0 / 131_072.0) == "1.20")
    }

    /// llama.cpp, Llama-3-8B at n_ubatch 512 with flash attention: "CUDA0 compute buffer size =
    /// 258.50 MiB", "CPU output buffer size = 0.49 MiB"; and the KV buffer of n_ctx 8192 f16:
    /// 8192 × 32 × 1024 × 2 × 2 B = 1024 MiB ("KV self size = 1024.00 MiB").
    @Test func llamaCppBuffers() throws {
        let e = try estimate("llama-3.1-8b", gpu: "rtx-4090", quant: "q4_k_m", engine: "llama.cpp",
                             Workload(context: 8192, flashAttention: true))
        #expect(String(format2: e.bytes(.activation).mib) == "258.50")
        #expect(String(format2: e.bytes(.kvCache).mib) == "1024.00")
        let host = e.devices.first { !$0.isAccelerator }!
        #expect(String(format2: host.bytes(.output).mib) == "0.49")
    }
}
