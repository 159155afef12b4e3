import VramfitCore

/// What a GGUF file's header says: metadata (arrays kept as element counts, and short numeric
/// arrays as values) and each tensor's ggml type and byte size.
public struct GGUFHeader: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case int(Int64), uint(UInt64), float(Double), bool(Bool), string(String)
        /// Element type id and count; numeric elements are kept when there are at most 4096.
        case array(type: UInt32, count: Int64, numbers: [Double])

        public var integer: Int64? {
            switch self {
            case .int(let i): i
            case .uint(let u): u <= UInt64(Int64.max) ? Int64(u) : nil
            case .float(let f): f.rounded() == f && abs(f) < 9e15 ? Int64(f) : nil
            default: nil
            }
        }
    }
    public struct Tensor: Sendable, Equatable {
        public var name: String
        public var dims: [Int64]
        public var typeId: UInt32
        public var typeName: String
        /// Relative to the start of the data section of the file that holds the tensor.
        public var offset: Int64
        public var bytes: Int64
        /// Which shard of a split model holds it (0-based; `GGUFSplit.merge`), 0 for a single file.
        public var shard: Int = 0
    }
    public var version: UInt32
    public var metadata: [String: Value]
    public var tensors: [Tensor]
    public var alignment: Int64
    /// Byte offset where tensor data starts.
    public var dataOffset: Int64

    public var totalBytes: Int64 { tensors.reduce(0) { $0 + $1.bytes } }
}

/// Reads a GGUF v2/v3 header (ggml/docs/gguf.md): magic `GGUF`, version, tensor and key-value
/// counts (u64), typed key-values, tensor infos. Every count is checked against the bytes left
/// before anything is allocated; strings, arrays and nesting have limits, so a hostile header
/// fails fast with a `ModelFileError` instead of allocating terabytes or looping forever.
public struct GGUFReader {
    public static let maxStringLength: Int64 = 16 << 20
    public static let maxTensors: Int64 = 1 << 20
    public static let maxKeyValues: Int64 = 1 << 20
    public static let maxArrayNesting = 4
    public static let keptArrayNumbers: Int64 = 4096

    /// ggml type id → (name, elements per block, bytes per block); ggml.c `type_traits`.
    /// Ids 4, 5 (Q4_2/Q4_3) and 31–33 were removed from ggml and are rejected.
    static let types: [UInt32: (String, Int64, Int64)] = [
        0: ("F32", 1, 4), 1: ("F16", 1, 2), 2: ("Q4_0", 32, 18), 3: ("Q4_1", 32, 20), 6: ("Q5_0", 32, 22),
        7: ("Q5_1", 32, 24), 8: ("Q8_0", 32, 34), 9: ("Q8_1", 32, 36), 10: ("Q2_K", 256, 84), 11: ("Q3_K", 256, 110),
        12: ("Q4_K", 256, 144), 13: ("Q5_K", 256, 176), 14: ("Q6_K", 256, 210), 15: ("Q8_K", 256, 292),
        16: ("IQ2_XXS", 256, 66), 17: ("IQ2_XS", 256, 74), 18: ("IQ3_XXS", 256, 98), 19: ("IQ1_S", 256, 50),
        20: ("IQ4_NL", 32, 18), 21: ("IQ3_S", 256, 110), 22: ("IQ2_S", 256, 82), 23: ("IQ4_XS", 256, 136),
        24: ("I8", 1, 1), 25: ("I16", 1, 2), 26: ("I32", 1, 4), 27: ("I64", 1, 8), 28: ("F64", 1, 8),
        29: ("IQ1_M", 256, 56), 30: ("BF16", 1, 2), 34: ("TQ1_0", 256, 54), 35: ("TQ2_0", 256, 66), 39: ("MXFP4", 32, 17),
    ]

    let b: [UInt8]
    let fileSize: Int64
    var pos = 0

    /// `bytes` is the start of the file (all of it, or a prefix: `needMoreBytes` asks for more
    /// when the header runs past the prefix but not past `fileSize`).
    public static func read(_ bytes: [UInt8], fileSize: Int64) throws -> GGUFHeader {
        var r = GGUFReader(b: bytes, fileSize: max(fileSize, Int64(bytes.count)))
        return try r.header()
    }

    mutating func need(_ n: Int64, _ what: String) throws {
        let end = Int64(pos) + n
        if end <= Int64(b.count) { return }
        if end <= fileSize { throw ModelFileError.needMoreBytes(max(end, Int64(b.count) * 2)) }
        throw ModelFileError.truncated(what: what, offset: Int64(pos))
    }
    mutating func u8(_ w: String) throws -> UInt8 { try need(1, w); pos += 1; return b[pos - 1] }
    mutating func le(_ n: Int, _ w: String) throws -> UInt64 {
        try need(Int64(n), w)
        var v: UInt64 = 0
        for k in 0..<n { v |= UInt64(b[pos + k]) << (8 * UInt64(k)) }
        pos += n
        return v
    }
    mutating func u32(_ w: String) throws -> UInt32 { UInt32(try le(4, w)) }
    /// A u64 count or length that must fit the bytes left (each unit at least `unit` bytes) and `limit`.
    mutating func count(_ w: String, unit: Int64, limit: Int64) throws -> Int64 {
        let v = try le(8, w)
        guard v <= UInt64(limit) else { throw ModelFileError.tooLarge(what: w, value: v > UInt64(Int64.max) ? Int64.max : Int64(v), limit: limit) }
        let n = Int64(v)
        let left = fileSize - Int64(pos)
        guard (try Checked.mul(n, unit, w)) <= left else { throw ModelFileError.truncated(what: "\(w) (\(n) announced)", offset: Int64(pos)) }
        return n
    }
    mutating func string(_ w: String) throws -> String {
        let n = try count("length of \(w)", unit: 1, limit: Self.maxStringLength)
        try need(n, w)
        let start = pos
        pos += Int(n)
        guard let s = String(bytes: b[start..<pos], encoding: .utf8) else { throw ModelFileError.invalidUTF8(offset: start) }
        return s
    }

    mutating func header() throws -> GGUFHeader {
        let magic = try le(4, "magic")
        guard magic == 0x4655_4747 else { throw ModelFileError.malformed("not a GGUF file (magic bytes are not 'GGUF')") }
        let version = try u32("version")
        guard version == 2 || version == 3 else { throw ModelFileError.unsupported("GGUF version \(version) (vramfit reads 2 and 3)") }
        // Smallest tensor info: 8-byte name length, u32 dims, u32 type, u64 offset; smallest kv: key length, type, 1 byte.
        let nTensors = try count("tensor count", unit: 24, limit: Self.maxTensors)
        let nKV = try count("metadata count", unit: 13, limit: Self.maxKeyValues)
        var meta: [String: GGUFHeader.Value] = [:]
        for _ in 0..<nKV {
            let at = pos
            let key = try string("metadata key")
            let type = try u32("metadata type of '\(key)'")
            let v = try value(type: type, key: key, depth: 0)
            guard meta.updateValue(v, forKey: key) == nil else { throw ModelFileError.malformed("duplicate metadata key '\(key)' at byte \(at)") }
        }
        var alignment: Int64 = 32
        if let a = meta["general.alignment"] {
            guard let x = a.integer, x > 0, x <= 1 << 20, x & (x - 1) == 0 else { throw ModelFileError.malformed("general.alignment must be a power of two ≤ 1 MiB") }
            alignment = x
        }
        var infos: [(String, [Int64], UInt32, Int64)] = []
        infos.reserveCapacity(Int(nTensors))
        var names = Set<String>()
        for _ in 0..<nTensors {
            let name = try string("tensor name")
            guard names.insert(name).inserted else { throw ModelFileError.malformed("duplicate tensor '\(name)'") }
            let nd = try u32("dimension count of '\(name)'")
            guard nd >= 1, nd <= 4 else { throw ModelFileError.malformed("tensor '\(name)' has \(nd) dimensions (1–4 allowed)") }
            var dims: [Int64] = []
            for _ in 0..<nd {
                let d = try le(8, "dimensions of '\(name)'")
                guard d <= UInt64(Int64.max) else { throw ModelFileError.malformed("tensor '\(name)' has a dimension over 2⁶³") }
                dims.append(Int64(d))
            }
            let t = try u32("type of '\(name)'")
            let off = try le(8, "offset of '\(name)'")
            guard off <= UInt64(Int64.max) else { throw ModelFileError.malformed("tensor '\(name)' has an offset over 2⁶³") }
            infos.append((name, dims, t, Int64(off)))
        }
        let dataOffset = try Checked.add(Int64(pos), (alignment - Int64(pos) % alignment) % alignment, "data offset")
        let dataSize = fileSize - dataOffset
        var tensors: [GGUFHeader.Tensor] = []
        for (name, dims, t, off) in infos {
            guard let (tn, bs, bb) = Self.types[t] else { throw ModelFileError.unsupported("tensor '\(name)' has unknown ggml type \(t)") }
            guard dims[0] % bs == 0 else { throw ModelFileError.malformed("tensor '\(name)': row of \(dims[0]) is not a multiple of \(tn)'s block of \(bs)") }
            var elems: Int64 = 1
            for d in dims { elems = try Checked.mul(elems, d, "element count of '\(name)'") }
            let bytes = try Checked.mul(elems / bs, bb, "byte size of '\(name)'")
            guard off % alignment == 0 else { throw ModelFileError.malformed("tensor '\(name)' offset \(off) is not aligned to \(alignment)") }
            guard try Checked.add(off, bytes, "end of '\(name)'") <= dataSize else {
                throw ModelFileError.malformed("tensor '\(name)' (\(bytes) bytes at \(off)) runs past the end of the file")
            }
            tensors.append(.init(name: name, dims: dims, typeId: t, typeName: tn, offset: off, bytes: bytes))
        }
        return GGUFHeader(version: version, metadata: meta, tensors: tensors, alignment: alignment, dataOffset: dataOffset)
    }

    mutating func value(type: UInt32, key: String, depth: Int) throws -> GGUFHeader.Value {
        let w = "value of '\(key)'"
        switch type {
        case 0: return .uint(UInt64(try u8(w)))
        case 1: return .int(Int64(Int8(bitPattern: try u8(w))))
        case 2: return .uint(try le(2, w))
        case 3: return .int(Int64(Int16(truncatingIfNeeded: try le(2, w))))
        case 4: return .uint(try le(4, w))
        case 5: return .int(Int64(Int32(truncatingIfNeeded: try le(4, w))))
        case 6: return .float(Double(Float(bitPattern: UInt32(try le(4, w)))))
        case 7:
            let x = try u8(w)
            guard x <= 1 else { throw ModelFileError.malformed("boolean '\(key)' is \(x), not 0 or 1") }
            return .bool(x == 1)
        case 8: return .string(try string(w))
        case 10: return .uint(try le(8, w))
        case 11: return .int(Int64(bitPattern: try le(8, w)))
        case 12: return .float(Double(bitPattern: try le(8, w)))
        case 9:
            guard depth < Self.maxArrayNesting else { throw ModelFileError.malformed("arrays nested deeper than \(Self.maxArrayNesting) in '\(key)'") }
            let et = try u32("array type of '\(key)'")
            let unit: Int64 = switch et { case 0, 1, 7: 1; case 2, 3: 2; case 4, 5, 6: 4; case 10, 11, 12, 8: 8; case 9: 12; default: 1 }
            let n = try count("element count of '\(key)'", unit: unit, limit: 1 << 32)
            var numbers: [Double] = []
            for k in 0..<n {
                let v = try value(type: et, key: key, depth: depth + 1)
                if k < Self.keptArrayNumbers {
                    switch v {
                    case .int(let i): numbers.append(Double(i))
                    case .uint(let u): numbers.append(Double(u))
                    case .float(let f): numbers.append(f)
                    case .bool(let x): numbers.append(x ? 1 : 0)
                    default: break
                    }
                }
            }
            return .array(type: et, count: n, numbers: numbers)
        default: throw ModelFileError.malformed("metadata '\(key)' has unknown value type \(type)")
        }
    }
}
