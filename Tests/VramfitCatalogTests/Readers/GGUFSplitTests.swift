import Foundation
import Testing
import VramfitCore
@testable import VramfitCatalog

/// Split GGUF (llama.cpp gguf-split): names, the checks between shards, and the file layer
/// reading every shard of a set written by the test.
@Suite struct GGUFSplitTests {
    func read(_ g: GGUFWriter) throws -> GGUFHeader { let b = g.bytes(); return try GGUFReader.read(b, fileSize: Int64(b.count)) }
    func shards(_ count: Int, perShard: Int, firstWithoutTensors: Bool = false) throws -> [GGUFHeader] {
        try GGUFWriter.tinyLlamaSplit(count: count, perShard: perShard, firstWithoutTensors: firstWithoutTensors).map(read)
    }

    @Test func fileNames() {
        #expect(GGUFSplit.name("model-00002-of-00003.gguf") == GGUFSplit.Name(prefix: "model", index: 1, count: 3))
        let long = GGUFSplit.name("Qwen3-235B-A22B-Q4_K_M-00001-of-00003.gguf")
        #expect(long == GGUFSplit.Name(prefix: "Qwen3-235B-A22B-Q4_K_M", index: 0, count: 3))
        #expect(long?.shard(2) == "Qwen3-235B-A22B-Q4_K_M-00003-of-00003.gguf")
        #expect(GGUFWriter.splitName("m", 0, 12) == "m-00001-of-00012.gguf" && GGUFSplit.name("m-00001-of-00012.gguf")?.shard(0) == "m-00001-of-00012.gguf")
        for bad in ["model.gguf", "model-2-of-3.gguf", "model-00004-of-00003.gguf", "model-00000-of-00003.gguf", "-00001-of-00002.gguf",
                    "model-+0001-of-00003.gguf", "model-00001-of-02000.gguf", "model-00001-of-00003.safetensors", "model-00001-to-00003.gguf",
                    "model-０0001-of-00003.gguf"] {
            #expect(GGUFSplit.name(bad) == nil, "\(bad)")
        }
    }

    /// Three shards (8 + 8 + 5 tensors) read as the single file does: the same 21 tensors and
    /// 1,412,736 bytes (GGUFReaderTests' hand count), the same model, the first shard's metadata.
    @Test func shardsMergeIntoTheSingleFile() throws {
        let single = try read(GGUFWriter.tinyLlama())
        for (count, perShard, empty) in [(3, 8, false), (2, 20, false), (4, 7, true), (21, 1, false)] {
            let merged = try GGUFSplit.merge(try shards(count, perShard: perShard, firstWithoutTensors: empty))
            #expect(merged.tensors.count == 21 && merged.totalBytes == 1_412_736)
            #expect(merged.tensors.map(\.name) == single.tensors.map(\.name))
            #expect(merged.tensors.last?.shard == count - 1 && (merged.tensors.first?.shard == (empty ? 1 : 0)))
            #expect(try TensorTotals(gguf: merged) == TensorTotals(gguf: single))
            #expect(try "\(GGUFModelReader.model(merged).model)" == "\(GGUFModelReader.model(single).model)")
            #expect(merged.metadata["general.name"] == .string("Tiny Llama"))
        }
        #expect(try GGUFSplit.info(read(GGUFWriter.tinyLlama())) == nil)
        #expect(try GGUFSplit.info(shards(3, perShard: 8)[1]) == GGUFSplit.Info(index: 1, count: 3, totalTensors: 21))
    }

    @Test func shardsThatDisagreeAreRefused() throws {
        let good = try shards(3, perShard: 8)
        #expect(throws: ModelFileError.malformed("shard 2 of 3 says it is shard 3 (split.no 2)")) { try GGUFSplit.merge([good[0], good[2], good[1]]) }
        #expect(throws: ModelFileError.malformed("split.count is 3 but 2 shards were read")) { try GGUFSplit.merge(Array(good.prefix(2))) }
        #expect(throws: ModelFileError.malformed("tensor 'token_embd.weight' is in two shards")) { try GGUFSplit.merge([good[0], good[0], good[2]].enumerated().map { k, h in
            var h = h; h.metadata["split.no"] = .uint(UInt64(k)); return h
        }) }
        var short = GGUFWriter.tinyLlamaSplit(count: 3, perShard: 8)
        short[2].infos.removeLast()
        #expect(throws: ModelFileError.malformed("split.tensors.count is 21 but the shards hold 20 tensors")) { try GGUFSplit.merge(short.map(read)) }
        var over = good
        over[0].metadata["split.tensors.count"] = .int(10)
        over[1].metadata["split.tensors.count"] = .int(10)
        over[2].metadata["split.tensors.count"] = .int(10)
        #expect(throws: ModelFileError.malformed("the shards hold more tensors than split.tensors.count (10)")) { try GGUFSplit.merge(over) }
        var disagree = good
        disagree[1].metadata["split.count"] = .uint(4)
        #expect(throws: ModelFileError.malformed("shard 2 disagrees with shard 1 on split.count or split.tensors.count")) { try GGUFSplit.merge(disagree) }
        var keyless = good
        for k in ["split.no", "split.count", "split.tensors.count"] { keyless[2].metadata[k] = nil }
        #expect(throws: ModelFileError.malformed("shard 3 of 3 has no split keys")) { try GGUFSplit.merge(keyless) }
        // Hostile split keys on one header.
        for (key, value, message) in [
            ("split.count", GGUFHeader.Value.uint(0), "'split.count' must be an integer in 1…1024"),
            ("split.count", .uint(65535), "'split.count' must be an integer in 1…1024"),
            ("split.no", .uint(3), "'split.no' must be an integer in 0…2"),
            ("split.tensors.count", .int(-1), "'split.tensors.count' must be an integer in 0…1048576"),
            ("split.no", .string("one"), "'split.no' must be an integer in 0…2"),
        ] {
            var h = good[0]
            h.metadata[key] = value
            #expect(throws: ModelFileError.malformed(message)) { try GGUFSplit.info(h) }
        }
        var partial = good[0]
        partial.metadata["split.tensors.count"] = nil
        #expect(throws: ModelFileError.malformed("split GGUF without 'split.tensors.count' (a gguf-split shard carries all three split keys)")) { try GGUFSplit.info(partial) }
    }

    /// The file layer: the first shard, another shard or the folder finds all three; a missing
    /// shard and a renamed first shard are errors naming the file.
    @Test func filesOnDisk() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vramfit-split-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let names = (0..<3).map { GGUFWriter.splitName("tiny-Q8_0", $0, 3) }
        for (name, g) in zip(names, GGUFWriter.tinyLlamaSplit(count: 3, perShard: 8)) { try Data(g.bytes()).write(to: dir.appendingPathComponent(name)) }
        for path in [names[0], names[1], names[2]].map({ dir.appendingPathComponent($0).path }) + [dir.path] {
            let m = try ModelFiles.load(path)
            #expect(m.exactWeights?.total == 1_412_736 && m.exactWeights?.tensorCount == 21, "\(path)")
            #expect(m.files.map { ($0 as NSString).lastPathComponent } == names)
            #expect(m.model.numLayers == 2 && m.schemeId == "q8_0")
            #expect(m.notes.contains("split GGUF: 3 shards, 21 tensors"))
        }
        try FileManager.default.removeItem(at: dir.appendingPathComponent(names[1]))
        do {
            _ = try ModelFiles.load(dir.appendingPathComponent(names[0]).path)
            Issue.record("a missing shard was not noticed")
        } catch let f as ModelFileFailure {
            #expect(f.file.hasSuffix(names[1]) && f.reason == .missingShard(index: 2, count: 3))
            #expect(f.description.hasSuffix("tiny-Q8_0-00002-of-00003.gguf: shard 2 of 3 of this split GGUF is missing (gguf-split writes all 3 next to each other)"))
        }
        let renamed = dir.appendingPathComponent("tiny.gguf")
        try FileManager.default.moveItem(at: dir.appendingPathComponent(names[0]), to: renamed)
        #expect(throws: ModelFileFailure.self) { try ModelFiles.load(renamed.path) }
        do { _ = try ModelFiles.load(renamed.path) } catch let f as ModelFileFailure {
            #expect(f.description.contains("whose file name is not gguf-split's PREFIX-00001-of-00003.gguf"), "\(f)")
        }
        do { _ = try ModelFiles.load(dir.appendingPathComponent(names[2]).path) } catch let f as ModelFileFailure {
            #expect(f.file.hasSuffix(names[0]) && f.reason == .missingShard(index: 1, count: 3))
        }
    }
}
