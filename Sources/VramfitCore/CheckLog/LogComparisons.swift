/// Every figure of an `EngineLog` beside the estimate's figure for the same thing. Which
/// estimate figure answers which log line is engine knowledge, kept here in one place:
///
/// | engine | logged | vramfit |
/// |---|---|---|
/// | vLLM | weights, activation peak, non-torch, KV pool (per GPU) | gpu0's weights (with the rotary cache), profiled activation peak, non-torch memory, KV cache pool |
/// | vLLM | KV tokens, maximum concurrency | `kvCacheTokens`, `maxConcurrency` |
/// | SGLang | `mem usage` at load end, K + V sizes, `#tokens` | gpu0's weights, KV pool plus SGLang's one padding slot, `kvCacheTokens` |
/// | llama.cpp | model / KV / compute / output buffers | weights, KV, activation (compute), output per GPU side and host side |
/// | Ollama plan | memory.weights.total / required.kv / graph.full / required.full | total weights, KV, one GPU's compute buffer, total less Ollama's kept-free reserve |
enum LogComparisons {
    static func compare(_ log: EngineLog, estimate e: Estimate, catalogGPU: GPU, model: Model) -> [ComponentComparison] {
        let rows: [ComponentComparison]
        switch log.engine {
        case .vllm: rows = vllm(log, e, catalogGPU)
        case .sglang: rows = sglang(log, e)
        case .llamaCpp, .ollama: rows = llamaCpp(log, e, model)
        }
        // The order a start-up reports them: model, weights, transient, KV, capacity, extras.
        let order: [LoggedFigure.Kind] = [.parameters, .fileSize, .weights, .modelBuffer, .nonTorch, .activation, .kvCache, .kvTokens,
                                          .maxConcurrency, .computeBuffer, .outputBuffer, .cudaGraphs, .gpuTotal, .memoryBudget,
                                          .estimatedWeights, .estimatedKV, .estimatedGraph, .estimatedTotal]
        return rows.enumerated().sorted { a, b in
            let ra = order.firstIndex(of: a.element.kind) ?? order.count, rb = order.firstIndex(of: b.element.kind) ?? order.count
            return ra != rb ? ra < rb : a.offset < b.offset
        }.map(\.element)
    }

    static func row(_ f: LoggedFigure, _ name: String, device: String? = nil, predicted: Double?, low: Double? = nil, high: Double? = nil,
                    basis: ComponentComparison.Basis, note: String? = nil) -> ComponentComparison {
        ComponentComparison(name: name, kind: f.kind, unit: f.unit, device: device ?? f.device, logged: f.value, loggedRounding: f.rounding,
                            predicted: predicted, predictedLow: low, predictedHigh: high, basis: basis, line: f.line, logText: f.text, note: note)
    }

    /// A component of one device by name prefix, with its range.
    static func component(_ d: Estimate.Device?, _ prefix: String) -> Estimate.Component? {
        d?.components.first { $0.name.hasPrefix(prefix) }
    }

    static func d(_ b: ByteCount) -> Double { Double(b.value) }

    // MARK: vLLM

    static func vllm(_ log: EngineLog, _ e: Estimate, _ catalogGPU: GPU) -> [ComponentComparison] {
        var out: [ComponentComparison] = []
        let gpu0 = e.accelerators.first
        for f in log.figures {
            switch f.kind {
            case .weights:
                let w = gpu0.map { $0.bytes(.weights) } ?? .zero
                out.append(row(f, "weights per GPU", predicted: d(w), basis: .measured,
                               note: "torch memory allocated while loading: tensors rounded to 512 B, plus the rotary cos/sin cache"))
            case .activation:
                let c = component(gpu0, "profiled activation peak")
                out.append(row(f, "activation peak (profile run)", predicted: c.map { d($0.bytes) }, low: c.map { d($0.low) }, high: c.map { d($0.high) },
                               basis: .measured, note: "empirical: the profile run's torch peak over the weights; vramfit states a range"))
            case .nonTorch:
                let c = component(gpu0, "non-torch")
                out.append(row(f, "non-torch memory", predicted: c.map { d($0.bytes) }, low: c.map { d($0.low) }, high: c.map { d($0.high) },
                               basis: .measured, note: "cuBLAS workspaces, NCCL buffers: empirical"))
            case .kvCache:
                out.append(row(f, "KV cache pool per GPU", predicted: gpu0.map { d($0.bytes(.kvCache)) }, basis: .allocated,
                               note: "what the budget leaves after weights, activation peak and non-torch memory"))
            case .kvTokens:
                out.append(row(f, "KV cache tokens", predicted: e.kvCacheTokens.map(Double.init), basis: .capacity))
            case .maxConcurrency:
                out.append(row(f, "maximum concurrency", predicted: e.maxConcurrency, basis: .capacity,
                               note: "sequences of max_model_len tokens the pool holds"))
            case .cudaGraphs:
                let c = component(gpu0, "CUDA graphs")
                out.append(row(f, "CUDA graphs", predicted: c.map { d($0.bytes) }, low: c.map { d($0.low) }, high: c.map { d($0.high) },
                               basis: .measured, note: "captured after the KV pool: outside vLLM's budget"))
            case .gpuTotal:
                out.append(row(f, "GPU total memory (catalog \(catalogGPU.id))", predicted: d(catalogGPU.usableMemory), basis: .property,
                               note: "the catalog's usable memory (nvidia-smi's total) against what the driver gave the process"))
            default: break
            }
        }
        return out
    }

    // MARK: SGLang

    static func sglang(_ log: EngineLog, _ e: Estimate) -> [ComponentComparison] {
        var out: [ComponentComparison] = []
        let gpu0 = e.accelerators.first
        for f in log.figures {
            switch f.kind {
            case .weights:
                out.append(row(f, "weights per GPU", predicted: gpu0.map { d($0.bytes(.weights)) }, basis: .measured,
                               note: "SGLang's figure is the drop in free memory across loading: weights plus what the loader keeps allocated"))
            case .kvCache:
                // memory_pool.py allocates size + page_size slots (slot 0 is a dummy for padded tokens).
                let pool = gpu0.map { d($0.bytes(.kvCache)) }
                let perToken = (e.kvCacheTokens ?? 0) > 0 ? pool.map { $0 / Double(e.kvCacheTokens!) } : nil
                out.append(row(f, "KV cache (K + V) per GPU", predicted: pool.map { $0 + (perToken ?? 0) }, basis: .allocated,
                               note: "token pool plus SGLang's one padding slot"))
            case .kvTokens:
                out.append(row(f, "KV cache tokens", predicted: e.kvCacheTokens.map(Double.init), basis: .capacity))
            case .cudaGraphs:
                let c = component(gpu0, "CUDA graphs")
                out.append(row(f, "CUDA graphs", predicted: c.map { d($0.bytes) }, low: c.map { d($0.low) }, high: c.map { d($0.high) }, basis: .measured))
            case .nonTorch:
                let c = component(gpu0, "non-torch") ?? component(gpu0, "NCCL")
                out.append(row(f, "torch.distributed / NCCL init", predicted: c.map { d($0.bytes) }, basis: .measured,
                               note: c == nil ? "not in vramfit's SGLang budget: it takes this from the memory the KV pool would get" : nil))
            default: break
            }
        }
        return out
    }

    // MARK: llama.cpp and Ollama

    static func llamaCpp(_ log: EngineLog, _ e: Estimate, _ model: Model) -> [ComponentComparison] {
        var out: [ComponentComparison] = []
        let hostOnly = e.gpu.kind != .gpu
        let accel = e.accelerators
        let host = e.devices.first { !$0.isAccelerator }
        let allWeights = e.devices.reduce(ByteCount.zero) { $0 + $1.bytes(.weights) }
        let allKV = e.devices.reduce(ByteCount.zero) { $0 + $1.bytes(.kvCache) }
        let gpuLayers = log.settings.gpuLayers?.value, totalLayers = log.settings.totalLayers?.value
        let fullOffload = gpuLayers == nil || totalLayers == nil || gpuLayers! >= totalLayers!
        func sum(_ k: LoggedFigure.Kind, host h: Bool?) -> LoggedFigure? {
            let fs = log.figures.filter { $0.kind == k && (h == nil || $0.isHostBuffer == h!) }
            guard var first = fs.first else { return nil }
            first.value = fs.reduce(0) { $0 + $1.value }
            first.rounding = fs.reduce(0) { $0 + $1.rounding }
            first.device = fs.compactMap(\.device).joined(separator: "+")
            if fs.count > 1 { first.text += " (+\(fs.count - 1) more)" }
            return first
        }
        func range(_ devices: [Estimate.Device], _ k: Estimate.Kind) -> (Double, Double, Double) {
            let cs = devices.flatMap(\.components).filter { $0.kind == k }
            return (cs.reduce(0) { $0 + d($1.bytes) }, cs.reduce(0) { $0 + d($1.low) }, cs.reduce(0) { $0 + d($1.high) })
        }

        if let f = log.first(.parameters) {
            out.append(row(f, "parameters", predicted: Double(ParameterCount.total(model)), basis: .property,
                           note: "derived from the model's dimensions"))
        }
        if let f = log.first(.fileSize) {
            out.append(row(f, "GGUF tensor bytes (file size)", predicted: d(allWeights), basis: .property,
                           note: "every tensor in the scheme's storage; the file adds metadata and alignment"))
        }
        // Model buffers.
        let gpuModel = sum(.modelBuffer, host: false), hostModel = sum(.modelBuffer, host: true)
        if hostOnly || !fullOffload || gpuModel == nil {
            if let f = sum(.modelBuffer, host: nil) {
                out.append(row(f, "model buffers, all devices", predicted: d(allWeights), basis: .allocated))
            }
        } else {
            if let f = gpuModel {
                out.append(row(f, "model buffer, GPU", predicted: d(accel.reduce(.zero) { $0 + $1.bytes(.weights) }), basis: .allocated,
                               note: "all layers and the output head"))
            }
            if let f = hostModel {
                out.append(row(f, "model buffer, host", predicted: host.map { d($0.bytes(.weights)) }, basis: .allocated,
                               note: "token_embd stays in host memory (llama-model.cpp: the input layer is on the CPU)"))
            }
        }
        // KV cache: the printed total, or the per-device buffers.
        if let f = log.figures.first(where: { $0.kind == .kvCache && $0.device == nil }) ?? sum(.kvCache, host: nil) {
            out.append(row(f, "KV cache", device: f.device ?? "all", predicted: d(allKV), basis: .allocated))
        }
        // Compute buffers.
        if let f = hostOnly ? sum(.computeBuffer, host: nil) : sum(.computeBuffer, host: false) {
            if fullOffload || hostOnly {
                let (b, lo, hi) = range(accel, .activation)
                out.append(row(f, hostOnly ? "compute buffer" : "compute buffer, GPU", predicted: b, low: lo, high: hi, basis: .allocated,
                               note: "graph allocator's peak for one ubatch: empirical, vramfit states a range"))
            } else {
                out.append(row(f, "compute buffer, GPU", predicted: nil, basis: .allocated, note: "partial offload: not compared"))
            }
        }
        if !hostOnly, let f = sum(.computeBuffer, host: true) {
            out.append(row(f, "compute buffer, host", predicted: nil, basis: .allocated,
                           note: "staging for CPU-side ops and copies; vramfit does not model host compute buffers"))
        }
        if let f = sum(.outputBuffer, host: nil) {
            let predicted = hostOnly ? accel.reduce(0) { $0 + d($1.bytes(.output)) } : host.map { d($0.bytes(.output)) }
            out.append(row(f, "output buffer (logits)", predicted: predicted, basis: .allocated, note: "n_vocab × 4 B per sequence"))
        }
        // Ollama's plan.
        for f in log.figures where f.kind.isEstimate {
            switch f.kind {
            case .estimatedWeights:
                out.append(row(f, "Ollama's estimate: weights", predicted: d(allWeights), basis: .engineEstimate))
            case .estimatedKV:
                out.append(row(f, "Ollama's estimate: KV cache", predicted: d(allKV), basis: .engineEstimate))
            case .estimatedGraph:
                let (b, lo, hi) = range(Array(accel.prefix(1)), .activation)
                out.append(row(f, "Ollama's estimate: compute graph (one GPU)", predicted: b, low: lo, high: hi, basis: .engineEstimate))
            case .estimatedTotal:
                let reserve = accel.flatMap(\.components).filter { $0.name.hasPrefix("Ollama minimum free") }.reduce(0) { $0 + d($1.bytes) }
                out.append(row(f, "Ollama's estimate: total on GPUs", predicted: d(e.total) - reserve, basis: .engineEstimate,
                               note: "vramfit's total less the memory Ollama keeps free (not part of memory.required.full)"))
            default: break
            }
        }
        return out
    }
}
