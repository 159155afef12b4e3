import Foundation

/// A JSON value that keeps object keys in file order. Numbers keep their integer value when the
/// text is an integer that fits Int64, so sizes and offsets are never rounded through Double.
public indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case let (.bool(x), .bool(y)): x == y
        case let (.int(x), .int(y)): x == y
        case let (.double(x), .double(y)): x == y
        case let (.string(x), .string(y)): x == y
        case let (.array(x), .array(y)): x == y
        case let (.object(x), .object(y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let kv) = self { return kv.first { $0.0 == key }?.1 }
        return nil
    }
    public var int: Int64? {
        switch self {
        case .int(let i): i
        case .double(let d) where d.rounded() == d && abs(d) < 9e15: Int64(d)
        default: nil
        }
    }
    public var string: String? { if case .string(let s) = self { s } else { nil } }
    public var bool: Bool? { if case .bool(let b) = self { b } else { nil } }
    public var array: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    public var object: [(String, JSONValue)]? { if case .object(let o) = self { o } else { nil } }
}

/// A strict RFC 8259 parser with limits, for files that may be hostile: JSONSerialization accepts
/// duplicate keys silently (last one wins) and has no depth limit, so a header could say two
/// different things or exhaust the stack. Here: duplicate keys, invalid UTF-8, nesting beyond
/// `maxDepth` and input beyond `maxBytes` are errors; work is linear in the input.
public struct BoundedJSON {
    public static let defaultMaxDepth = 64

    let b: [UInt8]
    var i = 0
    let maxDepth: Int

    public static func parse(_ bytes: [UInt8], maxBytes: Int = 16 << 20, maxDepth: Int = defaultMaxDepth) throws -> JSONValue {
        guard bytes.count <= maxBytes else {
            throw ModelFileError.tooLarge(what: "JSON text", value: Int64(bytes.count), limit: Int64(maxBytes))
        }
        var p = BoundedJSON(b: bytes, maxDepth: maxDepth)
        p.skipSpace()
        let v = try p.value(depth: 0)
        p.skipSpace()
        guard p.i == bytes.count else { throw ModelFileError.json("unexpected text after the value", offset: p.i) }
        return v
    }

    mutating func skipSpace() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
    }

    mutating func value(depth: Int) throws -> JSONValue {
        guard i < b.count else { throw ModelFileError.json("unexpected end", offset: i) }
        switch b[i] {
        case UInt8(ascii: "{"): return try object(depth: depth + 1)
        case UInt8(ascii: "["): return try array(depth: depth + 1)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw ModelFileError.json("unexpected character", offset: i)
        }
    }

    mutating func literal(_ s: String) throws {
        let u = Array(s.utf8), n = u.count
        guard i + n <= b.count else { throw ModelFileError.json("unexpected end", offset: i) }
        for k in 0..<n where b[i + k] != u[k] { throw ModelFileError.json("unexpected character", offset: i + k) }
        i += n
    }

    mutating func object(depth: Int) throws -> JSONValue {
        guard depth <= maxDepth else { throw ModelFileError.nestingTooDeep(limit: maxDepth) }
        i += 1
        var out: [(String, JSONValue)] = []
        var seen = Set<String>()
        skipSpace()
        if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .object(out) }
        while true {
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw ModelFileError.json("expected a key", offset: i) }
            let at = i
            let k = try string()
            guard seen.insert(k).inserted else { throw ModelFileError.duplicateKey(k, offset: at) }
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: ":") else { throw ModelFileError.json("expected ':'", offset: i) }
            i += 1
            skipSpace()
            out.append((k, try value(depth: depth)))
            skipSpace()
            guard i < b.count else { throw ModelFileError.json("unexpected end", offset: i) }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "}") { i += 1; return .object(out) }
            throw ModelFileError.json("expected ',' or '}'", offset: i)
        }
    }

    mutating func array(depth: Int) throws -> JSONValue {
        guard depth <= maxDepth else { throw ModelFileError.nestingTooDeep(limit: maxDepth) }
        i += 1
        var out: [JSONValue] = []
        skipSpace()
        if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .array(out) }
        while true {
            skipSpace()
            out.append(try value(depth: depth))
            skipSpace()
            guard i < b.count else { throw ModelFileError.json("unexpected end", offset: i) }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "]") { i += 1; return .array(out) }
            throw ModelFileError.json("expected ',' or ']'", offset: i)
        }
    }

    mutating func hex4() throws -> UInt32 {
        guard i + 4 <= b.count else { throw ModelFileError.json("unexpected end in \\u escape", offset: i) }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = b[i]
            let d: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = c - UInt8(ascii: "A") + 10
            default: throw ModelFileError.json("bad hex digit in \\u escape", offset: i)
            }
            v = v << 4 | UInt32(d)
            i += 1
        }
        return v
    }

    /// A string literal; raw bytes are validated as UTF-8, escapes decoded (surrogate pairs joined).
    mutating func string() throws -> String {
        i += 1
        var out: [UInt8] = []
        var runStart = i
        while true {
            guard i < b.count else { throw ModelFileError.json("unterminated string", offset: i) }
            let c = b[i]
            if c == UInt8(ascii: "\"") { break }
            if c < 0x20 { throw ModelFileError.json("control character in string", offset: i) }
            if c == UInt8(ascii: "\\") {
                out.append(contentsOf: b[runStart..<i])
                i += 1
                guard i < b.count else { throw ModelFileError.json("unterminated string", offset: i) }
                let e = b[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "t"): out.append(9)
                case UInt8(ascii: "u"):
                    var u = try hex4()
                    if (0xD800..<0xDC00).contains(u) {
                        guard i + 1 < b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") else {
                            throw ModelFileError.json("unpaired surrogate", offset: i)
                        }
                        i += 2
                        let lo = try hex4()
                        guard (0xDC00..<0xE000).contains(lo) else { throw ModelFileError.json("unpaired surrogate", offset: i) }
                        u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00)
                    } else if (0xDC00..<0xE000).contains(u) {
                        throw ModelFileError.json("unpaired surrogate", offset: i)
                    }
                    out.append(contentsOf: Array(String(Character(Unicode.Scalar(u)!)).utf8))
                default: throw ModelFileError.json("bad escape", offset: i - 1)
                }
                runStart = i
                continue
            }
            i += 1
        }
        out.append(contentsOf: b[runStart..<i])
        let start = runStart
        i += 1
        guard let s = String(bytes: out, encoding: .utf8) else { throw ModelFileError.invalidUTF8(offset: start) }
        return s
    }

    mutating func number() throws -> JSONValue {
        let start = i
        var isInt = true
        if b[i] == UInt8(ascii: "-") { i += 1 }
        func digits() -> Int {
            let s = i
            while i < b.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[i]) { i += 1 }
            return i - s
        }
        let intDigits = digits()
        guard intDigits > 0 else { throw ModelFileError.json("bad number", offset: start) }
        if intDigits > 1, b[i - intDigits] == UInt8(ascii: "0") { throw ModelFileError.json("leading zero", offset: start) }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            isInt = false; i += 1
            guard digits() > 0 else { throw ModelFileError.json("bad number", offset: start) }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            isInt = false; i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { throw ModelFileError.json("bad number", offset: start) }
        }
        guard i - start <= 400 else { throw ModelFileError.json("number too long", offset: start) }
        let text = String(decoding: b[start..<i], as: UTF8.self)
        if isInt, let v = Int64(text) { return .int(v) }
        guard let d = Double(text), d.isFinite else { throw ModelFileError.json("number out of range", offset: start) }
        return .double(d)
    }
}
