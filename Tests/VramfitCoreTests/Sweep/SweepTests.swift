import Testing
@testable import VramfitCore

/// The sweep against the single estimate and the rules, cell by cell, on the hand-made catalog
/// (small enough to check every cell, not a sample).
@Suite struct SweepTests {
    typealias F = RuleFixtures

    func sweep(_ q: SweepQuery) throws -> Sweep { try Sweeper.run(q, catalog: F.catalog) }

    func everything(engines: SweepQuery.Engines = .all, contexts: [Int64] = [4096, 32768, 131072], gpus: Int64 = 1) -> SweepQuery {
        let c = F.catalog
        return SweepQuery(models: c.models, gpus: c.gpus, schemes: c.schemes, engines: engines, contexts: contexts, gpusPerConfiguration: gpus)
    }

    func single(_ s: Sweep, _ row: Sweep.Row, context: Int64) throws -> Estimate {
        let q = s.query
        return try Estimator.estimate(EstimateRequest(
            model: q.models[row.model], scheme: q.schemes[row.scheme], gpu: q.gpus[row.gpu], engine: row.engine,
            kvCacheTypes: F.catalog.kvCacheTypes,
            workload: Workload(context: context, batch: q.concurrency, tensorParallel: row.tensorParallel, pipelineParallel: row.pipelineParallel)))
    }

    @Test(arguments: [Int64(1), 2])
    func everyCellIsTheSingleEstimatesVerdict(gpus: Int64) throws {
        let s = try sweep(everything(gpus: gpus))
        // 2 models × 3 GPUs × (bf16: 2 engines, fp16: 2, fp8: 1, q4_0: 1) = 36 rows of 3 contexts.
        #expect(s.rows.count == 36)
        #expect(s.cellCount == 108)
        for row in s.rows {
            let q = s.query
            let subject = RuleSubject(model: q.models[row.model], scheme: q.schemes[row.scheme], engine: row.engine, gpu: q.gpus[row.gpu],
                                      kvCache: row.kvCacheType ?? "auto", tensorParallel: row.tensorParallel, pipelineParallel: row.pipelineParallel)
            let forbid = F.catalog.rules.evaluate(subject).forbidding
            #expect(row.forbiddenBy?.ruleId == forbid?.ruleId)
            for cell in row.cells {
                let e = try single(s, row, context: cell.context)
                #expect(cell.memoryFits == e.fits, "\(q.models[row.model].id) \(q.schemes[row.scheme].id) \(row.engine.id) \(q.gpus[row.gpu].id) \(cell.context)")
                #expect(cell.totals.total == e.total)
                #expect(cell.totals.weights == e.bytes(.weights))
                #expect(cell.totals.kvCache == e.bytes(.kvCache))
                #expect(cell.totals.capacity == e.capacity)
                #expect(cell.totals.headroom == e.headroom)
                #expect(cell.totals.kvCacheTokens == e.kvCacheTokens)
                let expected: Sweep.Status = forbid != nil ? .forbidden : cell.context > q.models[row.model].maxContext ? .beyondMaxContext
                    : e.fits ? .fits : .doesNotFit
                #expect(cell.status == expected)
            }
        }
    }

    /// 8B in bf16 is 14.96 GiB of weights: on an 80 GiB A100 it fits at 4k, on a 15 GiB T4 it does not;
    /// the 405B (756 GiB in bf16) fits nowhere on one GPU, but Q4_0 8B fits on the T4.
    @Test func knownCells() throws {
        let s = try sweep(everything(contexts: [4096]))
        func cell(_ m: String, _ q: String, _ e: String, _ g: String) -> Sweep.Cell? {
            s.rows.first { s.query.models[$0.model].id == m && s.query.schemes[$0.scheme].id == q && $0.engine.id == e && s.query.gpus[$0.gpu].id == g }?.cells[0]
        }
        #expect(cell("llama-3.1-8b", "bf16", "transformers", "a100")?.status == .fits)
        #expect(cell("llama-3.1-8b", "bf16", "transformers", "t4")?.status == .doesNotFit)
        #expect(cell("llama-3.1-8b", "q4_0", "llama.cpp", "t4")?.status == .fits)
        #expect(s.rows.filter { s.query.models[$0.model].id == "llama-3.1-405b" }.allSatisfy { $0.cells[0].status != .fits })
    }

    @Test func usualEngineIsTheEstimateDefault() throws {
        let s = try sweep(everything(engines: .usual))
        for row in s.rows {
            let expected = try F.catalog.defaultEngine(for: s.query.schemes[row.scheme], gpu: s.query.gpus[row.gpu])
            #expect(row.engine.id == expected.id)
        }
        #expect(s.rows.count == 2 * 3 * 4)
    }

    @Test func onlyOneEngineLeavesOutSchemesItDoesNotRun() throws {
        let s = try sweep(everything(engines: .only("llama.cpp")))
        #expect(Set(s.rows.map { s.query.schemes[$0.scheme].id }) == ["q4_0"])
    }

    @Test func rulesForbidWhatThePlannerDrops() throws {
        // TP 3 splits neither 32 attention heads nor 8 KV heads: vLLM rows are forbidden, transformers splits layers.
        let s = try sweep(everything(contexts: [4096], gpus: 3))
        let vllm = s.rows.filter { $0.engine.id == "vllm" }
        #expect(!vllm.isEmpty)
        for r in vllm { #expect(r.forbiddenBy != nil && r.cells[0].status == .forbidden) }
        let hf = s.rows.filter { $0.engine.id == "transformers" }
        #expect(hf.allSatisfy { $0.forbiddenBy == nil && $0.pipelineParallel == 3 && $0.tensorParallel == 1 })
    }

    @Test func contextsBeyondTheModelAreMarked() throws {
        let s = try sweep(everything(contexts: [4096, 262_144]))
        for r in s.rows where r.forbiddenBy == nil && r.invalid == nil {
            #expect(r.cells[1].status == .beyondMaxContext)
        }
    }

    @Test func aHostWithSeveralGPUsIsInvalidNotACrash() throws {
        let cpu = GPU(id: "cpu-64", name: "CPU 64 GiB", vendor: "AMD", kind: .cpu, architecture: "Zen 4", computeCapability: nil,
                      memory: .gib(Int64(64)), usableMemory: .gib(Int64(60)), bandwidthBytesPerSecond: 80_000_000_000,
                      supportsBF16: true, supportsFP8: false, contextOverhead: .zero)
        var q = everything(engines: .only("llama.cpp"), contexts: [4096], gpus: 2)
        q.gpus = [cpu]
        let s = try sweep(q)
        #expect(!s.rows.isEmpty)
        #expect(s.rows.allSatisfy { $0.invalid != nil && $0.cells[0].status == .invalid })
    }

    @Test(arguments: [[Int64](), [0], [Estimator.maxContextLimit + 1]])
    func badContextsAreErrors(_ contexts: [Int64]) {
        #expect(throws: EstimateError.self) { try sweep(everything(contexts: contexts)) }
    }

    @Test func badCountsAreErrors() {
        var q = everything()
        q.concurrency = 0
        #expect(throws: EstimateError.self) { try sweep(q) }
        q = everything(gpus: 0)
        #expect(throws: EstimateError.self) { try sweep(q) }
    }

    /// A prepared-weights value made for another layout or engine is ignored, never used wrongly.
    @Test func mismatchedPreparedWeightsAreIgnored() throws {
        let m = Fixtures.llama31_8b
        let wrong = PreparedWeights(model: m, scheme: F.q4, engine: Fixtures.llamaCpp, granularity: 1, tensorParallel: 1, pipelineParallel: 1)
        let request = EstimateRequest(model: m, scheme: F.bf16, gpu: F.a100, engine: Fixtures.vllm, kvCacheTypes: Fixtures.kvTypes,
                                      workload: Workload(context: 4096, batch: 1))
        let with = try Resolved(request, prepared: wrong)
        let without = try Resolved(request)
        #expect(with.weights.total == without.weights.total)
        #expect(with.stageWeights == without.stageWeights)
    }
}

/// The pivots the table prints, against a brute-force reading of the rows.
@Suite struct FitsMatrixTests {
    typealias F = RuleFixtures

    @Test func bestIsTheHighestQualityThatFits() throws {
        let c = F.catalog
        let s = try Sweeper.run(SweepQuery(models: c.models, gpus: c.gpus, schemes: c.schemes, engines: .all, contexts: [4096, 131072]),
                                catalog: c)
        let m = FitsMatrix(s)
        #expect(m.blocks.map(\.gpu) == [0, 1, 2])
        for block in m.blocks {
            for line in block.lines {
                let rows = s.rows.filter { $0.gpu == block.gpu && $0.model == line.model }
                for k in 0..<2 {
                    let fitting = rows.filter { $0.cells[k].status == .fits }
                    #expect(line.fitting[k] == Set(fitting.map(\.scheme)).count)
                    let top = fitting.map { s.query.schemes[$0.scheme].qualityRank }.max()
                    #expect(line.best[k].map { s.query.schemes[s.rows[$0].scheme].qualityRank } == top)
                }
            }
        }
        // On the A100 (80 GiB) the 8B fits in bf16 (quality 100) at 4k; on the T4 the best is below bf16.
        let a100 = try #require(m.blocks.first { s.query.gpus[$0.gpu].id == "a100" })
        let t4 = try #require(m.blocks.first { s.query.gpus[$0.gpu].id == "t4" })
        let best = { (b: FitsMatrix.Block) in b.lines[0].best[0].map { s.query.schemes[s.rows[$0].scheme].id } }
        #expect(best(a100) == "bf16")
        #expect(best(t4) != "bf16" && best(t4) != nil)
    }

    @Test func schemeCellsMergeEnginesBestNewsFirst() {
        typealias C = FitsMatrix.SchemeCell
        #expect(FitsMatrix.merge(.doesNotFit, .fits(upTo: 4096)) == .fits(upTo: 4096))
        #expect(FitsMatrix.merge(.fits(upTo: 32768), .fits(upTo: 4096)) == .fits(upTo: 32768))
        #expect(FitsMatrix.merge(.forbidden(rule: "r"), .doesNotFit) == .doesNotFit)
        #expect(FitsMatrix.merge(.notSwept, .invalid) == .invalid)
    }
}
