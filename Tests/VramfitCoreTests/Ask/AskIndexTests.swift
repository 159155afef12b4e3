import Testing
@testable import VramfitCore

/// An `AskIndex` built once answers exactly as the one-call APIs that build it per question, and
/// the name index's shortcut (stop extending a span no key starts with) never drops a name.
@Suite struct AskIndexTests {
    static func outcome(_ r: () throws -> ResolvedQuestion) -> String {
        do {
            let x = try r()
            return "\(x.model.id) \(x.scheme?.id ?? "-") \(x.gpu?.id ?? "-") \(x.gpuCount) \(x.context ?? -1) \(x.batch) \(x.engine?.id ?? "-") "
                + "\(x.kvCacheType?.id ?? "-") \(x.asksHowMuch) \(x.assumptions) \(x.alternatives) \(x.gpuAlternatives)"
        } catch {
            return "error: \(error)"
        }
    }

    @Test func indexAndOneCallPathsAgree() {
        let catalog = AskTestCatalog.catalog
        let index = AskIndex(catalog)
        let pieces = ["llama", "3.1", "70b", "14B", "q4_k_m", "awq", "4-bit", "on", "2x", "4090s", "a100", "80gb", "kv", "cache", "fp8",
                      "batch", "8", "32k", "ctx", "vllm", "how", "much", "fit", "mixtrl", "lama", "qwen25", "Qwen/Qwen2.5-14B-Instruct",
                      "é", "\u{301}", "tokens", "hello", "h100", "t4", "-", ".", "3090s", "phi-4-mini", "int8", "q8_0"]
        var rng = SplitMix64(seed: 99)
        for _ in 0..<400 {
            var text = ""
            for _ in 0..<Int(rng.next() % 10) {
                text += pieces[Int(rng.next() % UInt64(pieces.count))]
                if rng.next() % 3 != 0 { text += " " }
            }
            let once = QuestionParser.parse(text, catalog: catalog), prepared = QuestionParser.parse(text, index: index)
            #expect(once == prepared, "\(text)")
            #expect(Self.outcome { try catalog.resolve(once) } == Self.outcome { try index.resolve(prepared) }, "\(text)")
        }
    }

    @Test func everyKeyAndItsPrefixesMayExtend() {
        let names = NameIndex(AskTestCatalog.catalog)
        // Closures, so a failure prints the text tried rather than the whole index.
        let may = { (s: String) in names.mayExtend(s) }
        let kinds = { (s: String, among: [NameIndex.Kind]) in names.kinds(named: s, among: among) }
        let c = AskTestCatalog.catalog
        // Bare sizes ("7b") and memory sizes ("24GB") are read as numbers, not names: not indexed.
        var keys: [String] = c.models.flatMap { m -> [String] in [m.id, m.name] + m.aliases.filter { !NameIndex.isBareSize($0) } }
        keys += c.gpus.flatMap { g -> [String] in [g.id, g.name] + g.aliases.filter { !NameIndex.isBareMemory($0) } }
        keys += c.schemes.flatMap { s -> [String] in [s.id, s.name] + s.aliases }
        keys += c.engines.flatMap { e -> [String] in [e.id, e.name] + e.aliases }
        for key in keys.map(AskTokenizer.key) where !key.isEmpty {
            for n in 1...key.count {
                let prefix = String(key.prefix(n))
                #expect(may(prefix), "\(key) prefix \(n)")
            }
        }
        // Dots dropped ("qwen25…"), a plural GPU ("4090s", "4090ss"), and words no key starts with.
        #expect(may("qwen25"))
        #expect(may("4090s"))
        #expect(may("4090ss"))
        #expect(!may("hello"))
        #expect(!may("llamaz"))
        #expect(kinds("llama3.18b", [.model]) == [.model])
        #expect(kinds("4090s", [.model, .gpu]) == [.gpu])
    }

    /// The shortcut in `readNames` against the search without it: for spans of real names glued to
    /// noise, the longest names found are the same (the parse tests check what they mean).
    @Test func namesSurroundedByNoiseAreStillFound() {
        let q = AskTestCatalog.parse("zzz llama 3.1 70b instruct zzz on 2 x rtx 4090s zzz with awq")
        #expect(q.model == "llama 3.1 70b instruct")
        #expect(q.gpu == "rtx 4090s")
        #expect(q.gpuCount == 2)
        #expect(q.scheme == "awq")
    }
}
