/// From names a person typed to an `EstimateRequest`, filling in what they left out the way
/// most users run it, and saying so.
public struct EstimateQuery: Sendable {
    public var model: String
    public var gpu: String
    public var quant: String?
    public var engine: String?
    public var gpus: Int64?
    public var workload: Workload
    /// Whether tensor/pipeline sizes were given explicitly (otherwise `gpus` decides them).
    public var explicitTensorParallel: Bool
    public var explicitPipelineParallel: Bool

    public init(model: String, gpu: String, quant: String? = nil, engine: String? = nil, gpus: Int64? = nil, workload: Workload = Workload(),
                explicitTensorParallel: Bool = false, explicitPipelineParallel: Bool = false) {
        self.model = model; self.gpu = gpu; self.quant = quant; self.engine = engine; self.gpus = gpus; self.workload = workload
        self.explicitTensorParallel = explicitTensorParallel; self.explicitPipelineParallel = explicitPipelineParallel
    }
}

public struct PreparedEstimate: Sendable {
    public var request: EstimateRequest
    /// What was assumed, in words, for the output's notes.
    public var assumptions: [String]
}

extension Catalog {
    public func prepare(_ q: EstimateQuery) throws -> PreparedEstimate {
        var notes: [String] = []
        let m = try model(q.model)
        if let a = m.assumption { notes.append(a) }
        let g = try gpu(q.gpu)
        if let a = g.assumption { notes.append(a) }
        return try prepare(model: m.value, gpu: g.value, query: q, notes: notes)
    }

    public func prepare(model: Model, gpu: GPU, query q: EstimateQuery, notes: [String] = []) throws -> PreparedEstimate {
        var notes = notes
        let s: QuantScheme
        if let name = q.quant {
            let r = try scheme(name)
            if let a = r.assumption { notes.append(a) }
            s = r.value
        } else {
            let own = model.nativeQuant ?? (model.dtype == .fp32 ? "fp32" : model.dtype == .fp16 ? "fp16" : "bf16")
            s = try scheme(own).value
            notes.append("scheme \(s.id): the model's own \(model.nativeQuant == nil ? "dtype" : "checkpoint format") (--quant to change)")
        }
        let e: Engine
        if let name = q.engine {
            e = try engine(name).value
        } else {
            e = try defaultEngine(for: s, gpu: gpu)
            notes.append("engine \(e.name) \(e.version): what most users of \(s.id) on \(gpu.kind == .gpu ? "a GPU" : "this target") run (--engine to change)")
        }
        var w = q.workload
        let splitsLayers = e.memoryModel.splitsLayers
        if let n = q.gpus {
            switch (q.explicitTensorParallel, q.explicitPipelineParallel) {
            case (false, false):
                if splitsLayers { w.pipelineParallel = n; w.tensorParallel = 1 } else { w.tensorParallel = n; w.pipelineParallel = 1 }
                if n > 1 { notes.append("\(n) GPUs as \(splitsLayers ? "a layer split (pipeline)" : "tensor parallel \(n)"), \(e.name)'s usual way") }
            case (true, false):
                guard n % w.tensorParallel == 0 else {
                    throw EstimateError.invalid(field: "gpus", value: "\(n)", reason: "not a multiple of --tensor-parallel \(w.tensorParallel)")
                }
                w.pipelineParallel = n / w.tensorParallel
            case (false, true):
                guard n % w.pipelineParallel == 0 else {
                    throw EstimateError.invalid(field: "gpus", value: "\(n)", reason: "not a multiple of --pipeline-parallel \(w.pipelineParallel)")
                }
                w.tensorParallel = n / w.pipelineParallel
            case (true, true): break
            }
        }
        if gpu.kind != .gpu && w.gpus > 1 {
            throw EstimateError.invalid(field: "gpus", value: "\(w.gpus)", reason: "\(gpu.name) is a single host memory pool, not a GPU")
        }
        if s.id == "bf16" && gpu.kind == .gpu && !gpu.supportsBF16 {
            notes.append("\(gpu.name) has no bfloat16: engines run the model in float16 (same size; overflow risk for some models)")
        }
        if let cc = s.minComputeCapability, let have = gpu.computeCapability, have < cc {
            notes.append("\(s.id) kernels need compute capability \(cc / 10).\(cc % 10); \(gpu.name) is \(have / 10).\(have % 10)")
        }
        return PreparedEstimate(
            request: EstimateRequest(model: model, scheme: s, gpu: gpu, engine: e, kvCacheTypes: kvCacheTypes, workload: w),
            assumptions: notes)
    }

    /// vLLM for AWQ/GPTQ/FP8 and 16-bit on a GPU, llama.cpp for GGUF, transformers for bitsandbytes:
    /// the first engine the scheme's catalog entry lists, except that hosts without a CUDA GPU
    /// (Apple unified memory, CPU) get llama.cpp for GGUF and transformers otherwise.
    public func defaultEngine(for s: QuantScheme, gpu: GPU) throws -> Engine {
        var order = s.engines
        if gpu.kind != .gpu {
            order = order.filter { id in
                guard let e = engines.first(where: { $0.id == id }) else { return false }
                return e.memoryModel.splitsLayers
            }
        }
        for id in order { if let e = engines.first(where: { $0.id == id }) { return e } }
        if let e = engines.first(where: { $0.memoryModel == (s.isGGUF ? .llamaCpp : .transformers) }) { return e }
        throw EstimateError.unsupported("no engine in the catalog runs scheme \(s.id)")
    }
}
