/// Everything one estimate needs, already looked up in the catalogs.
public struct EstimateRequest: Sendable {
    public var model: Model
    public var scheme: QuantScheme
    public var gpu: GPU
    public var engine: Engine
    public var kvCacheTypes: [KVCacheType]
    public var workload: Workload
    /// Exact weight bytes from the checkpoint's tensor headers (safetensors/GGUF), used instead of
    /// the formula's total; per-layer shares stay the formula's (WeightBreakdown.scaled).
    public var exactWeights: ByteCount? = nil

    public init(model: Model, scheme: QuantScheme, gpu: GPU, engine: Engine, kvCacheTypes: [KVCacheType], workload: Workload) {
        self.model = model; self.scheme = scheme; self.gpu = gpu; self.engine = engine
        self.kvCacheTypes = kvCacheTypes; self.workload = workload
    }
}

/// Model × scheme × GPU × engine × workload → memory per component and device, the verdict,
/// and the largest context and batch that fit. Pure: no I/O, same input, same answer.
public enum Estimator {
    /// Hard limits that keep the arithmetic in range and catch typos (a 10¹² context).
    public static let maxContextLimit: Int64 = 1 << 28
    public static let maxBatchLimit: Int64 = 1 << 20
    public static let maxDevices: Int64 = 4096

    public static func estimate(_ r: EstimateRequest) throws -> Estimate {
        let ctx = try Resolved(r)
        return ctx.estimate()
    }
}

/// The request with defaults filled in and the context-independent work done once
/// (tensor inventory, weight bytes per stage), so searches over context and batch are cheap.
struct Resolved {
    let model: Model
    let scheme: QuantScheme
    let gpu: GPU
    let engine: Engine
    let settings: EngineSettings
    let kvType: KVCacheType
    let workload: Workload
    let layout: DeviceLayout
    let weights: WeightBreakdown
    /// Per-stage weights and the other sums over `weights` the engines read on every evaluation.
    let sums: WeightSums
    var stageWeights: [ByteCount] { sums.stageWeights }
    let context: Int64
    var notes: [String] = []

    /// `prepared`: weights computed once for this model, scheme and engine (the sweep reuses them
    /// over GPUs and contexts); ignored unless they match this request's granularity and layout.
    init(_ r: EstimateRequest, prepared: PreparedWeights? = nil) throws {
        model = r.model; scheme = r.scheme; gpu = r.gpu; engine = r.engine; workload = r.workload
        let w = r.workload
        guard var s = r.engine.settings(version: w.engineVersion) else {
            throw EstimateError.unknownEngineVersion(engine: r.engine.id, version: w.engineVersion ?? "", available: r.engine.versions.map(\.id))
        }
        // vLLM V1 picks a smaller prefill budget on GPUs under 70 GiB (arg_utils.py _set_default_args).
        if let small = s["max_num_batched_tokens_small_gpu"], r.gpu.usableMemory < ByteCount.gib(Int64(70)) {
            s["max_num_batched_tokens"] = small
        }
        s = s.overridden(by: EngineSettings(w.engineSettings))
        if let u = w.gpuMemoryUtilization { s["gpu_memory_utilization"] = u; s["mem_fraction_static"] = u; s["cuda_memory_fraction"] = u }
        if let fa = w.flashAttention { s["flash_attention"] = fa ? 1 : 0 }
        try Self.validate(w, settings: s, model: r.model)

        let kvId = (w.kvCacheType ?? Self.defaultKVType(engine: r.engine, model: r.model, scheme: r.scheme, gpu: r.gpu)).lowercased()
        guard let kv = r.kvCacheTypes.first(where: { $0.id.equalsIgnoringCase(kvId) || $0.aliases.contains { $0.equalsIgnoringCase(kvId) } }) else {
            throw EstimateError.unknownKVCacheType(kvId, available: r.kvCacheTypes.map(\.id))
        }
        kvType = kv

        // Context: what the user asked, else the engine's default (0 in the catalog: the model's maximum).
        let defaultCtx = s.int("default_context", 0)
        var c = w.context ?? (defaultCtx > 0 ? min(defaultCtx, r.model.maxContext) : r.model.maxContext)
        if r.engine.memoryModel == .ollama, w.context == nil { c = s.int("num_ctx", 4096) }
        context = c

        let granularity = s.allocationGranularity
        if let p = prepared, r.exactWeights == nil, p.matches(r, granularity: granularity) {
            layout = p.layout
            weights = p.weights
            sums = p.sums
        } else {
            layout = DeviceLayout(numLayers: r.model.numLayers, pipelineParallel: w.pipelineParallel, tensorParallel: w.tensorParallel)
            weights = WeightBreakdown(model: r.model, scheme: r.scheme, engine: r.engine.id, granularity: granularity).scaled(toTotal: r.exactWeights)
            sums = WeightSums(weights: weights, layout: layout, scheme: r.scheme, engine: r.engine.id)
        }
        settings = s
        if w.context == nil { notes.append("context \(c) tokens: \(r.engine.name)'s default" + (defaultCtx > 0 || r.engine.memoryModel == .ollama ? "" : " (the model's maximum)")) }
        if w.context.map({ $0 > r.model.maxContext }) ?? false {
            notes.append("context \(c) exceeds the model's maximum of \(r.model.maxContext) tokens; \(r.engine.name) would refuse it without rope scaling")
        }
    }

    /// The cache type engines pick by default: llama.cpp f16; the others "auto", i.e. the dtype the
    /// model runs in (AWQ/GPTQ checkpoints run in float16).
    static func defaultKVType(engine: Engine, model: Model, scheme: QuantScheme, gpu: GPU) -> String {
        switch engine.memoryModel {
        case .llamaCpp, .ollama: return "f16"
        default:
            let d = scheme.unquantizedDType ?? model.dtype
            // Without bf16 (T4, V100) engines run bf16 models in fp16, cache included.
            return d == .fp32 ? "fp32" : (d == .bf16 && gpu.supportsBF16 ? "bf16" : "fp16")
        }
    }

    static func validate(_ w: Workload, settings s: EngineSettings, model: Model) throws {
        func bad(_ f: String, _ v: String, _ why: String) -> EstimateError { .invalid(field: f, value: v, reason: why) }
        if let c = w.context, c < 1 || c > Estimator.maxContextLimit {
            throw bad("context", "\(c)", "must be between 1 and \(Estimator.maxContextLimit) tokens")
        }
        if w.batch < 1 || w.batch > Estimator.maxBatchLimit { throw bad("batch", "\(w.batch)", "must be between 1 and \(Estimator.maxBatchLimit)") }
        if w.newTokens < 0 { throw bad("new tokens", "\(w.newTokens)", "must not be negative") }
        if let c = w.context, w.newTokens >= c { throw bad("new tokens", "\(w.newTokens)", "must be less than the context (\(c))") }
        if w.tensorParallel < 1 || w.tensorParallel > Estimator.maxDevices { throw bad("tensor parallel size", "\(w.tensorParallel)", "must be between 1 and \(Estimator.maxDevices)") }
        if w.pipelineParallel < 1 || w.pipelineParallel > Estimator.maxDevices { throw bad("pipeline parallel size", "\(w.pipelineParallel)", "must be between 1 and \(Estimator.maxDevices)") }
        if w.pipelineParallel > model.numLayers {
            throw bad("pipeline parallel size", "\(w.pipelineParallel)", "exceeds the model's \(model.numLayers) layers")
        }
        for key in ["gpu_memory_utilization", "mem_fraction_static", "cuda_memory_fraction"] {
            if let u = s[key], !(u > 0 && u <= 1) { throw bad(key.replacingUnderscores, "\(u)", "must be a fraction in (0, 1]") }
        }
        for key in ["n_ubatch", "n_batch", "max_num_batched_tokens", "max_num_seqs", "block_size", "num_parallel"] {
            if let v = s[key], v < 1 { throw bad(key.replacingUnderscores, "\(v)", "must be at least 1") }
        }
    }

    // MARK: per-engine evaluation

    struct Evaluation {
        var devices: [Estimate.Device]
        var kvTokens: Int64? = nil
        /// Sequences of the asked context the pool holds; differs from tokens / context when
        /// sliding-window layers cap what a sequence needs.
        var concurrency: Double? = nil
        var refusal: String? = nil
    }

    func evaluate(context: Int64, batch: Int64) -> Evaluation {
        switch engine.memoryModel {
        case .transformers: TransformersMemory.evaluate(self, context: context, batch: batch)
        case .vllm, .tgi: PagedEngineMemory.evaluate(self, context: context, batch: batch)
        case .sglang: SGLangMemory.evaluate(self, context: context, batch: batch)
        case .llamaCpp, .ollama: LlamaCppMemory.evaluate(self, context: context, batch: batch)
        }
    }

    /// Names devices the way users see them: gpu0 … gpuN, or the host's name for CPU/unified targets.
    func deviceName(stage: Int, rank: Int64) -> String {
        gpu.kind == .gpu ? "gpu\(Int64(stage) * layout.tensorParallel + rank)" : (gpu.kind == .cpu ? "cpu" : "unified")
    }

    /// One device per rank of each stage: ranks of a stage hold the same amounts.
    func replicate(stage: Int, components: (String) -> [Estimate.Component]) -> [Estimate.Device] {
        (0..<layout.tensorParallel).map { rank in
            let name = deviceName(stage: stage, rank: rank)
            return Estimate.Device(name: name, capacity: gpu.usableMemory, isAccelerator: true, components: components(name))
        }
    }

    func kvSize(latentMLA: Bool, capsSliding: Bool) -> KVCacheSize {
        KVCacheSize(model: model, type: kvType, latentMLA: latentMLA, tensorParallel: layout.tensorParallel, capsSlidingWindow: capsSliding)
    }

    var contextOverhead: ByteCount { gpu.kind == .gpu ? gpu.contextOverhead : .zero }

    func overheadComponent(_ device: String) -> Estimate.Component {
        // Context size varies with driver, GPU and loaded modules: 300–600 MiB on recent CUDA
        // (measured figures in docs/accuracy.md), hence the range.
        Estimate.Component(name: "CUDA context", kind: .overhead, bytes: contextOverhead, device: device,
                           low: contextOverhead.scaled(by: 0.6), high: contextOverhead.scaled(by: 1.4))
    }

    // MARK: the whole estimate

    func estimate() -> Estimate {
        let batch = workload.batch
        let eval = evaluate(context: context, batch: batch)
        var notes = self.notes
        let limits = searchLimits(eval: eval)
        if scheme.isGGUF, !weights.entries.isEmpty {
            let fallbacks = Set(weights.entries.compactMap { e -> String? in
                guard case .ggufMix = scheme.storage, e.tensor.rowLength % 256 != 0, !e.tensor.role.isVector,
                      !scheme.keepsUnquantized(e.tensor.role, engine: engine.id) else { return nil }
                return e.tensor.role.rawValue
            })
            if !fallbacks.isEmpty {
                notes.append("rows not divisible by 256 in \(fallbacks.sorted().joined(separator: ", ")): llama.cpp stores those tensors in a fallback type (Q4_K→Q5_0, Q6_K→Q8_0)")
            }
        }
        return Estimate(
            model: model, scheme: scheme, engine: engine, gpu: gpu, gpus: layout.tensorParallel * layout.pipelineParallel,
            tensorParallel: layout.tensorParallel, pipelineParallel: layout.pipelineParallel, context: context, batch: batch,
            kvCacheType: kvType, devices: eval.devices, kvCacheTokens: eval.kvTokens,
            maxConcurrency: eval.concurrency ?? eval.kvTokens.map { Double($0) / Double(max(context, 1)) },
            maxContext: limits.context, maxBatch: limits.batch,
            decodeTokensPerSecond: DecodeRoofline.tokensPerSecond(self, context: context, batch: 1),
            notes: notes, engineRefusal: eval.refusal)
    }

    func fits(_ e: Evaluation) -> Bool {
        e.refusal == nil && e.devices.allSatisfy { !$0.isAccelerator || $0.total <= $0.capacity }
    }

    /// Largest context (at the requested batch, up to the model's maximum) and largest batch
    /// (at the requested context) that fit. Memory grows monotonically in both, so bisection.
    func searchLimits(eval: Evaluation) -> (context: Int64, batch: Int64) {
        let batch = workload.batch
        let maxCtx = bisect(upTo: max(model.maxContext, context)) { fits(evaluate(context: $0, batch: batch)) }
        let maxBatch: Int64
        if let tokens = eval.kvTokens {
            // Paged engines: the pool decides, and the scheduler caps sequences at max_num_seqs.
            let sequences = eval.concurrency.map { Int64($0.rounded(.down)) } ?? tokens / max(context, 1)
            maxBatch = min(sequences, settings.maxNumSeqs)
        } else {
            maxBatch = bisect(upTo: Estimator.maxBatchLimit) { fits(evaluate(context: context, batch: $0)) }
        }
        return (min(maxCtx, model.maxContext), maxBatch)
    }

    /// Largest n in 1...upper with ok(n), or 0 when even 1 fails.
    func bisect(upTo upper: Int64, _ ok: (Int64) -> Bool) -> Int64 {
        guard upper >= 1, ok(1) else { return 0 }
        if ok(upper) { return upper }
        var lo: Int64 = 1, hi = upper
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2
            if ok(mid) { lo = mid } else { hi = mid }
        }
        return lo
    }
}

extension String {
    var replacingUnderscores: String { String(map { $0 == "_" ? "-" : $0 }) }
}
