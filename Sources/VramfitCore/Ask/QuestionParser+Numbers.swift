/// Numbers in the question and what the words around them make of them: a GPU count, a memory
/// size, a context length, a batch. A number nothing claims stays for `readLeftovers` (a bare
/// model size such as "14B", or part of an unknown model name).
extension ParseState {
    mutating func readGPUCount() {
        if let g = gpuRange {
            if let r = count(before: g.lowerBound) ?? count(after: g.upperBound) { takeCount(r.range, r.value) }
        }
        guard q.gpuCount == nil else { return }
        // "on 4 GPUs", "8x GPUs", "2 cards" with no GPU named.
        for i in tokens.indices where isFree(i) && ["gpus", "gpu", "cards", "card", "devices"].contains(tokens[i].text) {
            if let r = count(before: i), r.value.map({ $0 > 1 }) ?? true { takeCount(r.range, r.value); return }
        }
    }

    /// A count right before token `end`: "2x", "4 x", "two", "dual", "8".
    func count(before end: Int) -> (range: Range<Int>, value: Int64?)? {
        guard let w = freeWord(end - 1) else { return nil }
        if let n = number(end - 1), n.unit == "x" { return ((end - 1)..<end, n.int64()) }
        // A plain number is a count only where a count is plausible ("2 4090s", "8 H100").
        if let n = number(end - 1), n.unit == "", n.isWhole, n.value >= 1, n.value <= Double(Estimator.maxDevices) {
            return ((end - 1)..<end, n.int64())
        }
        if w == "x", let n = number(end - 2), n.unit == "", n.isWhole { return ((end - 2)..<end, n.int64()) }
        if let n = AskVocabulary.countWords[w] { return ((end - 1)..<end, n) }
        if w == "of", let pair = freeWord(end - 2), pair == "pair" || pair == "couple" { return ((end - 2)..<end, 2) }
        return nil
    }

    /// A count right after token `start`: "x2", "x 2".
    private func count(after start: Int) -> (range: Range<Int>, value: Int64?)? {
        guard let w = freeWord(start) else { return nil }
        if w.first == "x", let n = AskNumber.parse(String(w.dropFirst())), n.unit == "", n.isWhole { return (start..<(start + 1), n.int64()) }
        if w == "x", let n = number(start + 1), n.unit == "", n.isWhole { return (start..<(start + 2), n.int64()) }
        return nil
    }

    mutating func takeCount(_ r: Range<Int>, _ value: Int64?) {
        guard let v = value, v >= 1 else { return ignore(r, "not a GPU count") }
        q.gpuCount = v
        use(r)
    }

    mutating func readMemory() {
        for i in tokens.indices {
            guard let n = number(i) else { continue }
            var r: Range<Int>
            if AskVocabulary.memoryUnits.contains(n.unit) {
                r = i..<(i + 1)
            } else if n.unit.isEmpty, let u = freeWord(i + 1), AskVocabulary.memoryUnits.contains(u) {
                r = i..<(i + 2)
            } else {
                continue
            }
            guard q.memory == nil else { ignore(r, "a second memory size"); continue }
            guard let bytes = n.int64(scale: 1_073_741_824), bytes > 0 else { ignore(r, "not a usable memory size"); continue }
            q.memory = ByteCount(bytes)
            q.memoryText = text(r)
            use(r)
            // "2x 24GB", "two 24 GB cards".
            if q.gpuCount == nil, let c = count(before: r.lowerBound) { takeCount(c.range, c.value) }
        }
    }

    /// Tokens for a context length: a plain number, "32k" (×1024) or "1m" (×1024²).
    private func contextValue(_ n: AskNumber) -> Int64?? {
        switch n.unit {
        case "": n.int64()
        case "k": n.int64(scale: 1024)
        case "m": n.int64(scale: 1_048_576)
        default: nil
        }
    }

    mutating func readContext() {
        for i in tokens.indices {
            guard let n = number(i), let value = contextValue(n) else { continue }
            var r: Range<Int>?
            if let w = freeWord(i + 1), AskVocabulary.contextAfter.contains(w) {
                var end = i + 2
                while let w2 = freeWord(end), AskVocabulary.contextAfter.contains(w2) { end += 1 }
                r = i..<end
            } else if let start = keyword(before: i, in: AskVocabulary.contextBefore, glue: AskVocabulary.contextGlue) {
                r = start..<(i + 1)
            } else if let w = freeWord(i - 1), w == "at" || w == "with", n.unit == "k" || (n.unit.isEmpty && n.value >= 256) {
                r = (i - 1)..<(i + 1)  // "at 8k", "at 8192"
            }
            guard let r else { continue }
            setContext(value, r)
        }
    }

    /// "8k" that nothing else claimed: people write contexts that way and nothing else.
    mutating func readBareContext() {
        for i in tokens.indices {
            guard let n = number(i), n.unit == "k", let value = contextValue(n) else { continue }
            setContext(value, i..<(i + 1))
        }
    }

    private mutating func setContext(_ value: Int64?, _ r: Range<Int>) {
        guard q.context == nil else { return ignore(r, "a second context length") }
        guard let v = value, v > 0 else { return ignore(r, "not a usable context length") }
        q.context = v
        use(r)
    }

    mutating func readBatch() {
        for i in tokens.indices {
            guard let n = number(i), n.unit.isEmpty, n.isWhole else { continue }
            var r: Range<Int>?
            if let w = freeWord(i + 1), AskVocabulary.batchAfter.contains(w) {
                var end = i + 2
                while let w2 = freeWord(end), AskVocabulary.batchAfter.contains(w2) { end += 1 }
                r = i..<end
            } else if let start = keyword(before: i, in: AskVocabulary.batchBefore, glue: AskVocabulary.batchGlue) {
                r = start..<(i + 1)
            }
            guard let r else { continue }
            guard q.batch == nil else { ignore(r, "a second batch size"); continue }
            guard let v = n.int64(), v > 0 else { ignore(r, "not a usable batch size"); continue }
            q.batch = v
            use(r)
        }
    }

    /// Start of a keyword that the number at `i` belongs to, with up to three glue words between
    /// ("context length of 32k", "batch size 8").
    private func keyword(before i: Int, in keywords: Set<String>, glue: Set<String>) -> Int? {
        var j = i - 1
        var glued = 0
        while let w = freeWord(j) {
            if keywords.contains(w) { return j }
            guard glue.contains(w), glued < 3 else { return nil }
            glued += 1
            j -= 1
        }
        return nil
    }
}
