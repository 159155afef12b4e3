import Foundation
import Testing
import VramfitCore
@testable import VramfitCatalog

/// Re-runs the estimator over the committed measurements (validation/data/*.jsonl, written by the
/// scripts in validation/ on a real H100 and on a CPU) and fails when accuracy falls past the
/// targets: median ≤ 2 % and max ≤ 5 % error on total memory per engine, weights and KV cache within
/// 0.5 % in every case. No GPU, no Python: the data files are read as committed.
///
/// The cases known to miss are listed with the bound each holds today and why (a ratchet: they may
/// get better, not worse, and no other case may join them without an entry and a reason). A known miss that starts meeting the
/// target fails too, so the list cannot go stale.
@Suite struct AccuracyRegressionTests {
    struct KnownMiss {
        var model: String, scheme: String, setting: String
        var bound: Double
        var reason: String
    }

    /// Target 5 % on total; these cases are at 9.06 % and 11.86 % (docs/accuracy.md), pinned just above. The
    /// transient itself is within 9 % and the weights exact: what misses is the caching allocator's
    /// slack, which depends on how many outlier columns each layer's activations have — a property
    /// of the weights (random here), not of the config (docs/accuracy-notes.md, "Still missing").
    static let knownMisses = [
        KnownMiss(model: "qwen2.5-7b-instruct", scheme: "bnb-int8", setting: "512 × 1", bound: 0.0925,
                  reason: "LLM.int8's outlier decomposition on a short prompt: per-layer dequantized outlier columns of "
                      + "varying width leave the caching allocator 1.2 GiB reserved above its peak (slack 1,265 MiB "
                      + "against 201 MiB at 8192 tokens); the count of outlier features depends on the weights"),
        KnownMiss(model: "llama-3.1-8b", scheme: "bnb-int8", setting: "512 × 1", bound: 0.1210,
                  reason: "the same mechanism on a second model (measure.py --part b): slack 1,556 MiB above the peak at "
                      + "512 tokens against 506 MiB at 8192; peak −0.77 %, weights and KV exact; the 8192 × 1 and 2048 × 4 "
                      + "shapes of the same run are within 1.8 %"),
    ]

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func text(_ rel: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(rel), encoding: .utf8)
    }

    static func results() throws -> (results: [AccuracyResult], failed: [String]) {
        var catalog = try CatalogLoader.builtIn()
        catalog.merge(try CatalogLoader.read(path: root.appendingPathComponent("validation/models.yaml").path))
        let dir = root.appendingPathComponent("validation/data")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".jsonl") }.sorted()
        let acc = files.contains("baselines-accelerate.jsonl")
            ? try MeasurementReader.accelerateTotals(text("validation/data/baselines-accelerate.jsonl"), file: "baselines-accelerate.jsonl")
            : [:]
        var cases: [AccuracyCase] = [], failed: [String] = []
        for f in files where !f.hasPrefix("baselines") {
            let r = try MeasurementReader.cases(text("validation/data/\(f)"), file: f, accelerate: acc)
            cases += r.cases
            failed += r.failedRuns
        }
        return (AccuracyEvaluator.evaluate(cases, catalog: catalog), failed)
    }

    static func isKnown(_ r: AccuracyResult) -> KnownMiss? {
        knownMisses.first { $0.model == r.case.model && $0.scheme == r.case.scheme && $0.setting == r.case.setting }
    }

    @Test func everyMeasuredCaseIsEstimated() throws {
        let (results, _) = try Self.results()
        // Deleting or emptying a data file must not pass silently.
        #expect(results.filter { $0.case.engine == "transformers" }.count >= 60)
        #expect(results.filter { $0.case.engine == "llama.cpp" }.count >= 50)
        // Every known miss is still a measured case (a renamed setting must not drop its bound).
        for k in Self.knownMisses {
            #expect(results.contains { $0.case.model == k.model && $0.case.scheme == k.scheme && $0.case.setting == k.setting }, "\(k.model) \(k.setting)")
        }
        for r in results { #expect(r.error == nil, "\(r.case.source): \(r.error ?? "")") }
    }

    @Test func weightsAndKVAreExact() throws {
        let (results, _) = try Self.results()
        for r in results {
            for c in [AccuracyCase.Component.weights, .kvCache] {
                guard let row = r.row(c) else { continue }
                #expect(abs(row.error) <= 0.005, "\(r.case.source) \(r.case.model) \(r.case.scheme) \(r.case.setting): \(c.title) \(row.error)")
            }
        }
    }

    @Test func totalsMeetTheTargets() throws {
        let (results, _) = try Self.results()
        let targets = AccuracySummary.Targets()
        for engine in AccuracySummary.engines(results) {
            let s = try #require(AccuracySummary.component(results, engine: engine, .total))
            #expect(s.median <= targets.totalMedian, "\(engine): median total error \(s.median)")
            for r in results where r.case.engine == engine {
                guard let row = r.row(.total) else { continue }
                if let known = Self.isKnown(r) {
                    #expect(abs(row.error) <= known.bound, "\(r.case.source): known miss got worse: \(row.error) (\(known.reason))")
                    #expect(abs(row.error) > targets.totalMax, "\(r.case.source): known miss now meets the target; take it off the list")
                } else {
                    #expect(abs(row.error) <= targets.totalMax,
                            "\(r.case.source) \(r.case.model) \(r.case.scheme) \(r.case.setting): total error \(row.error)")
                }
            }
        }
    }

    /// llama.cpp sizes its buffers once at start-up, so its compute buffer is held closer than the
    /// total's 5 %: median ≤ 0.5 % and every run within 7 % (today 0.00 % and 6.24 %; the worst is
    /// Qwen3-0.6B with flash attention, whose extra 24 KiB per ubatch token is placement by the graph
    /// allocator, docs/accuracy-notes.md). Guards the MoE residue and the CPU terms of LlamaCppMemory,
    /// which the total alone would let drift: a −15 % buffer was −5.4 % on the total.
    @Test func llamaCppComputeBufferIsHeldClose() throws {
        let (results, _) = try Self.results()
        let s = try #require(AccuracySummary.component(results, engine: "llama.cpp", .activations))
        #expect(s.count >= 50)
        #expect(s.median <= 0.005, "median compute-buffer error \(s.median)")
        #expect(s.max <= 0.07, "worst compute-buffer error \(s.max) (\(s.worst ?? ""))")
    }

    /// The estimate must beat the rule of thumb and accelerate's figure on the same cases: the point of the tool.
    @Test func beatsTheBaselines() throws {
        let (results, _) = try Self.results()
        for engine in AccuracySummary.engines(results) {
            let ours = try #require(AccuracySummary.component(results, engine: engine, .total))
            for b in AccuracyResult.Baseline.allCases {
                guard let base = AccuracySummary.baseline(results, engine: engine, b) else { continue }
                #expect(ours.median < base.median, "\(engine): \(b.rawValue) median \(base.median) ≤ ours \(ours.median)")
            }
        }
    }

    /// The summary statistics themselves, on hand-made errors: median of an even count averages the
    /// middle pair, and signs do not matter.
    @Test func summaryStatistics() throws {
        let s = try #require(AccuracySummary.stats([(0.01, "a"), (-0.03, "b"), (0.02, "c"), (-0.04, "d")]))
        #expect(s.count == 4)
        #expect(abs(s.median - 0.025) < 1e-12)
        #expect(abs(s.max - 0.04) < 1e-12)
        #expect(s.worst == "d")
    }

    /// A measurement line turns into the workload the estimator sizes: the cache holds prompt +
    /// generated − 1 tokens, and components come from the recorded counters.
    @Test func readsATransformersLine() throws {
        let line = #"{"engine":"transformers","model":"qwen2.5-0.5b-instruct","scheme":"bf16","device":"NVIDIA H100 80GB HBM3","prompt_tokens":512,"batch":2,"cache_tokens":513,"weights_allocated_bytes":1000,"kv_cache_bytes":200,"peak_allocated_bytes":1500,"peak_reserved_bytes":1600,"used_bytes":2400,"non_allocator_bytes":800}"#
        let r = try MeasurementReader.cases(line, file: "t.jsonl")
        let c = try #require(r.cases.first)
        #expect(c.gpu == "h100-sxm")
        #expect(c.workload.context == 513 && c.workload.newTokens == 1 && c.workload.batch == 2)
        #expect(c.measured[.activations] == ByteCount(300))
        #expect(c.measured[.allocatorSlack] == ByteCount(100))
        #expect(c.measured[.total] == ByteCount(2400))
    }
}
