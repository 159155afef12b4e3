import Testing
@testable import VramfitCore

@Suite struct PagedEngineTests {
    /// vLLM's split on an 80 GiB device, by hand: budget 0.9 × 80 GiB = 72 GiB; weights are the
    /// bf16 parameter bytes rounded to 512 B per tensor; activation = max(forward peak, sampler);
    /// the rest is the pool, in whole 16-token blocks of 32 layers × 8 heads × 128 × 2 × 2 B.
    @Test func budgetSplitMatchesHandArithmetic() throws {
        let e = try Fixtures.estimate(Fixtures.llama31_8b, engine: Fixtures.vllm, Workload(context: 8192))
        let budget = Int64(72) << 30
        let weights = e.bytes(.weights).value
        #expect(abs(weights - 2 * 8_030_261_248) < 512 * 300)  // 291 tensors, each rounded up < 512 B
        // forward over 8192 tokens: 2 B × (2·4096 + 3·14336) = 102,400 B per token
        let forward = Int64(8192) * 2 * (2 * 4096 + 3 * 14336)
        let sampler = Int64(256) * 128256 * 4 * 2
        #expect(e.bytes(.activation).value == max(forward, sampler))
        let pool = budget - weights - max(forward, sampler)
        let perBlock = Int64(16 * 32 * 8 * 128 * 2 * 2)
        #expect(e.kvCacheTokens == pool / perBlock * 16)
        #expect(e.bytes(.kvCache).value == pool / perBlock * perBlock)
        #expect(e.maxConcurrency! > 1 && e.fits)
    }

    /// A pool smaller than one sequence: vLLM refuses to start, so it does not fit.
    @Test func refusesWhenOneSequenceDoesNotFit() throws {
        let e = try Fixtures.estimate(Fixtures.llama31_8b, gpu: Fixtures.gpu24, engine: Fixtures.vllm, Workload(context: 131072))
        #expect(!e.fits)
        #expect(e.engineRefusal != nil)
        #expect(e.maxContext > 0 && e.maxContext < 131072)
        let atMax = try Fixtures.estimate(Fixtures.llama31_8b, gpu: Fixtures.gpu24, engine: Fixtures.vllm, Workload(context: e.maxContext))
        #expect(atMax.fits)
    }

    /// TGI: the budget is the memory free after the CUDA context × cuda_memory_fraction, and
    /// blocks come from 93 % of what warm-up leaves (TGI_WIGGLE_ROOM).
    @Test func tgiBudgetExcludesContextAndKeepsWiggleRoom() throws {
        let tgi = Engine(id: "tgi", name: "TGI", memoryModel: .tgi, version: "test", settings: EngineSettings([
            "cuda_memory_fraction": 1.0, "max_num_batched_tokens": 4096, "max_num_seqs": 256, "block_size": 1,
            "cuda_graphs": 0, "non_torch_bytes": 0, "kv_pool_fraction": 0.93,
        ]))
        let e = try Fixtures.estimate(Fixtures.llama31_8b, engine: tgi, Workload(context: 8192))
        let budget = (Int64(80) << 30) - (Int64(400) << 20)
        let forward = Int64(4096) * 2 * (2 * 4096 + 3 * 14336)
        let sampler = Int64(256) * 128256 * 4 * 2
        let left = budget - e.bytes(.weights).value - max(forward, sampler)
        let pool = Int64((Double(left) * 0.93).rounded(.down))
        #expect(e.kvCacheTokens == pool / 131_072)
        #expect(e.total <= e.capacity)
    }

    /// Sliding-window layers hold only the window (vLLM V1's hybrid allocator), so the pool holds
    /// more sequences than tokens / context: Gemma-2-9B at 8192 needs (21 × 4096 + 21 × 8192) ×
    /// 8192 B per sequence, not 42 × 8192 × 8192 B.
    @Test func slidingWindowRaisesConcurrency() throws {
        let e = try Fixtures.estimate(Fixtures.gemma2_9b, engine: Fixtures.vllm, Workload(context: 8192))
        let pool = Double(e.bytes(.kvCache).value)
        let perSequence = Double((21 * 4096 + 21 * 8192) * 8192)
        #expect(abs(e.maxConcurrency! - pool / perSequence) < 1e-9)
        #expect(e.maxConcurrency! > Double(e.kvCacheTokens!) / 8192)
    }
}
