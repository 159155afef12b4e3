/// Why an estimate could not be made. Every case is the user's input, named with the value.
public enum EstimateError: Error, Equatable, CustomStringConvertible {
    case invalid(field: String, value: String, reason: String)
    case unknownKVCacheType(String, available: [String])
    case unknownEngineVersion(engine: String, version: String, available: [String])
    case unsupported(String)

    public var description: String {
        switch self {
        case .invalid(let f, let v, let r): "invalid \(f) \(v): \(r)"
        case .unknownKVCacheType(let t, let a): "unknown KV-cache type '\(t)' (known: \(a.joined(separator: ", ")))"
        case .unknownEngineVersion(let e, let v, let a):
            "unknown \(e) version '\(v)' (known: \(a.isEmpty ? "none besides the current release" : a.joined(separator: ", ")))"
        case .unsupported(let s): s
        }
    }
}
