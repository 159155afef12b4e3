import VramfitCore

/// Why the micro-runner refused or failed. Every case is bad input or an impossible request, so the
/// CLI prints `description` and exits 2; none is a crash.
public enum RunnerError: Error, Equatable, CustomStringConvertible {
    /// `--target` names no backend this build knows.
    case unknownTarget(String, known: [String])
    /// The target exists but cannot run here (no driver, no device).
    case backendUnavailable(target: String, reason: String)
    /// The backend cannot execute this storage format or KV type.
    case unsupportedOnTarget(target: String, what: String, reason: String)
    /// The model has an architecture feature the runner does not execute.
    case unsupportedArchitecture(model: String, feature: String)
    /// The run would need more memory than the device has (checked before allocating).
    case insufficientMemory(target: String, needed: ByteCount, available: ByteCount, breakdown: [String])
    /// More tokens than the KV cache was allocated for.
    case cacheFull(capacity: Int, position: Int, tokens: Int)
    /// Activations of the wrong length.
    case wrongInputSize(expected: Int, got: Int)
    /// A weight's shape differs from what the model's config implies (e.g. from a safetensors file).
    case wrongShape(tensor: String, expected: [Int], got: [Int])
    /// A checkpoint that does not hold a layer's tensors as the model's config implies: each
    /// problem names its tensor (wrong shape first, then unreadable dtypes, then missing ones).
    case checkpointMismatch(source: String, problems: [String])
    case invalidRequest(String)

    public var description: String {
        switch self {
        case .unknownTarget(let t, let known):
            "unknown target '\(t)'; known targets: \(known.joined(separator: ", "))"
        case .backendUnavailable(let t, let r):
            "target '\(t)' is not available: \(r)"
        case .unsupportedOnTarget(let t, let w, let r):
            "\(w) cannot run on target '\(t)': \(r)"
        case .unsupportedArchitecture(let m, let f):
            "the micro-runner cannot execute \(m): \(f)"
        case .insufficientMemory(let t, let n, let a, let parts):
            "not enough memory on target '\(t)': the run needs \(n.value) bytes (\(ByteFormat.binary(n))), "
                + "\(a.value) bytes (\(ByteFormat.binary(a))) are available"
                + (parts.isEmpty ? "" : " — " + parts.joined(separator: ", "))
        case .cacheFull(let c, let p, let t):
            "KV cache holds \(c) positions; \(p) are used and \(t) more were asked for"
        case .wrongInputSize(let e, let g):
            "input has \(g) values, expected \(e)"
        case .wrongShape(let name, let e, let g):
            "tensor '\(name)' has shape \(g), expected \(e)"
        case .checkpointMismatch(let source, let problems):
            "\(source) does not match the model: "
                + (problems.count <= Self.listedProblems ? problems : Array(problems.prefix(Self.listedProblems)) + ["and \(problems.count - Self.listedProblems) more"])
                    .joined(separator: "; ")
        case .invalidRequest(let s):
            s
        }
    }

    /// How many problems of a checkpoint the message lists before "and N more".
    static let listedProblems = 8
}
