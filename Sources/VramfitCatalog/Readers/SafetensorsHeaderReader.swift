/// What one safetensors header says: each tensor's dtype, shape and exact byte size.
public struct SafetensorsHeader: Sendable, Equatable {
    public struct Tensor: Sendable, Equatable {
        public var name: String
        public var dtype: String
        public var shape: [Int64]
        public var bytes: Int64
    }
    public var tensors: [Tensor]
    public var metadata: [String: String]
    /// Length of the JSON header (the file's data starts at 8 + this).
    public var headerLength: Int64

    public var totalBytes: Int64 { tensors.reduce(0) { $0 + $1.bytes } }
}

/// Reads the header of a `.safetensors` file: 8-byte little-endian length N, N bytes of JSON
/// `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {…}}`, then the data.
/// Only the header is read; sizes come from the shapes and are checked against the offsets, and
/// every offset against the file size, so a lying header is an error rather than a wrong figure.
public enum SafetensorsHeaderReader {
    /// The safetensors crate refuses headers over 100 MB (MAX_HEADER_SIZE); so do we.
    public static let maxHeaderLength: Int64 = 100_000_000
    public static let maxTensors = 1 << 20
    public static let maxDims = 8

    /// Bytes per element; the crate's Dtype enum. Sub-byte types (F4/F6) are sized from the offsets.
    static let elementBytes: [String: Int64] = [
        "BOOL": 1, "U8": 1, "I8": 1, "F8_E4M3": 1, "F8_E5M2": 1, "F8_E8M0": 1,
        "I16": 2, "U16": 2, "F16": 2, "BF16": 2, "I32": 4, "U32": 4, "F32": 4, "I64": 8, "U64": 8, "F64": 8,
    ]

    /// The header length from the first 8 bytes, checked against the file size and the limit.
    public static func headerLength(_ first8: [UInt8], fileSize: Int64) throws -> Int64 {
        guard first8.count >= 8, fileSize >= 8 else { throw ModelFileError.truncated(what: "the 8-byte header length", offset: 0) }
        var n: UInt64 = 0
        for k in 0..<8 { n |= UInt64(first8[k]) << (8 * UInt64(k)) }
        guard n <= UInt64(maxHeaderLength) else { throw ModelFileError.tooLarge(what: "safetensors header length", value: n > UInt64(Int64.max) ? Int64.max : Int64(n), limit: maxHeaderLength) }
        guard Int64(n) <= fileSize - 8 else { throw ModelFileError.truncated(what: "the safetensors header (\(n) bytes announced)", offset: fileSize) }
        guard n >= 2 else { throw ModelFileError.malformed("safetensors header of \(n) bytes cannot hold a JSON object") }
        return Int64(n)
    }

    /// `bytes` must start at the file's first byte and hold at least 8 + header length bytes.
    public static func read(_ bytes: [UInt8], fileSize: Int64) throws -> SafetensorsHeader {
        let n = try headerLength(Array(bytes.prefix(8)), fileSize: fileSize)
        guard Int64(bytes.count) >= 8 + n else { throw ModelFileError.needMoreBytes(8 + n) }
        let json = try BoundedJSON.parse(Array(bytes[8..<Int(8 + n)]), maxBytes: Int(maxHeaderLength), maxDepth: 8)
        guard let entries = json.object else { throw ModelFileError.malformed("safetensors header is not a JSON object") }
        guard entries.count <= maxTensors + 1 else { throw ModelFileError.tooLarge(what: "tensor count", value: Int64(entries.count), limit: Int64(maxTensors)) }
        let dataSize = fileSize - 8 - n
        var tensors: [SafetensorsHeader.Tensor] = []
        var metadata: [String: String] = [:]
        var ranges: [(Int64, Int64)] = []
        for (name, v) in entries {
            if name == "__metadata__" {
                guard let m = v.object else { throw ModelFileError.malformed("__metadata__ must be an object of strings") }
                for (k, s) in m {
                    guard let s = s.string else { throw ModelFileError.malformed("__metadata__.\(k) must be a string") }
                    metadata[k] = s
                }
                continue
            }
            let t = try tensor(name, v, dataSize: dataSize)
            tensors.append(t.tensor)
            ranges.append(t.range)
        }
        // Overlapping tensors would let a header count the same bytes twice.
        ranges.sort { $0.0 < $1.0 }
        for k in ranges.indices.dropFirst() where ranges[k].0 < ranges[k - 1].1 {
            throw ModelFileError.malformed("tensor data ranges overlap at offset \(ranges[k].0)")
        }
        return SafetensorsHeader(tensors: tensors, metadata: metadata, headerLength: n)
    }

    static func tensor(_ name: String, _ v: JSONValue, dataSize: Int64) throws -> (tensor: SafetensorsHeader.Tensor, range: (Int64, Int64)) {
        guard v.object != nil else { throw ModelFileError.malformed("tensor '\(name)' is not an object") }
        guard let dtype = v["dtype"]?.string else { throw ModelFileError.malformed("tensor '\(name)' has no dtype") }
        guard let shapeJSON = v["shape"]?.array else { throw ModelFileError.malformed("tensor '\(name)' has no shape") }
        guard shapeJSON.count <= maxDims else { throw ModelFileError.tooLarge(what: "dimensions of '\(name)'", value: Int64(shapeJSON.count), limit: Int64(maxDims)) }
        var shape: [Int64] = []
        var elements: Int64 = 1
        for d in shapeJSON {
            guard let x = d.int, x >= 0 else { throw ModelFileError.malformed("tensor '\(name)' has a negative or non-integer dimension") }
            shape.append(x)
            elements = try Checked.mul(elements, x, "element count of '\(name)'")
        }
        guard let off = v["data_offsets"]?.array, off.count == 2, let begin = off[0].int, let end = off[1].int else {
            throw ModelFileError.malformed("tensor '\(name)' needs data_offsets [begin, end]")
        }
        guard begin >= 0, end >= begin else { throw ModelFileError.malformed("tensor '\(name)' has data_offsets [\(begin), \(end)] out of order") }
        guard end <= dataSize else {
            throw ModelFileError.malformed("tensor '\(name)' ends at \(end), past the \(dataSize) data bytes in the file")
        }
        let size = end - begin
        if let e = elementBytes[dtype] {
            let expected = try Checked.mul(elements, e, "byte size of '\(name)'")
            guard expected == size else {
                throw ModelFileError.malformed("tensor '\(name)': \(dtype) \(shape) is \(expected) bytes but data_offsets span \(size)")
            }
        } else if dtype == "F4" || dtype == "F6_E2M3" || dtype == "F6_E3M2" {
            let bits: Int64 = dtype == "F4" ? 4 : 6
            guard try Checked.mul(elements, bits, "bits of '\(name)'") == size * 8 else {
                throw ModelFileError.malformed("tensor '\(name)': \(dtype) \(shape) does not match data_offsets span \(size)")
            }
        } else {
            throw ModelFileError.unsupported("tensor '\(name)' has unknown dtype '\(dtype)'")
        }
        return (.init(name: name, dtype: dtype, shape: shape, bytes: size), (begin, end))
    }

    /// `model.safetensors.index.json` → the shard file of each tensor. Shard names must be plain
    /// file names: a `../` in a hostile index must not make us read outside the model folder.
    public static func shardNames(indexJSON bytes: [UInt8]) throws -> [String] {
        let root = try BoundedJSON.parse(bytes, maxBytes: 64 << 20, maxDepth: 8)
        guard let map = root["weight_map"]?.object else { throw ModelFileError.missingKey("weight_map") }
        var names: [String] = []
        var seen = Set<String>()
        for (_, f) in map {
            guard let f = f.string else { throw ModelFileError.malformed("weight_map values must be file names") }
            guard !f.isEmpty, !f.contains("/"), !f.contains("\\"), f != ".", f != ".." else {
                throw ModelFileError.malformed("shard name '\(f)' is not a plain file name")
            }
            if seen.insert(f).inserted { names.append(f) }
        }
        guard names.count <= 100_000 else { throw ModelFileError.tooLarge(what: "shard count", value: Int64(names.count), limit: 100_000) }
        return names.sorted()
    }
}
