/// What an exporter needs, as a plain value: the configuration an estimate evaluated (or a plan
/// chose) with the engine settings in effect and each device's memory split into the weights it
/// holds and what must stay free beside them. Built from an `Estimate` so that every flag an
/// exporter writes is a figure the estimate checked, never a fresh default.
public struct ExportPlan: Sendable {
    public var model: Model
    public var scheme: QuantScheme
    public var engine: Engine
    public var gpu: GPU
    public var tensorParallel: Int64
    public var pipelineParallel: Int64
    /// Machines the GPUs are spread over: tensor parallel inside each, pipeline stages across
    /// (vLLM on a Ray cluster). The GPUs divide evenly: `gpus / nodes` per node.
    public var nodes: Int64 = 1
    /// Tokens per sequence and sequences in flight.
    public var context: Int64
    public var batch: Int64
    public var newTokens: Int64
    public var kvCacheType: KVCacheType
    /// The engine's settings as the estimate used them: catalog defaults for the engine version,
    /// then the user's `--set` and `--gpu-memory-utilization`/`--flash-attention`.
    public var settings: EngineSettings
    /// Settings the user gave explicitly; "where set" flags (max-num-batched-tokens) come only from these.
    public var explicitSettings: [String: Double]
    public var devices: [DeviceBudget]
    /// Decoder layers per accelerator in device order (a planner's placement); nil: the
    /// estimate's own layout (even pipeline stages, vLLM `get_pp_indices`).
    public var layersPerDevice: [Int64]?
    /// A layer placement over the GPUs and CPU RAM (the planner's device map) for engines that
    /// split layers, when the model does not fit on the GPUs alone; nil: every layer on the GPUs
    /// as `layerCounts` splits them.
    public var deviceMap: DeviceMap?
    /// The model reference to launch (Hugging Face repo, local path, GGUF file); nil: derived.
    public var checkpoint: String?
    public var fits: Bool
    /// The tightest device's margin (negative: short by that much) and the engine's own reason
    /// to refuse, so a config that will not start says why.
    public var headroom: ByteCount
    public var refusal: String?
    public var total: ByteCount
    public var capacity: ByteCount

    /// One device's memory as the estimate split it.
    public struct DeviceBudget: Sendable, Equatable {
        public var name: String
        public var capacity: ByteCount
        public var weights: ByteCount
        /// KV cache, activations, output buffers and overheads: what a loader must leave free.
        public var reserve: ByteCount
        /// The KV cache part of `reserve` (a serving engine's pool, or the workload's cache).
        public var kvCache: ByteCount
        public var isAccelerator: Bool

        public init(name: String, capacity: ByteCount, weights: ByteCount, reserve: ByteCount, kvCache: ByteCount = .zero, isAccelerator: Bool) {
            self.name = name; self.capacity = capacity; self.weights = weights; self.reserve = reserve; self.kvCache = kvCache
            self.isAccelerator = isAccelerator
        }
    }

    public init(estimate e: Estimate, settings: EngineSettings, explicitSettings: [String: Double] = [:], newTokens: Int64 = 0,
                layersPerDevice: [Int64]? = nil, checkpoint: String? = nil) {
        model = e.model; scheme = e.scheme; engine = e.engine; gpu = e.gpu
        tensorParallel = e.tensorParallel; pipelineParallel = e.pipelineParallel
        context = e.context; batch = e.batch; self.newTokens = newTokens; kvCacheType = e.kvCacheType
        self.settings = settings; self.explicitSettings = explicitSettings
        devices = e.devices.map { d in
            DeviceBudget(name: d.name, capacity: d.capacity, weights: d.bytes(.weights), reserve: d.total - d.bytes(.weights),
                         kvCache: d.bytes(.kvCache), isAccelerator: d.isAccelerator)
        }
        self.layersPerDevice = layersPerDevice; self.checkpoint = checkpoint
        fits = e.fits; headroom = e.headroom; refusal = e.engineRefusal; total = e.total; capacity = e.capacity
    }

    /// The plan for the configuration `request` describes, with the settings the estimator
    /// resolved for it (same defaults, same overrides, same small-GPU rule).
    public static func from(request r: EstimateRequest, estimate: Estimate, layersPerDevice: [Int64]? = nil,
                            checkpoint: String? = nil) throws -> ExportPlan {
        let resolved = try Resolved(r)
        return ExportPlan(estimate: estimate, settings: resolved.settings, explicitSettings: r.workload.engineSettings,
                          newTokens: r.workload.newTokens, layersPerDevice: layersPerDevice, checkpoint: checkpoint)
    }

    public var accelerators: [DeviceBudget] { devices.filter(\.isAccelerator) }
    public var gpus: Int64 { tensorParallel * pipelineParallel }
    public var gpusPerNode: Int64 { gpus / max(nodes, 1) }
    /// `2` or `2 nodes × 8`, for headers.
    public var gpusText: String { nodes > 1 ? "\(nodes) nodes × \(gpusPerNode)" : "\(gpus)" }
    /// Weights placed in CPU RAM by the device map (runs, slowly: for offline use).
    public var offloadsToCPU: Bool { deviceMap.map { !$0.fitsOnGPUs } ?? false }

    /// llama.cpp's placement: the device map's when there is one, else every layer on the GPUs as
    /// `layerCounts` splits them (none on a CPU host).
    public var llamaCppPlacement: LlamaCppPlacement {
        if let m = deviceMap { return m.llamaCppPlacement }
        if gpu.kind == .cpu { return LlamaCppPlacement(numLayers: model.numLayers, layersPerGPU: [], outputOnGPU: false) }
        return .allOnGPUs(numLayers: model.numLayers, layersPerGPU: layerCounts)
    }

    /// Decoder layers on each accelerator: the placement given, else each pipeline stage's
    /// layers on every rank of that stage.
    public var layerCounts: [Int64] {
        if let l = layersPerDevice { return l }
        let layout = DeviceLayout(numLayers: model.numLayers, pipelineParallel: pipelineParallel, tensorParallel: tensorParallel)
        return layout.stages.flatMap { s in Array(repeating: Int64(s.count), count: Int(layout.tensorParallel)) }
    }

    /// The dtype engines run the unquantized parts in: the scheme's, else the model's; bf16
    /// becomes fp16 on GPUs without bfloat16 (T4, V100), as the estimate assumes.
    public var computeDType: DType {
        let d = scheme.unquantizedDType ?? model.dtype
        return d == .bf16 && gpu.kind == .gpu && !gpu.supportsBF16 ? .fp16 : d
    }

    /// The cache type the engine picks when not told (the model's compute dtype): flags for the
    /// KV cache are written only when the estimate used something else.
    public var kvIsDefault: Bool {
        let id = kvCacheType.id.lowercased()
        switch computeDType {
        case .fp32: return id == "fp32"
        case .fp16: return id == "fp16" || id == "f16"
        case .bf16: return id == "bf16"
        case .fp8: return false
        }
    }
}
