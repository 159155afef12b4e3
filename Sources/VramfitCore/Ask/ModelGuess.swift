/// Models a loose description could mean: a bare size ("14B") or a family and a size that no
/// alias spells out ("qwen 14b", "llama 3 70b"). Results are in the order to prefer them; within
/// a tier that is catalog order, which catalogs keep most-used first.
enum ModelGuess {
    /// Relative distance between the published parameter count and the size asked for.
    static let sizeTolerance = 0.10

    /// Models of about `billions` parameters: those with that size as an alias ("14b"), then those
    /// whose id or name says that size, then those whose published count is within 10%.
    static func bySize(_ billions: Double, in models: [Model]) -> [Model] {
        let aliased = models.filter { m in m.aliases.contains { NameIndex.isBareSize($0) && sizeOf($0) == billions } }
        let named = models.filter { namedSize($0) == billions }
        let counted = models.filter { isNear($0, billions) }
        var seen: Set<String> = []
        return (aliased + named + counted).filter { seen.insert($0.id).inserted }
    }

    /// Models of a family word and size typed together, when no alias spells it that way.
    /// Other numbers and words typed ("3" in "llama 3 70b", "coder" in "qwen 32b coder") must
    /// appear in the model's id or name, so a variant the catalog lacks is not passed off as another.
    static func byFamilyAndSize(_ text: String, in models: [Model], families: [Set<String>]) -> [Model] {
        let ts = AskTokenizer.tokenize(text)
        guard let first = ts.first else { return [] }
        let family = String(first.text.prefix(while: \.isLetter))
        guard family.count >= 3, let size = ts.lazy.compactMap({ sizeOf($0.text) }).first else { return [] }
        let versions = ts.compactMap { t -> String? in
            let digits = t.text.drop(while: \.isLetter)
            guard let n = AskNumber.parse(String(digits)), n.unit.isEmpty else { return nil }
            return String(digits)
        }
        let words = ts.dropFirst().map(\.text).filter { w in w.allSatisfy(\.isLetter) && !AskVocabulary.filler.contains(w) }
        return zip(models, families).filter { m, names in
            guard names.contains(family), namedSize(m) == size || isNear(m, size) else { return false }
            let keys = [m.id, m.name].map(AskTokenizer.key)
            return (versions + words).allSatisfy { v in keys.contains { $0.contains(v) } }
        }.map(\.0)
    }

    /// The closest models by parameter count, for "no model has about 300B" errors.
    static func nearest(_ billions: Double, in models: [Model], limit: Int = 3) -> [Model] {
        let scored = models.enumerated().map { (abs(Double($1.publishedParams) / 1e9 - billions), $0, $1) }
        return scored.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.prefix(limit).map(\.2)
    }

    static func isNear(_ m: Model, _ billions: Double) -> Bool {
        guard billions > 0, billions.isFinite else { return false }
        return abs(Double(m.publishedParams) / 1e9 - billions) <= sizeTolerance * billions
    }

    /// "14b" → 14; nil for anything that is not a size in billions.
    static func sizeOf(_ s: String) -> Double? {
        guard let n = AskNumber.parse(AskTokenizer.key(s)), AskVocabulary.billionWords.contains(n.unit), n.value.isFinite else { return nil }
        return n.value
    }

    /// The size an id or name states ("qwen2.5-14b-instruct" → 14), ignoring the per-expert size
    /// of "8x7b" and the active size of "a3b".
    static func namedSize(_ m: Model) -> Double? {
        for key in [m.id, m.name] {
            let ts = AskTokenizer.tokenize(key)
            for (i, t) in ts.enumerated() {
                if i > 0, ts[i - 1].word == t.word, ts[i - 1].text.hasSuffix("x"), AskNumber.parse(ts[i - 1].text) != nil { continue }
                if let s = sizeOf(t.text) { return s }
            }
        }
        return nil
    }
}
