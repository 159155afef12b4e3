/// One measured run of a real engine: what was run (catalog ids and a workload) and what the
/// engine's memory came to, per component. Built from validation/data/*.jsonl by VramfitCatalog's
/// `MeasurementReader`; compared with the estimator by `AccuracyEvaluator`.
public struct AccuracyCase: Sendable {
    /// The figures a measurement can give. Not every engine gives every one.
    public enum Component: String, Sendable, CaseIterable, Comparable {
        /// Weights as the engine holds them (transformers: `memory_allocated()` after load;
        /// llama.cpp: its "model buffer size" lines).
        case weights
        /// The KV cache (transformers: bytes of the returned cache's tensors; llama.cpp: "KV buffer size").
        case kvCache = "kv_cache"
        /// Transient memory of the forward pass (transformers: peak − weights − KV; llama.cpp: "compute buffer size").
        case activations
        /// llama.cpp's host output buffer (logits).
        case output
        /// transformers: `max_memory_allocated()` during generate.
        case allocatorPeak = "allocator_peak"
        /// transformers: what the caching allocator holds beyond its peak (max reserved − max allocated).
        case allocatorSlack = "allocator_slack"
        /// transformers: the process's GPU memory outside PyTorch's allocator (CUDA context, cuBLAS handles,
        /// loaded kernels): nvidia-smi used − memory_reserved.
        case nonAllocator = "non_allocator"
        /// Everything the process takes: nvidia-smi's used memory (GPU) or the sum of llama.cpp's buffers (CPU).
        case total

        public static func < (a: Component, b: Component) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }

        public var title: String {
            switch self {
            case .weights: "weights"
            case .kvCache: "KV cache"
            case .activations: "activations"
            case .output: "output buffer"
            case .allocatorPeak: "allocator peak"
            case .allocatorSlack: "allocator slack"
            case .nonAllocator: "context + non-allocator"
            case .total: "total"
            }
        }
    }

    /// `file:line` of the JSON line this case came from.
    public var source: String
    public var engine: String
    public var model: String
    public var scheme: String
    public var gpu: String
    public var workload: Workload
    /// A short description of the settings that are not in the ids ("8192 × 1", "n_ctx 4096, ub 512, FA on").
    public var setting: String
    public var measured: [Component: ByteCount]
    /// `accelerate estimate-memory`'s total for the case's dtype, when the baselines file has the model.
    public var accelerateEstimate: ByteCount?

    public init(source: String, engine: String, model: String, scheme: String, gpu: String, workload: Workload,
                setting: String, measured: [Component: ByteCount], accelerateEstimate: ByteCount? = nil) {
        self.source = source; self.engine = engine; self.model = model; self.scheme = scheme; self.gpu = gpu
        self.workload = workload; self.setting = setting; self.measured = measured
        self.accelerateEstimate = accelerateEstimate
    }
}

/// The architecture groups the report sorts cases into. A model can belong to several; it is listed
/// under the first that applies, in this order (MLA before MoE: DeepSeek is both).
public enum ArchitectureGroup: String, Sendable, CaseIterable, Comparable {
    case mla = "MLA"
    case moe = "MoE"
    case slidingWindow = "sliding window"
    case mqa = "MQA"
    case gqa = "GQA"
    case dense = "dense (MHA)"

    public static func of(_ m: Model) -> ArchitectureGroup {
        if m.mla != nil { return .mla }
        if m.moe != nil { return .moe }
        if m.slidingWindow != nil { return .slidingWindow }
        if m.numKVHeads == 1 { return .mqa }
        if m.numKVHeads < m.numAttentionHeads { return .gqa }
        return .dense
    }

    public static func < (a: ArchitectureGroup, b: ArchitectureGroup) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
