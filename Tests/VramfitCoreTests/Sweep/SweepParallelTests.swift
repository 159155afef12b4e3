import Testing
@testable import VramfitCore

/// The sweep's speed-ups must not change an answer: the threaded run against the single-threaded
/// one, and the sums prepared once per model × scheme × engine against the ones a lone estimate
/// works out for itself.
@Suite struct SweepParallelTests {
    typealias F = RuleFixtures

    func query(gpus: Int64) -> SweepQuery {
        let c = F.catalog
        return SweepQuery(models: c.models, gpus: c.gpus, schemes: c.schemes, engines: .all, contexts: [4096, 32768, 131072],
                          gpusPerConfiguration: gpus)
    }

    @Test(arguments: [Int64(1), 2])
    func threadedRunIsTheSingleThreadedOne(gpus: Int64) throws {
        let one = try Sweeper.run(query(gpus: gpus), catalog: F.catalog, parallel: false)
        let all = try Sweeper.run(query(gpus: gpus), catalog: F.catalog, parallel: true)
        #expect(one.rows.count == all.rows.count)
        #expect(one.rows.count > 1)
        for (a, b) in zip(one.rows, all.rows) {
            #expect(a.model == b.model && a.gpu == b.gpu && a.scheme == b.scheme && a.engine.id == b.engine.id)
            #expect(a.kvCacheType == b.kvCacheType && a.invalid == b.invalid)
            #expect(a.verdicts == b.verdicts)
            #expect(a.cells.count == b.cells.count)
            for (x, y) in zip(a.cells, b.cells) {
                #expect(x.context == y.context && x.status == y.status && x.memoryFits == y.memoryFits)
                #expect(x.totals == y.totals && x.refusal == y.refusal)
            }
        }
    }

    /// GPU-major: every row of the first GPU before any of the second, models in catalog order within a GPU.
    @Test func rowsAreGPUMajorInCatalogOrder() throws {
        let s = try Sweeper.run(query(gpus: 1), catalog: F.catalog)
        let keys = s.rows.map { [$0.gpu, $0.model, $0.scheme] }
        #expect(keys == keys.sorted { $0.lexicographicallyPrecedes($1) })
    }

    /// The per-stage weights, `token_embd`, the CPU repack copy and the dequantized widest matrix,
    /// prepared once, are what `Resolved` computes on its own — with bitsandbytes 4-bit on
    /// transformers and Q4_0 on a CPU host, the cases that read the last two, and at 1 and 4 stages.
    @Test(arguments: [Int64(1), 4])
    func preparedSumsAreTheResolvedOnes(stages: Int64) throws {
        let nf4 = QuantScheme(id: "nf4", name: "NF4", storage: .blockwise4bit(blockSize: 64, doubleQuant: false),
                              keepUnquantized: [.tokenEmbedding, .output], engines: ["transformers"])
        let cpu = GPU(id: "cpu-64", name: "CPU 64 GiB", vendor: "AMD", kind: .cpu, architecture: "Zen 4", computeCapability: nil,
                      memory: .gib(Int64(64)), usableMemory: .gib(Int64(60)), bandwidthBytesPerSecond: 80_000_000_000,
                      supportsBF16: true, supportsFP8: false, contextOverhead: .zero)
        let m = Fixtures.llama31_8b
        let cases: [(QuantScheme, Engine, GPU)] = [(nf4, Fixtures.transformers, F.a100), (F.q4, Fixtures.llamaCpp, cpu),
                                                   (F.q4, Fixtures.llamaCpp, F.h100), (F.bf16, Fixtures.vllm, F.t4)]
        var readsBoth = (repack: false, dequantized: false)
        for (s, e, gpu) in cases {
            let splits = e.memoryModel != .vllm
            let (tp, pp) = splits ? (Int64(1), stages) : (stages, Int64(1))
            let granularity = e.settings(version: nil)?.allocationGranularity ?? 1
            let p = PreparedWeights(model: m, scheme: s, engine: e, granularity: granularity, tensorParallel: tp, pipelineParallel: pp)
            let request = EstimateRequest(model: m, scheme: s, gpu: gpu, engine: e, kvCacheTypes: Fixtures.kvTypes,
                                          workload: Workload(context: 4096, batch: 1, tensorParallel: tp, pipelineParallel: pp))
            let with = try Resolved(request, prepared: p)
            let without = try Resolved(request)
            #expect(with.weights.total == without.weights.total)
            #expect(with.stageWeights == without.stageWeights)
            #expect(with.stageWeights.count == Int(pp))
            #expect(with.sums.tokenEmbedding == without.sums.tokenEmbedding)
            #expect(with.sums.cpuRepack == without.sums.cpuRepack)
            #expect(with.sums.dequantizedLargest == without.sums.dequantizedLargest)
            #expect(with.layout.stages == without.layout.stages && with.layout.tensorParallel == without.layout.tensorParallel)
            readsBoth.repack = readsBoth.repack || with.sums.cpuRepack.value > 0
            readsBoth.dequantized = readsBoth.dequantized || with.sums.dequantizedLargest.value > 0
        }
        // The cases exercise the two sums that are zero for most schemes.
        #expect(readsBoth.repack && readsBoth.dequantized)
    }
}
