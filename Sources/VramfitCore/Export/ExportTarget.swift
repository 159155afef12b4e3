/// The launch formats `vramfit export --to` writes. Each maps to the engine whose memory model the
/// estimate must have used: a launch config is only as good as the estimate behind it, so an
/// export for vLLM is always made from a vLLM estimate (accelerate is transformers' loader).
public enum ExportTarget: String, Sendable, CaseIterable {
    case vllm, sglang, tgi
    case llamaCpp = "llama.cpp"
    case ollama, transformers, accelerate
    /// vLLM as Kubernetes manifests: a Deployment for one node, a LeaderWorkerSet for several.
    case kubernetes

    /// Catalog engine id the estimate is made for.
    public var engineId: String {
        switch self {
        case .accelerate: "transformers"
        case .kubernetes: "vllm"
        default: rawValue
        }
    }

    /// Accepts the spellings people use (`llamacpp`, `llama-server`, `hf`).
    public init?(loose s: String) {
        switch s.lowercased() {
        case "vllm": self = .vllm
        case "sglang": self = .sglang
        case "tgi", "text-generation-inference": self = .tgi
        case "llama.cpp", "llamacpp", "llama-cpp", "llama-server": self = .llamaCpp
        case "ollama": self = .ollama
        case "transformers", "hf": self = .transformers
        case "accelerate": self = .accelerate
        case "kubernetes", "k8s", "kube", "lws": self = .kubernetes
        default: return nil
        }
    }
}
