/// A whole-catalog question: for every model × GPU × scheme (× engine) in the selection, at each
/// of a few contexts, does it fit? The answer is a fits-matrix (`Sweep`).
public struct SweepQuery: Sendable {
    /// Which engines run each scheme in the sweep.
    public enum Engines: Sendable, Equatable {
        /// The engine most users of the scheme run on that kind of device (`Catalog.defaultEngine`),
        /// the same default `estimate` takes: one engine per scheme, so the matrix compares schemes.
        case usual
        /// Every engine the scheme's catalog entry lists.
        case all
        /// Only this engine id; schemes it does not run are left out.
        case only(String)

        /// `usual`, `all` or the engine id, as `--json` names it.
        public var label: String {
            switch self {
            case .usual: "usual"
            case .all: "all"
            case .only(let id): id
            }
        }
    }

    public var models: [Model]
    public var gpus: [GPU]
    public var schemes: [QuantScheme]
    public var engines: Engines
    /// Tokens per sequence, each a column of the matrix.
    public var contexts: [Int64]
    /// GPUs per configuration (tensor parallel for vLLM/SGLang/TGI, a layer split for the others,
    /// as `estimate --gpus N`).
    public var gpusPerConfiguration: Int64
    public var concurrency: Int64

    /// 4k (a chat turn, llama.cpp/Ollama's default window), 32k (a long document), 128k (the long
    /// context most current models advertise).
    public static let defaultContexts: [Int64] = [4096, 32768, 131072]

    public init(models: [Model], gpus: [GPU], schemes: [QuantScheme], engines: Engines = .usual,
                contexts: [Int64] = defaultContexts, gpusPerConfiguration: Int64 = 1, concurrency: Int64 = 1) {
        self.models = models; self.gpus = gpus; self.schemes = schemes; self.engines = engines
        self.contexts = contexts; self.gpusPerConfiguration = gpusPerConfiguration; self.concurrency = concurrency
    }

    /// The whole catalog at the default contexts: every model, GPU and scheme but fp32 (twice
    /// bf16's memory for no gain in quality; `plan` leaves it out the same way).
    public init(catalog c: Catalog) {
        self.init(models: c.models, gpus: c.gpus, schemes: Self.defaultSchemes(c))
    }

    public static func defaultSchemes(_ c: Catalog) -> [QuantScheme] { c.schemes.filter { $0.id != "fp32" } }
}
