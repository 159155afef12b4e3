/// An inference engine and the settings of it that change memory use.
public struct Engine: Sendable, Identifiable {
    /// Which memory model applies: engines that share an allocator design share a model.
    public enum MemoryModel: String, Sendable, CaseIterable {
        /// Hugging Face transformers (+accelerate): eager PyTorch, cache grows with the sequence.
        case transformers
        /// vLLM: profiles a forward pass, then gives what's left of `utilization × total` to paged KV.
        case vllm
        /// SGLang: `mem_fraction_static × total` holds weights and the token-granular KV pool.
        case sglang
        /// TGI: `cuda_memory_fraction × total`, warm-up at `max_batch_prefill_tokens`, paged KV.
        case tgi
        /// llama.cpp: a KV buffer sized for `n_ctx`, compute buffers reserved for `n_ubatch`.
        case llamaCpp = "llama.cpp"
        /// Ollama: llama.cpp with `num_ctx × num_parallel` and its own defaults.
        case ollama

        /// Engines that spread a model over several devices by whole layers (llama.cpp's
        /// `--tensor-split`, Ollama's layer split, accelerate's `device_map`), never by tensor
        /// parallelism: their usual multi-GPU layout is pipeline-style, and they can hold layers
        /// in host memory.
        public var splitsLayers: Bool {
            switch self {
            case .llamaCpp, .ollama, .transformers: true
            case .vllm, .sglang, .tgi: false
            }
        }
    }

    public var id: String
    public var name: String
    public var aliases: [String]
    public var memoryModel: MemoryModel
    /// The release whose behaviour the defaults describe.
    public var version: String
    public var settings: EngineSettings
    /// Older releases that users still meet, each a set of setting overrides.
    public var versions: [Version]
    public var source: [String]
    public var notes: String?

    public struct Version: Sendable {
        public var id: String
        public var description: String
        public var settings: EngineSettings
        public init(id: String, description: String, settings: EngineSettings) { self.id = id; self.description = description; self.settings = settings }
    }

    public init(id: String, name: String, aliases: [String] = [], memoryModel: MemoryModel, version: String,
                settings: EngineSettings, versions: [Version] = [], source: [String] = [], notes: String? = nil) {
        self.id = id; self.name = name; self.aliases = aliases; self.memoryModel = memoryModel; self.version = version
        self.settings = settings; self.versions = versions; self.source = source; self.notes = notes
    }

    /// Settings for `version` (nil: the current release): the version's overrides over the defaults.
    public func settings(version v: String?) -> EngineSettings? {
        guard let v, v != version else { return settings }
        guard let ver = versions.first(where: { $0.id.lowercased() == v.lowercased() }) else { return nil }
        return settings.overridden(by: ver.settings)
    }
}

/// Engine settings by their engine's own names (`gpu_memory_utilization`, `n_ubatch`, …).
/// Kept as a name → number table so a user's catalog can add a setting without a code change;
/// the estimator reads the ones it models through the typed accessors below.
public struct EngineSettings: Sendable, Equatable {
    public var values: [String: Double]
    public init(_ values: [String: Double] = [:]) { self.values = values }

    public subscript(_ key: String) -> Double? {
        get { values[key] }
        set { values[key] = newValue }
    }

    public func overridden(by other: EngineSettings) -> EngineSettings {
        // Nothing to override (the usual case: no --set): the same table, without rebuilding it.
        if other.values.isEmpty { return self }
        return EngineSettings(values.merging(other.values) { _, new in new })
    }

    func int(_ k: String, _ d: Int64) -> Int64 { values[k].map { Int64($0) } ?? d }
    func bool(_ k: String, _ d: Bool) -> Bool { values[k].map { $0 != 0 } ?? d }
    func double(_ k: String, _ d: Double) -> Double { values[k] ?? d }

    // vLLM / TGI / SGLang
    public var gpuMemoryUtilization: Double { double("gpu_memory_utilization", 0.9) }
    public var memFractionStatic: Double? { values["mem_fraction_static"] }
    public var cudaMemoryFraction: Double { double("cuda_memory_fraction", 1.0) }
    public var maxNumBatchedTokens: Int64 { int("max_num_batched_tokens", 8192) }
    public var maxNumSeqs: Int64 { int("max_num_seqs", 256) }
    public var blockSize: Int64 { int("block_size", 16) }
    /// Whether the engine captures CUDA graphs (memory outside the KV budget in vLLM V0).
    public var cudaGraphs: Bool { bool("cuda_graphs", true) }
    /// Memory the engine's process holds outside PyTorch's allocator (NCCL, cuBLAS workspaces), bytes.
    public var nonTorchBytes: Int64 { int("non_torch_bytes", 0) }
    /// CUDA graph pool size, bytes, where the engine does not count it inside its budget.
    public var cudaGraphBytes: Int64 { int("cuda_graph_bytes", 0) }
    /// Whether CUDA-graph memory is taken out of the utilization budget (vLLM V1 ≥ 0.11) or added on top (V0).
    public var cudaGraphsInBudget: Bool { bool("cuda_graphs_in_budget", true) }
    /// Dummy sequences in the profiling run's sampler (vLLM: `max_num_seqs`); their logits are fp32.
    public var samplerProfileSeqs: Int64 { int("sampler_profile_seqs", maxNumSeqs) }

    // llama.cpp / Ollama
    public var nCtx: Int64 { int("n_ctx", 4096) }
    public var nBatch: Int64 { int("n_batch", 2048) }
    public var nUbatch: Int64 { int("n_ubatch", 512) }
    public var flashAttention: Bool { bool("flash_attention", false) }
    public var numParallel: Int64 { int("num_parallel", 1) }
    /// Pad the KV cache length to this multiple (llama.cpp pads n_ctx to 256).
    public var kvPadding: Int64 { int("kv_padding", 1) }

    // transformers
    /// PyTorch's caching allocator rounds every block to 512 bytes; `memory_allocated` counts the rounded size.
    public var allocationGranularity: Int64 { int("allocation_granularity", 1) }
    /// Fraction of the peak the caching allocator keeps reserved beyond what is allocated (fragmentation).
    public var allocatorReserveFraction: Double { double("allocator_reserve_fraction", 0.0) }
}
