import Foundation
import VramfitCatalog
import VramfitRunner

/// Real weights for the micro-runner from `.safetensors` files (one file, or every `*.safetensors`
/// in a folder). Headers are read and checked by `SafetensorsHeaderReader` (dtype × shape against
/// the data offsets, offsets inside the file); each tensor's bytes are read only when the layer
/// builder asks for it. F32, F16 and BF16 tensors are supported (what checkpoints ship).
final class SafetensorsWeights: WeightSource, @unchecked Sendable {
    struct Entry {
        var file: String
        var dtype: String
        var shape: [Int64]
        /// Absolute file offset of the first byte and the byte count.
        var offset: UInt64
        var bytes: Int
    }

    let entries: [String: Entry]
    let description: String

    init(path: String) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw CLIError("--weights \(path): no such file or folder") }
        let files: [String]
        if isDir.boolValue {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            files = names.filter { $0.hasSuffix(".safetensors") }.sorted().map { (path as NSString).appendingPathComponent($0) }
            guard !files.isEmpty else { throw CLIError("--weights \(path): the folder holds no .safetensors file") }
        } else {
            files = [path]
        }
        var all: [String: Entry] = [:]
        for f in files {
            for (name, e) in try Self.read(f) { all[name] = e }
        }
        entries = all
        description = files.count == 1 ? files[0] : "\(files.count) safetensors files in \(path)"
    }

    /// The header of one file: validated by the catalog's reader, offsets from the same JSON.
    static func read(_ file: String) throws -> [String: Entry] {
        guard let h = FileHandle(forReadingAtPath: file) else { throw CLIError("\(file): cannot open") }
        defer { try? h.close() }
        let size = Int64((try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)??.int64Value ?? 0)
        do {
            let first = try h.read(upToCount: 8) ?? Data()
            let n = try SafetensorsHeaderReader.headerLength([UInt8](first), fileSize: size)
            try h.seek(toOffset: 0)
            let bytes = [UInt8](try h.read(upToCount: Int(8 + n)) ?? Data())
            let header = try SafetensorsHeaderReader.read(bytes, fileSize: size)
            let json = try BoundedJSON.parse(Array(bytes[8...]), maxBytes: Int(SafetensorsHeaderReader.maxHeaderLength), maxDepth: 8)
            var out: [String: Entry] = [:]
            for t in header.tensors {
                guard let off = json[t.name]?["data_offsets"]?.array, let begin = off.first?.int else { continue }
                out[t.name] = Entry(file: file, dtype: t.dtype, shape: t.shape, offset: UInt64(8 + n + begin), bytes: Int(t.bytes))
            }
            return out
        } catch let e as ModelFileError {
            throw CLIError("\(file): \(e)")
        }
    }

    /// The dtypes `values` converts.
    static let readableDTypes = ["F32", "F16", "BF16"]

    /// Why tensor `name` of `dtype` cannot be read (one wording for `check` and `values`).
    static func unreadable(_ name: String, dtype: String) -> String {
        "tensor '\(name)' is \(dtype); the runner reads F32, F16 and BF16 checkpoints"
    }

    /// Every tensor the layer needs: present, of the config's shape, in a readable dtype — all
    /// problems at once, wrong shapes first (the likeliest sign of a checkpoint of another model).
    func check(_ tensors: [ExpectedTensor]) throws {
        var wrongShape: [String] = [], wrongDType: [String] = [], missing: [String] = []
        for t in tensors {
            guard let e = entries[t.name] else { missing.append("tensor '\(t.name)' is not in the checkpoint"); continue }
            if e.shape != t.checkpointShape.map(Int64.init) {
                wrongShape.append("tensor '\(t.name)' has shape \(e.shape.map(Int.init)), expected \(t.checkpointShape)")
            } else if !Self.readableDTypes.contains(e.dtype) {
                wrongDType.append(Self.unreadable(t.name, dtype: e.dtype))
            }
        }
        let problems = wrongShape + wrongDType + missing
        if !problems.isEmpty { throw RunnerError.checkpointMismatch(source: description, problems: problems) }
    }

    func values(name: String, rows: Int, cols: Int, kind: WeightKind) throws -> [Float] {
        guard let e = entries[name] else {
            throw RunnerError.invalidRequest("tensor '\(name)' is not in \(description)")
        }
        let expected = ExpectedTensor(name: name, rows: rows, cols: cols, kind: kind).checkpointShape
        guard e.shape == expected.map(Int64.init) else {
            throw RunnerError.wrongShape(tensor: name, expected: expected, got: e.shape.map(Int.init))
        }
        guard Self.readableDTypes.contains(e.dtype) else {
            throw RunnerError.invalidRequest(Self.unreadable(name, dtype: e.dtype))
        }
        guard let h = FileHandle(forReadingAtPath: e.file) else { throw RunnerError.invalidRequest("\(e.file): cannot open") }
        defer { try? h.close() }
        try h.seek(toOffset: e.offset)
        let data = try h.read(upToCount: e.bytes) ?? Data()
        guard data.count == e.bytes else { throw RunnerError.invalidRequest("\(e.file): tensor '\(name)' is cut short") }
        let n = rows * cols
        var out = [Float](repeating: 0, count: n)
        data.withUnsafeBytes { raw in
            switch e.dtype {
            case "F32": for i in 0..<n { out[i] = Float(bitPattern: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self).littleEndian) }
            case "F16": for i in 0..<n { out[i] = FloatBits.halfToFloat(raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self).littleEndian) }
            default: for i in 0..<n { out[i] = FloatBits.bf16ToFloat(raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self).littleEndian) }
            }
        }
        return out
    }
}
