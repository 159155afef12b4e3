/// What is left once names and numbers are claimed: a bare size ("14B"), an unknown GPU after
/// "on" ("on my 3090"), an unknown name that looks like a model ("lama 3.1 8b", kept so the
/// resolver can suggest the closest ones), and words nothing explains. Then the question's intent.
extension ParseState {
    /// Leftover runs examined, and unrecognized ones kept: enough for any real question.
    static let maxLeftoverSpans = 32
    static let maxUnrecognized = 16
    /// Longest text taken as an unknown model or GPU name (repo ids run to about 60 characters).
    static let maxNameLength = 96

    /// Words between "on" and an unknown GPU name ("on my 3090", "on a single X").
    private static let gpuArticles: Set<String> = ["a", "an", "the", "my", "our", "your", "this", "single", "one", "old", "new"]
    private static let gpuPrepositions: Set<String> = ["on", "onto", "into", "in"]

    mutating func readLeftovers() {
        for span in leftoverSpans().prefix(Self.maxLeftoverSpans) {
            let typed = text(span)
            if sizeRange(at: span.lowerBound) == span {
                takeSize(span)
            } else if q.gpu == nil, q.memory == nil, typed.count <= Self.maxNameLength, followsPreposition(span) {
                takeUnknownGPU(span)
            } else if q.model == nil, typed.count <= Self.maxNameLength, looksLikeModel(span) {
                q.model = typed
                use(span)
            } else if q.unrecognized.count < Self.maxUnrecognized {
                q.unrecognized.append(typed.count <= Self.maxNameLength ? typed : String(typed.prefix(Self.maxNameLength)) + "…")
            }
        }
    }

    /// A GPU the catalog does not know, with its count in front taken apart ("4x a6000").
    private mutating func takeUnknownGPU(_ span: Range<Int>) {
        var name = span
        // The longest count at the start that leaves a name: "4 x a6000" before "4".
        for end in stride(from: min(span.lowerBound + 2, span.upperBound - 1), through: span.lowerBound + 1, by: -1) where q.gpuCount == nil {
            if let c = count(before: end), c.range.lowerBound == span.lowerBound {
                takeCount(c.range, c.value)
                name = c.range.upperBound..<span.upperBound
            }
        }
        q.gpu = text(name)
        use(name)
    }

    /// "14b", "1.5B", "14 billion": a size in billions at token `i`.
    private func sizeRange(at i: Int) -> Range<Int>? {
        guard let n = number(i) else { return nil }
        if AskVocabulary.billionWords.contains(n.unit) { return i..<(i + 1) }
        if n.unit.isEmpty, let w = freeWord(i + 1), AskVocabulary.billionWords.contains(w) { return i..<(i + 2) }
        return nil
    }

    private mutating func takeSize(_ r: Range<Int>) {
        guard q.size == nil else { return ignore(r, "a second model size") }
        guard let n = number(r.lowerBound), n.value.isFinite, n.value > 0 else { return ignore(r, "not a usable model size") }
        q.size = n.value
        q.sizeText = text(r)
        use(r)
    }

    /// Runs of unclaimed tokens that are not filler words or stray letters; a size counts as one
    /// piece, so "lama 3.1 8b" is one run and "14B" another.
    private func leftoverSpans() -> [Range<Int>] {
        var spans: [Range<Int>] = []
        var start: Int?
        var i = 0
        func close(_ end: Int) {
            if let s = start, s < end { spans.append(s..<end) }
            start = nil
        }
        while i < tokens.count {
            if let r = sizeRange(at: i) {
                if start == nil { start = i }
                i = r.upperBound
                continue
            }
            let t = tokens[i].text
            // A lone letter is noise, except the "x" of "4 x a6000".
            let stray = t.count == 1 && !t.contains(where: \.isNumber) && !(t == "x" && number(i - 1) != nil)
            if isFree(i), !AskVocabulary.filler.contains(t), !stray {
                // No name runs longer than this; a wall of words is cut into pieces.
                if let s = start, i - s >= Self.maxNameTokens { close(i) }
                if start == nil { start = i }
            } else {
                close(i)
            }
            i += 1
        }
        close(tokens.count)
        return spans
    }

    private func followsPreposition(_ span: Range<Int>) -> Bool {
        var j = span.lowerBound - 1
        while let w = word(j), Self.gpuArticles.contains(w) { j -= 1 }
        return word(j).map(Self.gpuPrepositions.contains) ?? false
    }

    /// Letters and digits together ("lama 3.1 8b", "qwen 14b"), or a word one or two typos from
    /// a model family the catalog knows ("lama", "mixtrl").
    private func looksLikeModel(_ span: Range<Int>) -> Bool {
        let ts = tokens[span]
        if ts.contains(where: { $0.text.contains(where: \.isLetter) }), ts.contains(where: { $0.text.contains(where: \.isNumber) }) {
            return true
        }
        let known = index.families
        return ts.prefix(4).contains { t in
            let word = Array(t.text)
            guard word.count >= 3, word.count <= 24 else { return false }
            let allowed = max(1, word.count / 4)
            return known.contains { abs($0.count - word.count) <= allowed && Lookup.editDistance(Array($0), word, limit: allowed) <= allowed }
        }
    }

    mutating func readIntent() {
        let words = tokens.map(\.text)
        let howMuch = AskVocabulary.howMuchPhrases.contains { phrase in
            words.indices.contains { i in i + phrase.count <= words.count && words[i..<(i + phrase.count)].elementsEqual(phrase) }
        }
        let asksFit = words.contains(where: AskVocabulary.fitWords.contains)
        q.asksHowMuch = q.gpu == nil && q.memory == nil && (howMuch || !asksFit)
    }
}
