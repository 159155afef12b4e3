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

    func fill(_ text: String) -> String {
        let values: [String: String] = [
            "gpu": gpu.name, "cc": ccText, "scheme": scheme.id, "engine": engine.name, "tp": "\(tensorParallel)",
            "pp": "\(pipelineParallel)", "heads": "\(model.numAttentionHeads)", "kv_heads": "\(model.numKVHeads)",
            "experts": "\(model.moe?.numExperts ?? 0)", "kv_cache": kvCache, "nodes": "\(nodes)", "model": model.name,
            "scheme_engines": scheme.engines.joined(separator: ", "),
        ]
        var out = text
        for (k, v) in values { out = out.replacing("{\(k)}", with: v) }
        return out
    }
}
