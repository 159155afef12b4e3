import Testing
import VramfitCore
@testable import VramfitCatalog

/// Every built-in model and scheme swept on GPUs of every kind and rule regime (pre-Ampere without
/// bf16, Ada with FP8, Hopper, AMD, Apple unified memory, a CPU host), and a spread sample of the
/// cells checked against what `estimate` computes for the same names through the CLI's path
/// (`Catalog.prepare` → `Estimator`). The whole catalog's sweep is timed by vramfit-sweep-bench.
@Suite struct BuiltInSweepTests {
    static let catalog: Catalog = (try? CatalogLoader.builtIn()) ?? Catalog()
    static let gpuIds = ["t4", "v100-32gb", "rtx-4090", "a100-40gb", "h100-sxm", "mi300x", "apple-m3-max-128gb", "cpu-64gb-ddr5"]

    static func query(_ engines: SweepQuery.Engines) throws -> SweepQuery {
        var q = SweepQuery(catalog: catalog)
        q.engines = engines
        q.gpus = try gpuIds.map { try catalog.gpu($0).value }
        return q
    }

    @Test func sampledCellsEqualTheSingleEstimate() throws {
        let c = Self.catalog
        for engines in [SweepQuery.Engines.usual, .all] {
            let q = try Self.query(engines)
            let s = try Sweeper.run(q, catalog: c)
            #expect(s.rows.count >= c.models.count * q.gpus.count * (c.schemes.count - 1))
            // Every 71st row (a prime, so the sample walks across models, schemes, engines and GPUs), every context.
            var checked = 0, fits = 0, forbidden = 0
            for (i, row) in s.rows.enumerated() where i % 71 == 0 {
                let model = q.models[row.model], gpu = q.gpus[row.gpu], scheme = q.schemes[row.scheme]
                let subject = RuleSubject(model: model, scheme: scheme, engine: row.engine, gpu: gpu, kvCache: row.kvCacheType ?? "auto")
                #expect(row.forbiddenBy?.ruleId == c.rules.evaluate(subject).forbidding?.ruleId)
                for cell in row.cells {
                    let prepared = try c.prepare(EstimateQuery(model: model.id, gpu: gpu.id, quant: scheme.id, engine: row.engine.id,
                                                               workload: Workload(context: cell.context, batch: 1)))
                    let e = try Estimator.estimate(prepared.request)
                    let where_ = "\(model.id) \(scheme.id) \(row.engine.id) \(gpu.id) \(cell.context)"
                    #expect(cell.memoryFits == e.fits, "\(where_)")
                    #expect(cell.totals.total == e.total, "\(where_)")
                    #expect(cell.totals.headroom == e.headroom, "\(where_)")
                    #expect(row.kvCacheType == e.kvCacheType.id, "\(where_)")
                    checked += 1
                    if cell.status == .fits { fits += 1 }
                    if cell.status == .forbidden { forbidden += 1 }
                }
            }
            // The sample holds cells of every kind, so the comparison is not all of one verdict.
            #expect(checked > 300)
            #expect(fits > 20 && checked - fits > 20)
            _ = forbidden
        }
    }

    /// Known answers: an 8B at 4k fits a 4090 in bf16; the 405B fits no single GPU in the catalog
    /// in bf16 (756 GiB of weights); on a T4 (no FP8 units) TGI's fp8 is forbidden by a rule.
    @Test func knownCells() throws {
        let c = Self.catalog
        let s = try Sweeper.run(try Self.query(.usual), catalog: c)
        func cell(_ m: String, _ q: String, _ g: String) -> [Sweep.Cell] {
            s.rows.filter { s.query.models[$0.model].id == m && s.query.schemes[$0.scheme].id == q && s.query.gpus[$0.gpu].id == g }.flatMap(\.cells)
        }
        #expect(cell("llama-3.1-8b", "bf16", "rtx-4090").first?.status == .fits)
        #expect(s.rows.filter { s.query.models[$0.model].id == "llama-3.1-405b" && s.query.schemes[$0.scheme].id == "bf16" }
            .allSatisfy { $0.cells.allSatisfy { $0.status != .fits } })
        var all = SweepQuery(catalog: c)
        all.engines = .only("tgi")
        all.gpus = [try c.gpu("t4").value]
        let tgi = try Sweeper.run(all, catalog: c)
        let fp8 = try #require(tgi.rows.first { tgi.query.schemes[$0.scheme].id == "fp8" })
        #expect(fp8.forbiddenBy?.ruleId == "fp8-tgi-needs-sm89")
    }
}
