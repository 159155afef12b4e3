/// Median and maximum absolute relative error over cases, per engine and component, and the
/// accuracy targets the regression test holds (issue: median ≤ 2 % and max ≤ 5 % on total memory;
/// weights and KV within 0.5 % in every case).
public enum AccuracySummary {
    public struct Stats: Sendable {
        public var count: Int
        public var median: Double
        public var max: Double
        /// The case with the largest error.
        public var worst: String?
    }

    public struct Targets: Sendable {
        public var totalMedian = 0.02
        public var totalMax = 0.05
        public var exactMax = 0.005
        public init() {}
    }

    public static func stats(_ errors: [(error: Double, label: String)]) -> Stats? {
        guard !errors.isEmpty else { return nil }
        let abs = errors.map { (Swift.abs($0.error), $0.label) }.sorted { $0.0 < $1.0 }
        let n = abs.count
        let median = n % 2 == 1 ? abs[n / 2].0 : (abs[n / 2 - 1].0 + abs[n / 2].0) / 2
        return Stats(count: n, median: median, max: abs[n - 1].0, worst: abs[n - 1].1)
    }

    public static func engines(_ results: [AccuracyResult]) -> [String] {
        var seen: [String] = []
        for r in results where !seen.contains(r.case.engine) { seen.append(r.case.engine) }
        return seen
    }

    static func label(_ r: AccuracyResult) -> String { "\(r.case.model) \(r.case.scheme) \(r.case.setting)" }

    public static func component(_ results: [AccuracyResult], engine: String, _ c: AccuracyCase.Component) -> Stats? {
        stats(results.filter { $0.case.engine == engine && $0.error == nil }.compactMap { r in
            r.row(c).map { ($0.error, label(r)) }
        })
    }

    public static func baseline(_ results: [AccuracyResult], engine: String, _ b: AccuracyResult.Baseline) -> Stats? {
        stats(results.filter { $0.case.engine == engine && $0.error == nil }.compactMap { r in
            r.baselineError(b).map { ($0, label(r)) }
        })
    }

    /// Verdicts over every catalog GPU size: (agreeing, compared) for our total or a baseline's.
    public static func fitsAgreement(_ results: [AccuracyResult], engine: String, baseline: AccuracyResult.Baseline? = nil) -> (agree: Int, of: Int) {
        var agree = 0, of = 0
        for r in results where r.case.engine == engine && r.error == nil {
            let predicted = baseline.map { r.baselines[$0] } ?? r.row(.total)?.predicted
            let a = r.fitsAgreement(predicted)
            agree += a.agree; of += a.of
        }
        return (agree, of)
    }

    /// What misses the targets, one line each; empty when every target holds.
    public static func violations(_ results: [AccuracyResult], targets: Targets = Targets()) -> [String] {
        var out = results.compactMap { r in r.error.map { "\(r.case.source): not estimated: \($0)" } }
        for engine in engines(results) {
            if let s = component(results, engine: engine, .total) {
                if s.median > targets.totalMedian {
                    out.append("\(engine): median total error \(percent(s.median)) > \(percent(targets.totalMedian))")
                }
                if s.max > targets.totalMax {
                    out.append("\(engine): max total error \(percent(s.max)) > \(percent(targets.totalMax)) (\(s.worst ?? ""))")
                }
            }
            for c in [AccuracyCase.Component.weights, .kvCache] {
                for r in results where r.case.engine == engine {
                    if let row = r.row(c), abs(row.error) > targets.exactMax {
                        out.append("\(r.case.source): \(c.title) error \(percent(row.error)) > \(percent(targets.exactMax)) (\(label(r)))")
                    }
                }
            }
        }
        return out
    }

    /// A signed percentage with two decimals ("-1.25 %"), without Foundation.
    public static func percent(_ x: Double) -> String {
        guard x.isFinite else { return "∞" }
        return String(format2: x * 100) + " %"
    }
}
