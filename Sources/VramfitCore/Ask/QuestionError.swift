/// Why a question could not be answered, with what to try instead.
public enum QuestionError: Error, Equatable, CustomStringConvertible {
    /// Nothing in the question names a model or a size; suggestions come from words that were not understood.
    case noModel(suggestions: [String])
    /// A name that looks like a model but is not in the catalog ("lama 3.1 8b").
    case unknownModel(String, suggestions: [String])
    /// A bare size ("300B") that no catalog model is within 10% of; `nearest` are the closest sizes.
    case noModelOfSize(String, nearest: [String])
    case unknownGPU(String, suggestions: [String])
    /// A memory size ("512GB") larger than every GPU in the catalog.
    case noGPUWithMemory(String)
    case unknownScheme(String, suggestions: [String])
    case unknownEngine(String, suggestions: [String])
    case unknownKVCacheType(String, suggestions: [String])
    /// "Will it fit?" with no GPU or memory size to fit it on.
    case noTarget

    public var description: String {
        switch self {
        case .noModel(let s):
            s.isEmpty ? "the question names no model; name one (\"llama 3.1 8b\") or a size (\"14B\")"
                : "the question names no model I know; did you mean \(Self.list(s))?"
        case .unknownModel(let t, let s): Self.unknown("model", t, s)
        case .noModelOfSize(let t, let nearest):
            "no model in the catalog has about \(t) parameters" + (nearest.isEmpty ? "" : "; nearest: \(Self.list(nearest))")
        case .unknownGPU(let t, let s): Self.unknown("GPU", t, s)
        case .noGPUWithMemory(let t): "no GPU in the catalog has \(t) of memory or more; ask for several GPUs (\"2x 80GB\")"
        case .unknownScheme(let t, let s): Self.unknown("quantization scheme", t, s)
        case .unknownEngine(let t, let s): Self.unknown("engine", t, s)
        case .unknownKVCacheType(let t, let s): Self.unknown("KV-cache type", t, s)
        case .noTarget:
            "the question asks whether it fits but not on what; name a GPU (\"on a 4090\") or a memory size (\"in 24GB\"), or ask \"how much VRAM\""
        }
    }

    private static func list(_ s: [String]) -> String { s.map { "'\($0)'" }.joined(separator: ", ") }

    private static func unknown(_ kind: String, _ name: String, _ s: [String]) -> String {
        s.isEmpty ? "unknown \(kind) '\(name)'" : "unknown \(kind) '\(name)'; did you mean \(list(s))?"
    }
}
