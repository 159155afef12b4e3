import Foundation
import Testing
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
        #expect(configs.count >= 7 && st.count >= 3 && gguf.count >= 2, "seed corpus missing under \(Self.root.path)")
        // The valid seeds are accepted; truncating each at every 97th byte only ever throws ModelFileError.
        for c in configs { _ = try ConfigJSONReader.read(c) }
        for g in gguf { _ = try GGUFModelReader.model(GGUFReader.read(g, fileSize: Int64(g.count))) }
        for s in st where s.first != UInt8(ascii: "{") { _ = try SafetensorsHeaderReader.read(s, fileSize: Int64(s.count)) }
        for b in configs + st + gguf {
            for cut in stride(from: 0, to: b.count, by: 97) {
                let p = Array(b.prefix(cut))
                do { _ = try ConfigJSONReader.read(p) } catch is ModelFileError {}
                do { _ = try SafetensorsHeaderReader.read(p, fileSize: Int64(p.count)) } catch is ModelFileError {}
                do { _ = try GGUFReader.read(p, fileSize: Int64(p.count)) } catch is ModelFileError {}
            }
        }
    }
}
