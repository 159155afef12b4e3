/// `Lookup` over keys prepared once. Matching lowercases every key of every entry and suggesting
/// normalizes them and compares each by edit distance; a caller that looks up many names in one
/// catalog (the `ask` resolver, through `AskIndex`) prepares the keys once, and the closure forms
/// in Catalog.swift prepare them per call. The answers are the same either way.
extension Lookup {
    /// Entries' ids and non-empty keys, lowercased and normalized.
    struct PreparedKeys: Sendable {
        var ids: [String]
        var lowerIDs: [String]
        var lower: [[String]]
        var normalized: [[String]]
        /// `normalized` as characters, for the edit distance and the substring test.
        var normalizedCharacters: [[[Character]]]

        init<T: Identifiable>(_ entries: [T], keys: (T) -> [String]) where T.ID == String {
            ids = entries.map(\.id)
            lowerIDs = ids.map { $0.lowercased() }
            let nonEmpty = entries.map { keys($0).filter { !$0.isEmpty } }
            lower = nonEmpty.map { $0.map { $0.lowercased() } }
            normalized = nonEmpty.map { $0.map(Lookup.normalize) }
            normalizedCharacters = normalized.map { $0.map { Array($0) } }
        }
    }

    /// Exact (case-insensitive) match on id first, then on any key; then ignoring spaces, '-' and '_'.
    static func match<T: Sendable>(_ name: String, in entries: [T], prepared p: PreparedKeys, kind: String) -> Resolution<T>? {
        let lower = name.lowercased().trimmingSpaces
        if let i = p.lowerIDs.firstIndex(of: lower) { return Resolution(value: entries[i], assumption: nil, alternatives: []) }
        for (table, wanted) in [(p.lower, lower), (p.normalized, normalize(lower))] {
            let hits = table.indices.filter { table[$0].contains(wanted) }
            if let first = hits.first {
                let others = hits.dropFirst().map { p.ids[$0] }
                return Resolution(value: entries[first],
                                  assumption: others.isEmpty ? nil : "'\(name)' matches several \(kind)s; assumed \(p.ids[first]) (also: \(others.joined(separator: ", ")))",
                                  alternatives: Array(others))
            }
        }
        return nil
    }

    /// Closest ids by edit distance over all keys, and ids that contain what was typed (ranked
    /// by how much longer they are); at most `limit`, none further than half the typed length.
    static func suggestions(for name: String, in p: PreparedKeys, limit: Int = 3) -> [String] {
        let typed = Array(normalize(name))
        guard !typed.isEmpty else { return [] }
        let threshold = max(3, typed.count / 2)
        var scored: [(Int, String)] = []
        for (id, keys) in zip(p.ids, p.normalizedCharacters) {
            let best = keys.map { nk -> Int in
                if contains(nk, typed) || contains(typed, nk) { return abs(nk.count - typed.count) / 4 }
                // Only distances up to the threshold are kept, so the computation stops past it.
                return editDistance(nk, typed, limit: threshold)
            }.min() ?? .max
            scored.append((best, id))
        }
        return scored.filter { $0.0 <= threshold }.sorted { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }.prefix(limit).map(\.1)
    }

    /// Whether `text` has `pattern` as a run of characters (what `String.contains` answers, without
    /// its per-call searcher setup, which dominated the suggestions' cost).
    static func contains(_ text: [Character], _ pattern: [Character]) -> Bool {
        guard pattern.count <= text.count else { return false }
        guard let first = pattern.first else { return true }
        for start in 0...(text.count - pattern.count) where text[start] == first {
            var k = 1
            while k < pattern.count, text[start + k] == pattern[k] { k += 1 }
            if k == pattern.count { return true }
        }
        return false
    }

    /// Edit distance when it is at most `limit`, else `limit + 1`: the same answer as
    /// `editDistance` for every comparison against `limit`, in O(limit × length) instead of
    /// O(length²). Only cells within `limit` of the diagonal can stay within `limit` (a cell (i, j)
    /// costs at least |i − j|), and a row whose cells all exceed `limit` ends the computation.
    static func editDistance(_ a: [Character], _ b: [Character], limit: Int) -> Int {
        let over = limit + 1
        if abs(a.count - b.count) > limit { return over }
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = (0...b.count).map { min($0, over) }
        var cur = Array(repeating: over, count: b.count + 1)
        for i in 1...a.count {
            let lo = max(1, i - limit), hi = min(b.count, i + limit)
            cur[lo - 1] = lo == 1 ? min(i, over) : over
            if hi < b.count { cur[hi + 1] = over }
            var rowMin = cur[lo - 1]
            for j in lo...hi {
                let v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1), over)
                cur[j] = v
                rowMin = min(rowMin, v)
            }
            if rowMin > limit { return over }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}
