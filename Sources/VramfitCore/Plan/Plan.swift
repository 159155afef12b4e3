/// The planner's answer: the configurations that fit and no rule forbids, best first for the
/// goal, each with why it ranks below the one above; and what was dropped and why.
public struct Plan: Sendable {
    public struct Candidate: Sendable {
        public var estimate: Estimate
        public var nodes: Int64
        /// Rule verdicts that fired without forbidding (fallback kernels, slow paths).
        public var verdicts: [Verdict]
        /// Why this candidate ranks below the previous one (nil for the first).
        public var lostBecause: String?

        public var scheme: QuantScheme { estimate.scheme }
        public var engine: Engine { estimate.engine }
        public var gpus: Int64 { estimate.gpus }
        public var qualityRank: Int { estimate.scheme.qualityRank }
        public var tokensPerSecond: Double { estimate.decodeTokensPerSecond }
        /// GPU count × the catalog's hourly price; nil when the GPU has no price.
        public var hourlyUSD: Double? { estimate.gpu.hourlyUSD.map { $0 * Double(gpus) } }
        /// `TP2 × PP1` style, with the nodes when there are several (`TP8 × PP2 / 2 nodes`).
        public var layout: String {
            "TP\(estimate.tensorParallel) × PP\(estimate.pipelineParallel)" + (nodes > 1 ? " / \(nodes) nodes" : "")
        }
    }

    /// A configuration left out: by a rule (`verdict` set) or because it does not fit.
    public struct Dropped: Sendable {
        public var scheme: String
        public var engine: String
        public var tensorParallel: Int64
        public var pipelineParallel: Int64
        public var nodes: Int64
        public var verdict: Verdict?
        public var reason: String
    }

    public var query: PlanQuery
    public var context: Int64
    /// Nodes the candidates use: `query.nodes`, or more when that was not enough.
    public var nodes: Int64
    public var candidates: [Candidate]
    public var dropped: [Dropped]
    public var notes: [String]

    public var best: Candidate? { candidates.first }
}
