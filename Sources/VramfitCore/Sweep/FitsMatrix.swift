/// The sweep pivoted for reading, one block per GPU and one line per model:
/// - by context: the best scheme that fits at each context (highest `quality_rank`; ties go to
///   fewer rule warnings, then catalog order) and how many schemes fit there;
/// - by scheme: the largest of the swept contexts at which the scheme fits (on any engine swept).
public struct FitsMatrix: Sendable {
    /// What one scheme does for one model on one GPU, over the engines swept.
    public enum SchemeCell: Sendable, Equatable {
        /// Fits up to this context (the largest swept one at which some engine fits).
        case fits(upTo: Int64)
        /// Swept, fits at no context (memory, or the engine refuses to start).
        case doesNotFit
        /// Would fit in memory only at contexts beyond the model's maximum.
        case beyondMaxContext
        /// A rule forbids it on every engine swept; the first such rule.
        case forbidden(rule: String)
        case invalid
        /// No engine in the selection runs this scheme.
        case notSwept
    }

    public struct Line: Sendable {
        public var model: Int
        /// Per context: index into `sweep.rows` of the best row that fits, nil when none does.
        public var best: [Int?]
        /// Per context: how many schemes fit.
        public var fitting: [Int]
        /// Per context: whether it is beyond the model's maximum context.
        public var beyondMaxContext: [Bool]
        /// Per scheme of the query, in its order.
        public var schemes: [SchemeCell]
    }

    public struct Block: Sendable {
        public var gpu: Int
        public var lines: [Line]
        /// Per context: models with at least one scheme that fits.
        public var modelsThatFit: [Int]
    }

    public var blocks: [Block]

    public init(_ sweep: Sweep) {
        let q = sweep.query
        let k = q.contexts.count
        // Rows are GPU-major, then model: each (gpu, model) is one contiguous run.
        var runs: [(gpu: Int, model: Int, range: Range<Int>)] = []
        var start = 0
        for i in sweep.rows.indices {
            let r = sweep.rows[i]
            if i + 1 == sweep.rows.count || sweep.rows[i + 1].gpu != r.gpu || sweep.rows[i + 1].model != r.model {
                runs.append((r.gpu, r.model, start..<(i + 1)))
                start = i + 1
            }
        }
        var byGPU: [Int: [Line]] = [:]
        for run in runs {
            let rows = sweep.rows[run.range]
            let model = q.models[run.model]
            var line = Line(model: run.model, best: Array(repeating: nil, count: k), fitting: Array(repeating: 0, count: k),
                            beyondMaxContext: q.contexts.map { $0 > model.maxContext },
                            schemes: Array(repeating: .notSwept, count: q.schemes.count))
            for c in 0..<k {
                var schemesThatFit = Set<Int>()
                for i in run.range where sweep.rows[i].cells[c].status == .fits {
                    schemesThatFit.insert(sweep.rows[i].scheme)
                    if let b = line.best[c] {
                        if Self.better(sweep.rows[i], than: sweep.rows[b], schemes: q.schemes) { line.best[c] = i }
                    } else {
                        line.best[c] = i
                    }
                }
                line.fitting[c] = schemesThatFit.count
            }
            for r in rows { line.schemes[r.scheme] = Self.merge(line.schemes[r.scheme], Self.cell(r)) }
            byGPU[run.gpu, default: []].append(line)
        }
        blocks = q.gpus.indices.compactMap { g in
            guard let lines = byGPU[g] else { return nil }
            return Block(gpu: g, lines: lines, modelsThatFit: (0..<k).map { c in lines.filter { $0.best[c] != nil }.count })
        }
    }

    /// Higher quality rank, then fewer rule warnings; otherwise the earlier row (catalog order) stays.
    static func better(_ a: Sweep.Row, than b: Sweep.Row, schemes: [QuantScheme]) -> Bool {
        let qa = schemes[a.scheme].qualityRank, qb = schemes[b.scheme].qualityRank
        if qa != qb { return qa > qb }
        return a.verdicts.warnings.count < b.verdicts.warnings.count
    }

    static func cell(_ r: Sweep.Row) -> SchemeCell {
        if r.invalid != nil { return .invalid }
        if let f = r.forbiddenBy { return .forbidden(rule: f.ruleId) }
        if let c = r.cells.filter({ $0.status == .fits }).map(\.context).max() { return .fits(upTo: c) }
        if r.cells.contains(where: { $0.status == .doesNotFit }) { return .doesNotFit }
        return .beyondMaxContext
    }

    /// Over engines: the best news wins (fits > does not fit > beyond max context > forbidden > invalid).
    static func merge(_ a: SchemeCell, _ b: SchemeCell) -> SchemeCell {
        func order(_ c: SchemeCell) -> (Int, Int64) {
            switch c {
            case .fits(let n): (6, n)
            case .doesNotFit: (5, 0)
            case .beyondMaxContext: (4, 0)
            case .forbidden: (3, 0)
            case .invalid: (2, 0)
            case .notSwept: (1, 0)
            }
        }
        return order(b) > order(a) ? b : a
    }
}
