import Testing
@testable import VramfitCore

/// The did-you-mean machinery: the banded edit distance must give the full one's answer wherever
/// it is compared against its limit, and the character search `String.contains`'s.
@Suite struct LookupTests {
    /// Letters that collide often, plus characters whose equality is not byte equality (a
    /// precomposed and a decomposed "é", a flag of two scalars), so Character semantics are exercised.
    static let alphabet: [Character] = ["a", "b", "c", "l", "m", "-", "é", "e\u{301}", "🇫🇷", "9"]

    static func randomWord(_ rng: inout SplitMix64, maxLength: Int) -> [Character] {
        (0..<Int(rng.next() % UInt64(maxLength + 1))).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
    }

    @Test func boundedDistanceByHand() {
        // kitten → sitting: substitute k→s, e→i, append g = 3 (the textbook example).
        let kitten = Array("kitten"), sitting = Array("sitting")
        #expect(Lookup.editDistance("kitten", "sitting") == 3)
        #expect(Lookup.editDistance(kitten, sitting, limit: 3) == 3)
        #expect(Lookup.editDistance(kitten, sitting, limit: 5) == 3)
        #expect(Lookup.editDistance(kitten, sitting, limit: 2) == 3, "over the limit: limit + 1")
        #expect(Lookup.editDistance(kitten, sitting, limit: 0) == 1)
        // "lama" → "llama" is one insertion; "mixtrl" → "mixtral" one; lengths 3 apart stop at once.
        #expect(Lookup.editDistance(Array("lama"), Array("llama"), limit: 1) == 1)
        #expect(Lookup.editDistance(Array("mixtrl"), Array("mixtral"), limit: 1) == 1)
        #expect(Lookup.editDistance(Array("abc"), Array("abcdef"), limit: 2) == 3)
        #expect(Lookup.editDistance([], Array("ab"), limit: 2) == 2)
        #expect(Lookup.editDistance(Array("ab"), [], limit: 1) == 2)
        #expect(Lookup.editDistance(Array("é"), Array("e\u{301}"), limit: 1) == 0, "canonically equal characters")
    }

    @Test func boundedDistanceAgreesWithTheFullOne() {
        var rng = SplitMix64(seed: 2026)
        for _ in 0..<20_000 {
            let a = Self.randomWord(&rng, maxLength: 12), b = Self.randomWord(&rng, maxLength: 12)
            let limit = Int(rng.next() % 9)
            let full = Lookup.editDistance(String(a), String(b))
            #expect(Lookup.editDistance(a, b, limit: limit) == min(full, limit + 1), "\(String(a)) / \(String(b)) limit \(limit)")
        }
    }

    @Test func characterSearchAgreesWithStringContains() {
        var rng = SplitMix64(seed: 11)
        var found = 0
        for _ in 0..<20_000 {
            let text = Self.randomWord(&rng, maxLength: 10), pattern = Self.randomWord(&rng, maxLength: 3)
            // firstRange(of:) is the standard library's search, the one VramfitCore (no Foundation)
            // calls as `contains`; Foundation's `contains`, visible in this test module, differs for "".
            let expected = String(text).firstRange(of: String(pattern)) != nil
            if expected { found += 1 }
            #expect(Lookup.contains(text, pattern) == expected, "\(String(text)) ⊇ \(String(pattern))")
        }
        #expect(found > 1000, "the generator produces matches, so both answers are exercised")
    }

    @Test func suggestionsThroughPreparedKeysMatchTheClosureForm() {
        let models = AskTestCatalog.catalog.models
        let keys = { (m: Model) in [m.id, m.name, m.hfRepo ?? ""] + m.aliases }
        let prepared = Lookup.PreparedKeys(models, keys: keys)
        for typed in ["lama", "llama 3.1 8", "mixtrl", "qwen", "phi", "x", "", "zzzzzzzz", "Qwen/Qwen2.5-14B", "llama-3.1-70b-instruct-awq"] {
            #expect(Lookup.suggestions(for: typed, in: prepared) == Lookup.suggestions(for: typed, in: models, keys: keys))
        }
        #expect(Lookup.suggestions(for: "mixtrl", in: models, keys: keys).first?.hasPrefix("mixtral") == true)
        // "lama" is inside "llama3.18b" (10 characters: score (10 − 4) / 4 = 1) and "llama3.170b" (11: 7 / 4 = 1);
        // the tie goes to the smaller id, and "…-70b-…" sorts before "…-8b-…".
        #expect(Lookup.suggestions(for: "lama", in: models, keys: keys).prefix(2) == ["llama-3.1-70b-instruct", "llama-3.1-8b-instruct"])
    }
}
