/// What the user wants to run: sequence length, concurrency, parallelism and the engine knobs
/// they set explicitly (nil: the engine's default).
public struct Workload: Sendable, Equatable {
    /// Tokens per sequence (prompt + generated). nil: the engine's default context.
    public var context: Int64?
    /// Sequences in flight at once.
    public var batch: Int64
    /// Tokens generated per sequence (part of `context`).
    public var newTokens: Int64
    public var kvCacheType: String?
    public var flashAttention: Bool?
    public var gpuMemoryUtilization: Double?
    public var tensorParallel: Int64
    public var pipelineParallel: Int64
    /// Engine version (`v0` for vLLM's V0 engine); nil: the current release in the catalog.
    public var engineVersion: String?
    /// Extra engine settings by the engine's own names (n_ubatch, max_num_batched_tokens, …).
    public var engineSettings: [String: Double]

    public init(context: Int64? = nil, batch: Int64 = 1, newTokens: Int64 = 0, kvCacheType: String? = nil,
                flashAttention: Bool? = nil, gpuMemoryUtilization: Double? = nil, tensorParallel: Int64 = 1,
                pipelineParallel: Int64 = 1, engineVersion: String? = nil, engineSettings: [String: Double] = [:]) {
        self.context = context; self.batch = batch; self.newTokens = newTokens; self.kvCacheType = kvCacheType
        self.flashAttention = flashAttention; self.gpuMemoryUtilization = gpuMemoryUtilization
        self.tensorParallel = tensorParallel; self.pipelineParallel = pipelineParallel
        self.engineVersion = engineVersion; self.engineSettings = engineSettings
    }

    public var gpus: Int64 { tensorParallel * pipelineParallel }
}
