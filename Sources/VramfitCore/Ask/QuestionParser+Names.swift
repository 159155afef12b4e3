/// Catalog names in the question: the KV-cache type first (its names overlap the schemes', and
/// only the words "kv" / "cache" next to it tell them apart), then models, GPUs, engines and
/// schemes, longest match first.
extension ParseState {
    /// Longest span, in tokens, tried against the catalog ("meta llama / llama 3.1 70b instruct").
    static let maxNameTokens = 12

    /// Words that, next to a type, make it the KV cache's ("fp8 kv cache", "--kv-cache-dtype fp8").
    private static let kvWords: Set<String> = ["kv", "cache", "kvcache", "dtype", "type"]

    mutating func readKVCache() {
        var i = 0
        while i < tokens.count {
            guard isFree(i), ["kv", "cache", "kvcache"].contains(tokens[i].text) else { i += 1; continue }
            var end = i
            while end < tokens.count, isFree(end), Self.kvWords.contains(tokens[end].text) || isCacheTypeSide(end) { end += 1 }
            let group = i..<end
            if q.kvCacheType == nil,
               let value = kvValue(before: group.lowerBound) ?? kvValue(after: group.upperBound) ?? unknownKVValue(before: group.lowerBound, groupEnd: group.upperBound) {
                q.kvCacheType = text(value)
                use(value)
            }
            use(group)
            i = end
        }
    }

    /// The "k" / "v" of llama.cpp's `--cache-type-k`.
    private func isCacheTypeSide(_ i: Int) -> Bool {
        (tokens[i].text == "k" || tokens[i].text == "v") && word(i - 1) == "type"
    }

    /// A KV-cache type name ending just before `end`.
    private func kvValue(before end: Int) -> Range<Int>? {
        for len in stride(from: min(4, end), through: 1, by: -1) {
            let r = (end - len)..<end
            if r.allSatisfy(isFree), !index.lookup(AskTokenizer.compact(tokens[r]), .kvCache).isEmpty { return r }
        }
        return nil
    }

    /// The word before "kv cache" when the catalog has no such type ("e5m2 kv cache"), so the
    /// resolver can say so. Not a model, GPU or engine name, and not a scheme name when a value
    /// follows the group ("awq kv cache e5m2" names the scheme first).
    private func unknownKVValue(before end: Int, groupEnd: Int) -> Range<Int>? {
        guard isFree(end - 1), !AskVocabulary.filler.contains(tokens[end - 1].text) else { return nil }
        var start = end - 1
        while isFree(start - 1), tokens[start - 1].word == tokens[end - 1].word { start -= 1 }
        let compact = AskTokenizer.compact(tokens[start..<end])
        if [.model, .gpu, .engine].contains(where: { !index.lookup(compact, $0).isEmpty }) { return nil }
        let valueFollows = freeWord(groupEnd).map { !AskVocabulary.filler.contains($0) } ?? false
        if valueFollows, !index.lookup(compact, .scheme).isEmpty || !index.lookup(compact, .genericScheme).isEmpty { return nil }
        return start..<end
    }

    /// A KV-cache type name starting at `start` (after "kv cache", skipping "is" / "to" / "of").
    private func kvValue(after start: Int) -> Range<Int>? {
        var s = start
        while let w = freeWord(s), ["is", "to", "of", "in", "at", "as"].contains(w) { s += 1 }
        for len in stride(from: min(4, tokens.count - s), through: 1, by: -1) where len > 0 {
            let r = s..<(s + len)
            if r.allSatisfy(isFree), !index.lookup(AskTokenizer.compact(tokens[r]), .kvCache).isEmpty { return r }
        }
        return nil
    }

    /// A catalog name found in the text.
    struct NameMatch {
        var range: Range<Int>
        var kind: NameIndex.Kind
        var length: Int
    }

    mutating func readNames() {
        let kinds: [NameIndex.Kind] = [.model, .gpu, .engine, .scheme, .genericScheme]
        var candidates: [NameMatch] = []
        for s in tokens.indices where isFree(s) {
            var compact = ""
            for e in s..<min(tokens.count, s + Self.maxNameTokens) {
                guard isFree(e) else { break }
                compact += tokens[e].text
                if compact.count > index.maxKeyLength { break }
                for k in index.kinds(named: compact, among: kinds) {
                    candidates.append(NameMatch(range: s..<(e + 1), kind: k, length: compact.count))
                }
                // No catalog key starts with this span: a longer one cannot match either. (Only where
                // the next token joins on ASCII, so characters cannot merge across the join.)
                if !index.mayExtend(compact), e + 1 < tokens.count, Self.joinsCleanly(compact, tokens[e + 1].text) { break }
            }
        }
        // Longest first; among equals, the earlier one, then the kind that ranks first.
        candidates.sort {
            ($0.length, $0.range.count, -$0.range.lowerBound, -$0.kind.rawValue)
                > ($1.length, $1.range.count, -$1.range.lowerBound, -$1.kind.rawValue)
        }
        var taken = Array(repeating: false, count: tokens.count)
        var accepted: [NameMatch] = []
        for c in candidates where !c.range.contains(where: { taken[$0] }) {
            accepted.append(c)
            for i in c.range { taken[i] = true }
        }
        accepted.removeAll { $0.kind == .model && isPartOfOtherName($0.range, taken: taken) }
        accepted.sort { $0.range.lowerBound < $1.range.lowerBound }
        apply(accepted)
    }

    /// Whether `a + b` has exactly the characters of `a` then those of `b`: true when both sides of
    /// the join are ASCII letters or digits, which never combine into one grapheme.
    static func joinsCleanly(_ a: String, _ b: String) -> Bool {
        guard let last = a.utf8.last, let first = b.utf8.first else { return true }
        return last < 0x80 && first < 0x80
    }

    /// Words that turn a model name into another model when they share its word ("phi-4-mini" is
    /// not Phi-4, "deepseek-r1-distill-qwen-7b" is not Qwen2.5-7B).
    private static let variantWords: Set<String> = [
        "mini", "small", "medium", "large", "tiny", "nano", "micro", "coder", "code", "math", "vl", "vision", "distill",
        "omni", "audio", "guard", "embed", "embedding", "reward", "lite", "flash", "pro", "max", "plus", "turbo", "moe",
    ]

    /// Variant words that change the model even as a separate word ("mistral small"); not "max"
    /// or "pro", which questions use for other things ("max context").
    private static let separateVariantWords: Set<String> = [
        "mini", "small", "medium", "large", "tiny", "nano", "micro", "coder", "math", "vl", "vision", "distill", "omni",
        "audio", "guard", "embedding", "reward", "turbo",
    ]

    /// Whether the model name at `r` is only part of a longer, unknown name: typed as one word
    /// ("phi-4-mini") or followed by a variant word ("mistral small", "qwen2.5 7b coder").
    private func isPartOfOtherName(_ r: Range<Int>, taken: [Bool]) -> Bool {
        for i in [r.lowerBound - 1, r.upperBound] where i >= 0 && i < tokens.count && !taken[i] {
            if Self.separateVariantWords.contains(tokens[i].text) { return true }
        }
        let firstWord = tokens[r.lowerBound].word, lastWord = tokens[r.upperBound - 1].word
        var i = r.lowerBound - 1
        while i >= 0, tokens[i].word == firstWord {
            if !taken[i], Self.variantWords.contains(tokens[i].text) || tokens[i].text.contains(where: \.isNumber) { return true }
            i -= 1
        }
        i = r.upperBound
        while i < tokens.count, tokens[i].word == lastWord {
            if !taken[i], Self.variantWords.contains(tokens[i].text) { return true }
            i += 1
        }
        return false
    }

    private mutating func apply(_ matches: [NameMatch]) {
        var genericScheme: Range<Int>?
        for m in matches {
            let typed = text(m.range)
            switch m.kind {
            case .model:
                if q.model == nil { q.model = typed } else { q.ignored.append("ignored model '\(typed)': answered for '\(q.model ?? "")'") }
            case .gpu:
                if q.gpu == nil { q.gpu = typed; gpuRange = m.range } else { q.ignored.append("ignored GPU '\(typed)': answered for '\(q.gpu ?? "")'") }
            case .engine:
                if q.engine == nil { q.engine = typed } else { q.ignored.append("ignored engine '\(typed)': answered for '\(q.engine ?? "")'") }
            case .scheme:
                if q.scheme == nil { q.scheme = typed } else { q.ignored.append("ignored scheme '\(typed)': answered for '\(q.scheme ?? "")'") }
            case .genericScheme:
                if genericScheme == nil { genericScheme = m.range }
            case .kvCache:
                break
            }
            use(m.range)
        }
        // "4-bit" says less than "AWQ": it only counts when no scheme is named.
        if q.scheme == nil, let g = genericScheme { q.scheme = text(g) }
    }
}
