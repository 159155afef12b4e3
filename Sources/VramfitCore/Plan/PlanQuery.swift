/// What to optimise when several configurations fit.
public enum PlanGoal: String, Sendable, CaseIterable {
    /// Fewest GPUs first, then the best quality that fits on them.
    case fit
    /// Highest `QuantScheme.qualityRank` first.
    case quality
    /// Highest predicted decode tokens/s (the bandwidth roofline, `Estimate.decodeTokensPerSecond`).
    case throughput
    /// Lowest hourly price (GPU count × `GPU.hourlyUSD`).
    case cost
}

/// A planning question: a model on some number of one kind of GPU, with a workload.
public struct PlanQuery: Sendable {
    public var model: Model
    public var gpu: GPU
    public var gpusPerNode: Int64
    /// Nodes available; when nothing fits on them the planner looks further (up to `maxNodes`) to say how many are needed.
    public var nodes: Int64
    public var maxNodes: Int64
    /// Tokens per sequence; nil: `defaultContext` capped at the model's maximum, the same for every engine so candidates compare.
    public var context: Int64?
    public var concurrency: Int64
    /// Engine id, nil for any engine that runs the scheme.
    public var engine: String?
    /// Scheme id, nil for any scheme in the catalog.
    public var quant: String?
    public var kvCacheType: String?
    public var goal: PlanGoal

    /// 8192 tokens: a common chat context that every engine can serve; engines' own defaults differ
    /// (vLLM takes the model's maximum, llama.cpp 4096), which would make candidates incomparable.
    public static let defaultContext: Int64 = 8192

    public init(model: Model, gpu: GPU, gpusPerNode: Int64 = 1, nodes: Int64 = 1, maxNodes: Int64 = 16, context: Int64? = nil,
                concurrency: Int64 = 1, engine: String? = nil, quant: String? = nil, kvCacheType: String? = nil, goal: PlanGoal = .fit) {
        self.model = model; self.gpu = gpu; self.gpusPerNode = gpusPerNode; self.nodes = nodes; self.maxNodes = maxNodes
        self.context = context; self.concurrency = concurrency; self.engine = engine; self.quant = quant
        self.kvCacheType = kvCacheType; self.goal = goal
    }

    public var effectiveContext: Int64 { context ?? min(Self.defaultContext, model.maxContext) }
}
