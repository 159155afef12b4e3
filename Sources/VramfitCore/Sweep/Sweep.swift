/// The fits-matrix: one row per model × GPU × scheme × engine, one cell per context. Each cell's
/// memory verdict is exactly what `estimate` says for that configuration (`memoryFits`); its
/// `status` adds what `plan` adds — a rule that forbids the configuration — and whether the
/// context is beyond what the model supports.
public struct Sweep: Sendable {
    public enum Status: String, Sendable, CaseIterable {
        case fits
        /// The bytes do not fit, or the engine would refuse to start (vLLM's KV pool too small).
        case doesNotFit = "does_not_fit"
        /// The context exceeds the model's maximum (engines refuse it without rope scaling).
        case beyondMaxContext = "beyond_max_context"
        /// A rule forbids the configuration (`Row.forbiddenBy`), whatever the memory says.
        case forbidden
        /// The configuration cannot be set up (`Row.invalid` says why: a CPU host with 2 GPUs, a
        /// pipeline longer than the model's layers).
        case invalid
    }

    /// Sums over the accelerators, as `estimate --json`'s top-level figures; `headroom` is the
    /// tightest device's.
    public struct Totals: Sendable, Equatable {
        public var weights = ByteCount.zero
        public var kvCache = ByteCount.zero
        public var activation = ByteCount.zero
        public var output = ByteCount.zero
        public var overhead = ByteCount.zero
        public var total = ByteCount.zero
        public var capacity = ByteCount.zero
        public var headroom = ByteCount.zero
        /// Paged engines: the KV pool in tokens.
        public var kvCacheTokens: Int64?

        public init() {}
    }

    public struct Cell: Sendable {
        public var context: Int64
        public var status: Status
        /// What `Estimator.estimate` would say (`Estimate.fits`), before rules and the model's maximum context.
        public var memoryFits: Bool
        public var totals: Totals
        /// The engine's own refusal (vLLM: the KV pool cannot hold one sequence), when there is one.
        public var refusal: String?
    }

    /// One configuration (model × GPU × scheme × engine × parallel layout), a cell per context.
    public struct Row: Sendable {
        /// Indices into the query's `models`, `gpus` and `schemes`.
        public var model: Int
        public var gpu: Int
        public var scheme: Int
        public var engine: Engine
        public var tensorParallel: Int64
        public var pipelineParallel: Int64
        /// The KV-cache type the engine picks by default (as `estimate`); nil when the row is invalid.
        public var kvCacheType: String?
        /// Every rule that fired, most severe first.
        public var verdicts: [Verdict]
        /// Why the configuration cannot be set up at all.
        public var invalid: String?
        /// One per context, in the query's order.
        public var cells: [Cell]

        public var forbiddenBy: Verdict? { verdicts.forbidding }
    }

    public var query: SweepQuery
    /// Ordered by GPU, then model, then scheme, then engine in the scheme's catalog order.
    public var rows: [Row]

    public var cellCount: Int { rows.reduce(0) { $0 + $1.cells.count } }
}

extension Sweep.Cell {
    /// Why the cell is not `fits`, in words; nil when it fits.
    public func explanation(in row: Sweep.Row, model: Model) -> String? {
        switch status {
        case .fits: return nil
        case .invalid: return row.invalid
        case .forbidden: return row.forbiddenBy.map { "rule \($0.ruleId): \($0.reason)" }
        case .beyondMaxContext: return "context \(context) exceeds \(model.name)'s maximum of \(model.maxContext) tokens"
        case .doesNotFit:
            if let refusal { return refusal }
            return "needs \(ByteFormat.binary(totals.total)) of \(ByteFormat.binary(totals.capacity)): short by "
                + "\(ByteFormat.binary(ByteCount(-totals.headroom.value))) on the tightest device"
        }
    }
}
