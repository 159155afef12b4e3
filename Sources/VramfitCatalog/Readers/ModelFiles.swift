import Foundation
import VramfitCore

/// A model found on disk: its architecture, the scheme its weights are stored in, and the exact
/// weight bytes when tensor headers were there to read.
public struct LocalModel: Sendable {
    public var model: Model
    public var schemeId: String?
    public var exactWeights: TensorTotals?
    /// The files read, for notes and errors.
    public var files: [String]
    public var notes: [String]
}

/// A model file that could not be read, with the file named.
public struct ModelFileFailure: Error, CustomStringConvertible {
    public var file: String
    public var reason: ModelFileError
    public var description: String { "\(file): \(reason)" }
}

/// The only file-system code of the readers: finds config.json, safetensors (single or sharded)
/// and GGUF files, and hands the parsers bounded byte ranges. File sizes come from the file
/// system, so a header cannot claim more bytes than exist.
public enum ModelFiles {
    static let maxConfigBytes: Int64 = 16 << 20
    static let maxGGUFHeaderBytes: Int64 = 512 << 20

    public static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    /// `path`: a config.json, a .gguf, a .safetensors next to a config.json, or a model folder.
    public static func load(_ path: String) throws -> LocalModel {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw ModelFileFailure(file: path, reason: .malformed("no such file or folder"))
        }
        let dir = isDir.boolValue ? path : (path as NSString).deletingLastPathComponent
        if !isDir.boolValue, path.lowercased().hasSuffix(".gguf") { return try gguf(path) }
        let config = isDir.boolValue || path.hasSuffix(".safetensors") ? (dir as NSString).appendingPathComponent("config.json") : path
        if exists(config) {
            let size = try fileSize(config)
            guard size <= maxConfigBytes else { throw ModelFileFailure(file: config, reason: .tooLarge(what: "config.json size", value: size, limit: maxConfigBytes)) }
            let parsed = try attempt(config) { try ConfigJSONReader.read(try bytes(config, upTo: maxConfigBytes)) }
            var local = LocalModel(model: parsed.model, schemeId: parsed.schemeId, exactWeights: nil, files: [config], notes: parsed.notes)
            let shards = try safetensorsFiles(in: dir.isEmpty ? "." : dir)
            if !shards.isEmpty {
                var totals = TensorTotals()
                for f in shards {
                    let h = try safetensors(f)
                    try attempt(f) { try totals.merge(try TensorTotals(safetensors: h)) }
                }
                local.exactWeights = totals; local.files += shards
            }
            return local
        }
        if isDir.boolValue {
            let ggufs = try listing(dir).filter { $0.lowercased().hasSuffix(".gguf") }
            if ggufs.count == 1 { return try gguf((dir as NSString).appendingPathComponent(ggufs[0])) }
            if ggufs.count > 1 { throw ModelFileFailure(file: dir, reason: .unsupported("several .gguf files; pass one of them")) }
        }
        throw ModelFileFailure(file: path, reason: .missingKey("config.json or a .gguf file"))
    }

    static func gguf(_ path: String) throws -> LocalModel {
        let size = try fileSize(path)
        var want = min(size, 16 << 20)
        while true {
            let data = try bytes(path, upTo: want)
            do {
                let h = try GGUFReader.read(data, fileSize: size)
                let c = try GGUFModelReader.model(h)
                return LocalModel(model: c.model, schemeId: c.schemeId, exactWeights: try TensorTotals(gguf: h), files: [path], notes: c.notes)
            } catch ModelFileError.needMoreBytes(let n) where n > want && want < maxGGUFHeaderBytes {
                want = min(max(n, want * 2), size, maxGGUFHeaderBytes)
            } catch let e as ModelFileError {
                if case .needMoreBytes = e { throw ModelFileFailure(file: path, reason: .tooLarge(what: "GGUF header", value: want, limit: maxGGUFHeaderBytes)) }
                throw ModelFileFailure(file: path, reason: e)
            }
        }
    }

    static func safetensors(_ path: String) throws -> SafetensorsHeader {
        let size = try fileSize(path)
        return try attempt(path) {
            let n = try SafetensorsHeaderReader.headerLength(try bytes(path, upTo: 8), fileSize: size)
            return try SafetensorsHeaderReader.read(try bytes(path, upTo: 8 + n), fileSize: size)
        }
    }

    /// The shards `model.safetensors.index.json` names, else every `*.safetensors` in the folder.
    static func safetensorsFiles(in dir: String) throws -> [String] {
        let index = (dir as NSString).appendingPathComponent("model.safetensors.index.json")
        if exists(index) {
            let names = try attempt(index) { try SafetensorsHeaderReader.shardNames(indexJSON: try bytes(index, upTo: 64 << 20)) }
            return names.map { (dir as NSString).appendingPathComponent($0) }
        }
        return try listing(dir).filter { $0.hasSuffix(".safetensors") }.sorted().map { (dir as NSString).appendingPathComponent($0) }
    }

    static func listing(_ dir: String) throws -> [String] {
        do { return try FileManager.default.contentsOfDirectory(atPath: dir) } catch {
            throw ModelFileFailure(file: dir, reason: .malformed("cannot list folder"))
        }
    }

    static func fileSize(_ path: String) throws -> Int64 {
        guard let a = try? FileManager.default.attributesOfItem(atPath: path), let n = (a[.size] as? NSNumber)?.int64Value else {
            throw ModelFileFailure(file: path, reason: .malformed("cannot read file"))
        }
        return n
    }

    /// At most `limit` bytes from the start; a larger config.json is refused rather than truncated.
    static func bytes(_ path: String, upTo limit: Int64) throws -> [UInt8] {
        guard let h = FileHandle(forReadingAtPath: path) else { throw ModelFileFailure(file: path, reason: .malformed("cannot open file")) }
        defer { try? h.close() }
        guard let d = try? h.read(upToCount: Int(limit)) else { return [] }
        return [UInt8](d)
    }

    static func attempt<T>(_ file: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as ModelFileError { throw ModelFileFailure(file: file, reason: e) }
    }
}
