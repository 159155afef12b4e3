/// Why a log could not be checked. Every case is bad input (exit 2 in the CLI), never a crash.
public enum LogCheckError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The input holds nothing but white space.
    case empty
    /// The input is not text (a binary file, a compressed log): the share of its characters that are
    /// control characters or bytes that were not UTF-8, when no engine line was found either.
    case notText(nonTextFraction: Double)
    /// No line of any supported engine's start-up was found.
    case noEngineLines(lines: Int)
    /// Engine lines were found but none of the memory figures this tool compares.
    case noFigures(engine: LogEngine)
    /// The log names no model and has no dimensions to rebuild one from.
    case noModel(engine: LogEngine)
    /// The model the log names is not in the catalog (and the log has no dimensions to rebuild it).
    case unknownModel(name: String, suggestions: [String])
    /// llama.cpp printed dimensions too incomplete or inconsistent to rebuild the model.
    case incompleteArchitecture(String)
    /// The log's quantization or file type has no catalog scheme.
    case unknownScheme(printed: String, suggestions: [String])
    /// No GPU could be told from the log.
    case noGPU(engine: LogEngine)

    public var description: String {
        switch self {
        case .empty:
            "the log is empty"
        case .notText(let f):
            "this is not a text log (\(Int((f * 100).rounded())) % of its characters are control characters or bytes that are not UTF-8); a compressed log must be unpacked first"
        case .noEngineLines(let n):
            "no vLLM, SGLang, llama.cpp or Ollama start-up lines in \(n) lines of text (see docs/check-log.md for the lines read)"
        case .noFigures(let e):
            "the \(e.displayName) log has no memory figures (weights, KV cache, buffers); is it cut before the engine finished starting?"
        case .noModel(let e):
            "the \(e.displayName) log does not name the model; pass --model"
        case .unknownModel(let name, let s):
            "unknown model '\(name)' in the log" + (s.isEmpty ? "" : "; did you mean \(s.map { "'\($0)'" }.joined(separator: ", "))?") + " (pass --model)"
        case .incompleteArchitecture(let why):
            "cannot rebuild the model from the log's dimensions: \(why) (pass --model)"
        case .unknownScheme(let p, let s):
            "no catalog scheme for '\(p)' in the log" + (s.isEmpty ? "" : "; did you mean \(s.map { "'\($0)'" }.joined(separator: ", "))?") + " (pass --quant)"
        case .noGPU(let e):
            "the \(e.displayName) log does not name the GPU or its memory; pass --gpu"
        }
    }
}
