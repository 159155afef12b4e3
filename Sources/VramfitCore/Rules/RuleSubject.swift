/// One configuration as the rules see it: which model, scheme, engine and GPU, and how it is
/// spread (tensor/pipeline parallel, nodes, CPU offload).
public struct RuleSubject: Sendable {
    public var model: Model
    public var scheme: QuantScheme
    public var engine: Engine
    /// The engine release, nil for the catalog's current one (`v0` for vLLM's V0 engine).
    public var engineVersion: String?
    public var gpu: GPU
    /// KV-cache type id (fp16, bf16, fp8, q8_0, …).
    public var kvCache: String
    public var tensorParallel: Int64
    public var pipelineParallel: Int64
    public var nodes: Int64
    /// GPUs in one node; TP beyond this crosses the node interconnect.
    public var gpusPerNode: Int64
    /// Weights or experts kept in CPU RAM (llama.cpp partial offload, accelerate "cpu" entries).
    public var cpuOffload: Bool
    /// Experts spread over ranks instead of sharded (vLLM --enable-expert-parallel).
    public var expertParallel: Bool
    /// Flash attention requested (llama.cpp -fa, transformers attn_implementation=flash_attention_2).
    public var flashAttention: Bool

    public init(model: Model, scheme: QuantScheme, engine: Engine, engineVersion: String? = nil, gpu: GPU, kvCache: String = "fp16",
                tensorParallel: Int64 = 1, pipelineParallel: Int64 = 1, nodes: Int64 = 1, gpusPerNode: Int64? = nil,
                cpuOffload: Bool = false, expertParallel: Bool = false, flashAttention: Bool = false) {
        self.model = model; self.scheme = scheme; self.engine = engine; self.engineVersion = engineVersion; self.gpu = gpu
        self.kvCache = kvCache; self.tensorParallel = tensorParallel; self.pipelineParallel = pipelineParallel
        self.nodes = nodes; self.gpusPerNode = gpusPerNode ?? tensorParallel * pipelineParallel
        self.cpuOffload = cpuOffload; self.expertParallel = expertParallel; self.flashAttention = flashAttention
    }

    /// The scheme's family for rules that speak of a kind of quantization rather than one id:
    /// `gguf`, `bnb`, `fp8`, `awq`, `gptq`, `mxfp4`, `int8`, `float`, else the id itself.
    public var schemeFamily: String { RuleSubject.family(of: scheme) }

    public static func family(of s: QuantScheme) -> String {
        let id = s.id.lowercased()
        if s.isGGUF { return "gguf" }
        if case .blockwise4bit = s.storage { return "bnb" }
        for prefix in ["bnb", "fp8", "awq", "gptq", "mxfp4", "int8"] where id.hasPrefix(prefix) { return prefix }
        if case .fp8Block = s.storage { return "fp8" }
        if s.isUnquantized { return "float" }
        return id
    }

    /// `8.9` for compute capability 89; `none` for GPUs without one (AMD, Apple, CPUs).
    public var ccText: String { gpu.computeCapability.map { "\($0 / 10).\($0 % 10)" } ?? "none" }

    /// The rule's text with each `{name}` it uses filled in; unknown names stay as written. One pass
    /// over the text, working out only the values it names: rules are filled for every
    /// configuration a sweep visits. (The values are catalog names, which hold no braces.)
    func fill(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "{")) else { return text }
        var out = ""
        var rest = text[...]
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let name = rest[rest.index(after: open)...]
            if let close = name.firstIndex(of: "}"), let value = value(of: name[..<close]) {
                out += value
                rest = name[name.index(after: close)...]
            } else {
                out += "{"
                rest = name
            }
        }
        out += rest
        return out
    }

    func value(of name: Substring) -> String? {
        switch name {
        case "gpu": gpu.name
        case "cc": ccText
        case "scheme": scheme.id
        case "engine": engine.name
        case "tp": "\(tensorParallel)"
        case "pp": "\(pipelineParallel)"
        case "heads": "\(model.numAttentionHeads)"
        case "kv_heads": "\(model.numKVHeads)"
        case "experts": "\(model.moe?.numExperts ?? 0)"
        case "kv_cache": kvCache
        case "nodes": "\(nodes)"
        case "model": model.name
        case "scheme_engines": scheme.engines.joined(separator: ", ")
        default: nil
        }
    }
}
