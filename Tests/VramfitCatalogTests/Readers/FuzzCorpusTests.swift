import Foundation
import Testing
import VramfitCore
@testable import VramfitCatalog

/// Replays the committed fuzz seed corpus (Fuzz/corpus) and any crashers (Fuzz/crashers/<parser>/)
/// through the parsers in the normal test run: each must parse or throw ModelFileError.
@Suite struct FuzzCorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz")

    static func files(_ sub: String) -> [[UInt8]] {
        var out: [[UInt8]] = []
        for dir in ["corpus/\(sub)", "crashers/\(sub)"] {
            let d = root.appendingPathComponent(dir)
            for f in (try? FileManager.default.contentsOfDirectory(atPath: d.path)) ?? [] {
                if let data = FileManager.default.contents(atPath: d.appendingPathComponent(f).path) { out.append([UInt8](data)) }
            }
        }
        return out
    }

    @Test func seedsParse() throws {
        let configs = Self.files("config"), st = Self.files("safetensors"), gguf = Self.files("gguf")
        #expect(configs.count >= 10 && st.count >= 3 && gguf.count >= 4, "seed corpus missing under \(Self.root.path)")
        // The valid seeds are accepted; truncating each at every 97th byte only ever throws ModelFileError.
        for c in configs { _ = try ConfigJSONReader.read(c) }
        for g in gguf {
            // Shards after the first of a split model hold no metadata: they only have to parse.
            let h = try GGUFReader.read(g, fileSize: Int64(g.count))
            if (try GGUFSplit.info(h))?.index ?? 0 == 0 { _ = try GGUFModelReader.model(h) }
        }
        for s in st where s.first != UInt8(ascii: "{") { _ = try SafetensorsHeaderReader.read(s, fileSize: Int64(s.count)) }
        for b in configs + st + gguf {
            for cut in stride(from: 0, to: b.count, by: 97) {
                let p = Array(b.prefix(cut))
                do { _ = try ConfigJSONReader.read(p) } catch is ModelFileError {}
                do { _ = try SafetensorsHeaderReader.read(p, fileSize: Int64(p.count)) } catch is ModelFileError {}
                do { _ = try GGUFReader.read(p, fileSize: Int64(p.count)) } catch is ModelFileError {}
            }
        }
        // The two seed shards of one split model merge; either alone is refused.
        let shards = try ["split-00001-of-00002.gguf", "split-00002-of-00002.gguf"].map { name -> GGUFHeader in
            let b = try [UInt8](Data(contentsOf: Self.root.appendingPathComponent("corpus/gguf/\(name)")))
            return try GGUFReader.read(b, fileSize: Int64(b.count))
        }
        #expect(try GGUFSplit.merge(shards).tensors.count == 3)
        #expect(throws: ModelFileError.self) { try GGUFSplit.merge([shards[0]]) }
    }

    /// The ask fuzzer's corpus and crashers (Fuzz/corpus/ask, Fuzz/crashers/ask): each question
    /// parses and resolves against the built-in catalog, an answer or a QuestionError, never a trap.
    @Test func askCorpusNeverTraps() throws {
        let questions = Self.files("ask")
        #expect(questions.count >= 40, "ask corpus missing under \(Self.root.path)")
        let index = AskIndex(try CatalogLoader.builtIn())
        for q in questions {
            let text = String(decoding: q, as: UTF8.self)
            do { _ = try index.resolve(QuestionParser.parse(text, index: index)) } catch is QuestionError {}
        }
    }
}
