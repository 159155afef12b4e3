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

extension LocalModel {
    /// Plain 16/32-bit checkpoints: the tensor headers' element count is the exact parameter count
    /// (what Hugging Face reports as the safetensors total), so it replaces the formula's as
    /// `publishedParams`, vision tower included; the note keeps the formula's figure beside it.
    mutating func takeExactParameterCount() {
        guard schemeId == nil, let t = exactWeights, t.elements > 0,
              t.byDType.keys.allSatisfy({ ["BF16", "F16", "F32", "F64"].contains($0) }) else { return }
        let derived = model.publishedParams
        model.publishedParams = t.elements
        let d = t.elements - derived
        notes.removeAll { $0 == ConfigJSONReader.derivedCountNote }
        notes.append("published_params is the exact count from the safetensors headers (\(t.elements) in \(t.tensorCount) tensors); "
            + "config.json's dims give \(derived) (\(d >= 0 ? "+" : "−")\(abs(d)))")
    }
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
                    guard exists(f) else { throw ModelFileFailure(file: f, reason: .malformed("missing: model.safetensors.index.json names this shard")) }
                    let h = try safetensors(f)
                    try attempt(f) { try totals.merge(try TensorTotals(safetensors: h)) }
                }
                local.exactWeights = totals; local.files += shards
                local.takeExactParameterCount()
            }
            return local
        }
        if isDir.boolValue {
            let ggufs = try listing(dir).filter { $0.lowercased().hasSuffix(".gguf") }.sorted()
            if ggufs.count == 1 { return try gguf((dir as NSString).appendingPathComponent(ggufs[0])) }
            // The shards of one split model (same prefix and count) count as one model.
            let sets = Set(ggufs.compactMap { GGUFSplit.name($0) }.map { "\($0.prefix)/\($0.count)" })
            if ggufs.count > 1, sets.count == 1, ggufs.allSatisfy({ GGUFSplit.name($0) != nil }) {
                return try gguf((dir as NSString).appendingPathComponent(ggufs[0]))
            }
            if ggufs.count > 1 { throw ModelFileFailure(file: dir, reason: .unsupported("several .gguf files; pass one of them")) }
        }
        throw ModelFileFailure(file: path, reason: .missingKey("config.json or a .gguf file"))
    }

    /// A GGUF file, or a model gguf-split cut into shards: given any shard (or the folder), every
    /// shard's header is read and the tensors of all of them summed. A missing shard, or shards
    /// whose split keys disagree, is an error naming the file.
    static func gguf(_ path: String) throws -> LocalModel {
        let dir = (path as NSString).deletingLastPathComponent
        let fileName = (path as NSString).lastPathComponent
        var notes: [String] = []
        var firstPath = path
        if let name = GGUFSplit.name(fileName), name.index > 0 {
            // llama.cpp wants the first shard; it holds the metadata, so start there.
            firstPath = (dir as NSString).appendingPathComponent(name.shard(0))
            guard exists(firstPath) else { throw ModelFileFailure(file: firstPath, reason: .missingShard(index: 1, count: name.count)) }
            notes.append("read from the first shard, \(name.shard(0))")
        }
        let first = try ggufHeader(firstPath, initialBytes: 16 << 20)
        var header = first
        var files = [firstPath]
        if let info = try attempt(firstPath, { try GGUFSplit.info(first) }) {
            let firstName = (firstPath as NSString).lastPathComponent
            guard let name = GGUFSplit.name(firstName), name.index == info.index, name.count == info.count else {
                throw ModelFileFailure(file: firstPath, reason: .malformed(
                    "split GGUF (shard \(info.index + 1) of \(info.count)) whose file name is not gguf-split's PREFIX-\(GGUFSplit.Name.pad(info.index + 1))-of-\(GGUFSplit.Name.pad(info.count)).gguf, so the other shards cannot be found"))
            }
            guard info.index == 0 else { throw ModelFileFailure(file: firstPath, reason: .malformed("split.no is \(info.index); the first shard must be 0")) }
            var headers = [first]
            for k in 1..<info.count {
                let shard = (dir as NSString).appendingPathComponent(name.shard(k))
                guard exists(shard) else { throw ModelFileFailure(file: shard, reason: .missingShard(index: k + 1, count: info.count)) }
                // Later shards hold split keys and tensor infos only: start small.
                headers.append(try ggufHeader(shard, initialBytes: 1 << 20))
                files.append(shard)
            }
            header = try attempt(firstPath) { try GGUFSplit.merge(headers) }
            notes.append("split GGUF: \(info.count) shards, \(header.tensors.count) tensors")
        }
        do {
            let c = try GGUFModelReader.model(header)
            return LocalModel(model: c.model, schemeId: c.schemeId, exactWeights: try TensorTotals(gguf: header), files: files, notes: notes + c.notes)
        } catch let e as ModelFileError {
            throw ModelFileFailure(file: firstPath, reason: e)
        }
    }

    /// A GGUF header, read in a growing prefix of the file (from `initialBytes`, doubled on
    /// demand up to `maxGGUFHeaderBytes`) rather than the whole file.
    static func ggufHeader(_ path: String, initialBytes: Int64) throws -> GGUFHeader {
        let size = try fileSize(path)
        var want = min(size, initialBytes)
        while true {
            let data = try bytes(path, upTo: want)
            do {
                return try GGUFReader.read(data, fileSize: size)
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
