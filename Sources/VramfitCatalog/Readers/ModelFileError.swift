/// Why a model file (config.json, safetensors, GGUF) could not be read. Every hostile or broken
/// input ends in one of these, never a trap or an unbounded allocation; the CLI turns them into
/// exit code 2 with the file named.
public enum ModelFileError: Error, Equatable, CustomStringConvertible {
    /// The data ends before a field it announced (`needed` bytes at `offset`).
    case truncated(what: String, offset: Int64)
    /// A count or length beyond what the file can hold or a sane limit.
    case tooLarge(what: String, value: Int64, limit: Int64)
    /// A structural problem: bad magic, wrong type, negative size, offset outside the file.
    case malformed(String)
    /// JSON syntax error at a byte offset.
    case json(String, offset: Int)
    case duplicateKey(String, offset: Int)
    case invalidUTF8(offset: Int)
    case nestingTooDeep(limit: Int)
    case missingKey(String)
    case unsupported(String)
    /// The reader was handed a prefix of the file and needs more of it (the file layer rereads).
    case needMoreBytes(Int64)
    /// A shard of a split GGUF that its set names is not there (1-based, as in the file names).
    case missingShard(index: Int, count: Int)

    public var description: String {
        switch self {
        case .truncated(let w, let o): "file ends inside \(w) (at byte \(o))"
        case .tooLarge(let w, let v, let l): "\(w) is \(v), beyond the limit of \(l)"
        case .malformed(let s): s
        case .json(let s, let o): "invalid JSON at byte \(o): \(s)"
        case .duplicateKey(let k, let o): "duplicate JSON key '\(k)' at byte \(o)"
        case .invalidUTF8(let o): "invalid UTF-8 at byte \(o)"
        case .nestingTooDeep(let l): "JSON nested deeper than \(l) levels"
        case .missingKey(let k): "missing '\(k)'"
        case .unsupported(let s): s
        case .needMoreBytes(let n): "header needs \(n) bytes"
        case .missingShard(let i, let n): "shard \(i) of \(n) of this split GGUF is missing (gguf-split writes all \(n) next to each other)"
        }
    }
}

/// Overflow-checked arithmetic for sizes read from files: an overflow is a malformed file, not a trap.
enum Checked {
    static func mul(_ a: Int64, _ b: Int64, _ what: String) throws -> Int64 {
        let (r, o) = a.multipliedReportingOverflow(by: b)
        if o || r < 0 { throw ModelFileError.malformed("\(what) overflows 64 bits") }
        return r
    }
    static func add(_ a: Int64, _ b: Int64, _ what: String) throws -> Int64 {
        let (r, o) = a.addingReportingOverflow(b)
        if o || r < 0 { throw ModelFileError.malformed("\(what) overflows 64 bits") }
        return r
    }
}
