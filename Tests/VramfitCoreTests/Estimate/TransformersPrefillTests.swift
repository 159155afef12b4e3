import Testing
@testable import VramfitCore

/// The transformers prefill peak, term by term, by hand arithmetic. The terms were found on the H100
/// runs in validation/data/transformers-h100.jsonl (e.g. Llama-3.2-1B at 32,768 tokens: 2,088.98 MiB
/// predicted, 2,088.97 MiB measured); these tests pin the arithmetic itself.
@Suite struct TransformersPrefillTests {
    static func component(_ e: Estimate, _ prefix: String) throws -> ByteCount {
        try #require(e.components.first { $0.name.hasPrefix(prefix) }).bytes
    }

    /// Llama-3.1-8B bf16, prompt 8192 × 1: stream 8192·2·4·4096 = 268,435,456; MLP 8192·2·3·14336 =
    /// 704,643,072 (attention, 8192·2·(48·128 + 32·128) = 167,772,160, is smaller); rotary
    /// 8192·2·128·2 = 4,194,304. Total 977,272,832 B. cuBLAS workspace 32 MiB on a Hopper GPU.
    @Test func denseGQA() throws {
        let e = try Fixtures.estimate(Fixtures.llama31_8b, Workload(context: 8193, batch: 1, newTokens: 1))
        #expect(try Self.component(e, "prefill activations") == ByteCount(977_272_832))
        #expect(try Self.component(e, "cuBLAS workspace") == ByteCount.mib(32))
        // KV: 8193 tokens × 32 layers × 2 × 8 heads × 128 × 2 B.
        #expect(e.bytes(.kvCache) == ByteCount(Int64(8193) * 32 * 2 * 8 * 128 * 2))
    }

    /// Gemma-2-9B bf16, prompt 6000 × 2 (T = 12,000): stream 12000·2·4·3584 = 344,064,000; MLP
    /// 12000·2·3·14336 = 1,032,192,000; the 21 sliding layers still hold the whole prompt during
    /// prefill: 8,192 B per token per layer × 21 × (6000 − 4096) × 2 = 655,097,856; SDPA's boolean mask
    /// 2 × 6000² = 72,000,000; rotary 12000·2·256·2 = 12,288,000. Total 2,115,641,856 B.
    @Test func slidingWindowHoldsThePromptDuringPrefill() throws {
        let e = try Fixtures.estimate(Fixtures.gemma2_9b, Workload(context: 6001, batch: 2, newTokens: 1))
        #expect(try Self.component(e, "prefill activations") == ByteCount(2_115_641_856))
        // After prefill the sliding layers keep the window: 21 × 4096 + 21 × 6001 tokens, × 8192 B × 2 sequences.
        #expect(e.bytes(.kvCache) == ByteCount(Int64(21 * 4096 + 21 * 6001) * 8192 * 2))
    }

    /// The peak depends on prompt × batch only (no prompt² term with SDPA): 8192 × 1 and 2048 × 4
    /// measured the same peak to the byte; the estimate gives the same transient too.
    @Test func batchAndPromptTradeOneForOne() throws {
        let a = try Fixtures.estimate(Fixtures.llama31_8b, Workload(context: 8193, batch: 1, newTokens: 1))
        let b = try Fixtures.estimate(Fixtures.llama31_8b, Workload(context: 2049, batch: 4, newTokens: 1))
        #expect(try Self.component(a, "prefill activations") == Self.component(b, "prefill activations"))
    }

    /// MLA: transformers 5 caches the latent, kv_lora_rank + rope = 576 values per layer per token
    /// (1,152 B in bf16, measured on DeepSeek-V2-Lite), not per-head K and V.
    @Test func mlaCachesTheLatent() throws {
        let e = try Fixtures.estimate(Fixtures.deepseekV3, Workload(context: 1000, batch: 1, newTokens: 1))
        #expect(e.bytes(.kvCache) == ByteCount(Int64(1000) * 61 * 576 * 2))
    }
}
