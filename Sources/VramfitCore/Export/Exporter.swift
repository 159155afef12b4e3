/// One engine's launch format. Pure: the same plan gives the same text, so exports can be
/// compared with golden files and a planner can call exporters on plans it never printed.
public protocol Exporter: Sendable {
    var target: ExportTarget { get }
    func export(_ plan: ExportPlan) throws -> LaunchConfig
}

public enum Export {
    public static func exporter(for t: ExportTarget) -> any Exporter {
        switch t {
        case .vllm: VLLMExporter()
        case .kubernetes: KubernetesExporter()
        case .sglang: SGLangExporter()
        case .tgi: TGIExporter()
        case .llamaCpp: LlamaCppExporter()
        case .ollama: OllamaExporter()
        case .transformers: TransformersExporter(target: .transformers)
        case .accelerate: TransformersExporter(target: .accelerate)
        }
    }

    /// The launch config for `plan` on `target`, refusing what the engine cannot run: a plan
    /// estimated for another engine, or a scheme the catalog does not list the engine for
    /// (GGUF on vLLM, bitsandbytes on llama.cpp).
    public static func launchConfig(_ plan: ExportPlan, to target: ExportTarget) throws -> LaunchConfig {
        guard plan.engine.id == target.engineId else { throw ExportError.engineMismatch(target: target, engine: plan.engine.id) }
        guard plan.scheme.engines.contains(target.engineId) else {
            throw ExportError.unsupported(target: target, reason: "\(plan.scheme.name) (\(plan.scheme.id)) is not a format \(plan.engine.name) loads; "
                + "engines for it: \(plan.scheme.engines.joined(separator: ", "))"
                + (plan.scheme.isGGUF && target == .vllm ? " (vLLM's GGUF loading is experimental, a plugin, and not modelled by vramfit)" : ""))
        }
        if plan.nodes > 1 && ![.vllm, .kubernetes].contains(target) {
            throw ExportError.unsupported(target: target, reason: "a multi-node launch (\(plan.nodes) nodes) is written for vLLM on a Ray cluster only: "
                + "use --to vllm or --to kubernetes")
        }
        if plan.nodes < 1 || plan.gpus % plan.nodes != 0 {
            throw ExportError.unsupported(target: target, reason: "\(plan.gpus) GPUs do not split evenly over \(plan.nodes) nodes")
        }
        var config = try exporter(for: target).export(plan)
        if plan.offloadsToCPU, let m = plan.deviceMap {
            let host = m.devices.first { $0.gpu == nil }
            let short = host.map { $0.capacity > .zero && $0.weights > $0.capacity } ?? false
            config.notes.insert("warning: does not fit on the GPUs alone; \(ByteFormat.binary(m.offloaded)) of weights stay in CPU RAM"
                + (short ? " — more than the \(ByteFormat.binary(host!.capacity)) of host memory given" : "")
                + ": every token reads them over PCIe, so decode is many times slower (offline use)", at: 0)
        } else if !plan.fits {
            let why = plan.refusal ?? "short by \(ByteFormat.binary(.zero - plan.headroom)) on the tightest GPU"
            config.notes.insert("warning: this configuration does not fit (\(why)); the engine would refuse to start or run out of memory — "
                + "vramfit estimate says what would fit", at: 0)
        }
        return config
    }
}

/// Where the weights come from for an engine: the published checkpoint, the published one
/// quantized while loading, a checkpoint already in the scheme's format, or a GGUF file.
enum WeightSource: Equatable {
    case published
    case quantizedAtLoad
    case prequantized
    case gguf
}

extension ExportPlan {
    var repo: String { model.hfRepo ?? model.id }

    /// Schemes an engine can apply to unquantized weights while loading; everything else that
    /// is quantized needs a checkpoint stored in that format.
    func weightSource(loadQuantizable: Set<String>) -> WeightSource {
        if scheme.isGGUF { return .gguf }
        if scheme.isUnquantized || model.nativeQuant == scheme.id { return .published }
        // A published checkpoint in the scheme beats quantizing while loading (half the download, the publisher's calibration).
        if model.checkpoints[scheme.id] != nil { return .prequantized }
        return loadQuantizable.contains(scheme.id) ? .quantizedAtLoad : .prequantized
    }

    /// The model argument: `--checkpoint` when given; the published repo where the weights load
    /// from it; otherwise a visible placeholder (a guessed repo name could download the wrong model).
    func modelReference(_ source: WeightSource, notes: inout [String], readsConfig engine: String) -> String {
        if let c = checkpoint { return c }
        switch source {
        case .published, .quantizedAtLoad: return repo
        case .gguf:
            let file = ggufFileName
            notes.append("\(file): the GGUF file of \(repo) in \(scheme.id) (--checkpoint PATH to name yours)")
            return file
        case .prequantized:
            if let repo = model.checkpoints[scheme.id] {
                notes.append("\(repo): the published \(scheme.name) checkpoint of \(self.repo) (--checkpoint to launch another)")
                return repo
            }
            notes.append("\(scheme.name) needs a checkpoint already quantized that way: replace the placeholder or pass --checkpoint REPO; "
                + "\(engine) reads the method from its config.json quantization_config, so no quantization flag is written")
            return "<\(scheme.id) checkpoint of \(repo)>"
        }
    }

    /// llama.cpp's naming: `<model>-<TYPE>.gguf` (convert/quantize tools and most GGUF repos).
    var ggufFileName: String {
        var id = scheme.id
        for prefix in ["gguf-", "ggml-"] where id.hasPrefix(prefix) { id.removeFirst(prefix.count) }
        if scheme.isUnquantized, case .dense(let b, _) = scheme.storage { id = b == 4 ? "f32" : (scheme.id == "bf16" ? "bf16" : "f16") }
        return "\(model.name)-\(id.uppercased()).gguf"
    }

    /// An engine setting as a flag value: integers without a decimal point.
    func number(_ v: Double) -> String { v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : String(v) }

    /// Engine release as container tags spell it (0.11 → 0.11.0).
    var fullVersion: String { engine.version.split(separator: ".").count == 2 ? engine.version + ".0" : engine.version }

    func refuseSplit(_ t: ExportTarget, _ how: String) throws {
        if tensorParallel > 1 {
            throw ExportError.unsupported(target: t, reason: "\(engine.name) has no tensor parallelism of the kind estimated (tensor parallel \(tensorParallel)); \(how)")
        }
    }
}
