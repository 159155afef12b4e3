/// Every name the catalog knows, in the compact form spans of a question are compared in
/// (`AskTokenizer.compact`), pointing at the entries that carry it, in catalog order.
///
/// Two kinds of alias are left out on purpose: a model alias that is only a size ("7b") and a GPU
/// alias that is only a memory size ("24GB"). Those are read as a bare size and a bare memory
/// size, so the resolver can say which model or GPU it assumed and what else would match.
struct NameIndex: Sendable {
    enum Kind: Int, Sendable, CaseIterable, Comparable {
        // Raw order is the priority when one span names entries of two kinds.
        case model, gpu, engine, scheme, genericScheme, kvCache
        static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
    }

    /// Entries carrying a compact key, per kind (by `Kind.rawValue`); a kind with no entry is empty.
    struct Hits: Sendable {
        var byKind: [[Int]] = Array(repeating: [], count: Kind.allCases.count)
        subscript(kind: Kind) -> [Int] { byKind[kind.rawValue] }
    }

    /// All kinds share one table, so a span of the question costs one hash lookup, not one per kind.
    private var exact: [String: Hits] = [:]
    /// The same keys without '.', so "qwen25" finds "qwen2.5"; consulted only after `exact`.
    private var dotless: [String: Hits] = [:]
    /// Every prefix of every key in `exact` and `dotless`: a span whose text is not in here cannot
    /// grow into a name, so `ParseState.readNames` stops extending it (see `mayExtend`).
    private var prefixes: Set<String> = []
    /// Longest compact key: spans longer than this cannot match, so the scan stops there.
    private(set) var maxKeyLength = 0
    /// Family words of each model ("llama", "qwen"), by catalog index, and all of them together:
    /// for loose names ("qwen 14b") and for telling a typo ("lama") from a word ("hello").
    private(set) var modelFamilies: [Set<String>] = []
    private(set) var families: Set<String> = []

    init(_ catalog: Catalog) {
        for (i, m) in catalog.models.enumerated() {
            let repoName = m.hfRepo.flatMap { $0.split(separator: "/").last.map(String.init) }
            for k in [m.id, m.name, m.hfRepo, repoName].compactMap({ $0 }) + m.aliases where !Self.isBareSize(k) {
                add(k, .model, i)
            }
            modelFamilies.append(ModelFamilies.words(of: m))
            families.formUnion(modelFamilies[i])
        }
        for (i, g) in catalog.gpus.enumerated() {
            var keys = [g.id, g.name] + g.aliases
            // "NVIDIA H100 SXM" is also typed as "H100 SXM".
            let nameTokens = AskTokenizer.tokenize(g.name)
            if let first = nameTokens.first, first.text == g.vendor.lowercased(), nameTokens.count > 1 {
                keys.append(AskTokenizer.compact(nameTokens.dropFirst()))
            }
            for k in keys where !Self.isBareMemory(k) { add(k, .gpu, i) }
        }
        for (i, e) in catalog.engines.enumerated() { for k in [e.id, e.name] + e.aliases { add(k, .engine, i) } }
        for (i, s) in catalog.schemes.enumerated() { for k in [s.id, s.name] + s.aliases { add(k, .scheme, i) } }
        for (i, k) in catalog.kvCacheTypes.enumerated() { for key in [k.id, k.name] + k.aliases { add(key, .kvCache, i) } }
        for (i, g) in AskVocabulary.genericSchemes.enumerated() {
            for p in g.phrases where exact[AskTokenizer.key(p)]?[.scheme].isEmpty ?? true { add(p, .genericScheme, i) }
        }
        for key in exact.keys { addPrefixes(of: key) }
        for key in dotless.keys { addPrefixes(of: key) }
    }

    private mutating func add(_ key: String, _ kind: Kind, _ index: Int) {
        let k = AskTokenizer.key(key)
        guard !k.isEmpty else { return }
        Self.insert(index, kind, at: k, into: &exact)
        Self.insert(index, kind, at: Self.dotless(k), into: &dotless)
        maxKeyLength = max(maxKeyLength, k.count + 1)  // +1: a plural "s"
    }

    /// Longest first: once a prefix is already there, so are all shorter ones (whoever added it added them).
    private mutating func addPrefixes(of key: String) {
        var prefix = Substring(key)
        while !prefix.isEmpty, prefixes.insert(String(prefix)).inserted { prefix.removeLast() }
    }

    private static func insert(_ index: Int, _ kind: Kind, at key: String, into table: inout [String: Hits]) {
        if !table[key, default: Hits()][kind].contains(index) { table[key, default: Hits()].byKind[kind.rawValue].append(index) }
    }

    static func dotless(_ s: String) -> String { s.utf8.contains(UInt8(ascii: ".")) ? s.filter { $0 != "." } : s }

    /// Entries of `kind` whose key is `compact`: exact first, then ignoring dots, then (GPUs only)
    /// without a plural "s" ("4090s", "A100s").
    func lookup(_ compact: String, _ kind: Kind) -> [Int] {
        if let hit = exact[compact]?[kind], !hit.isEmpty { return hit }
        if let hit = dotless[Self.dotless(compact)]?[kind], !hit.isEmpty { return hit }
        if kind == .gpu, compact.count > 2, compact.hasSuffix("s") { return lookup(String(compact.dropLast()), kind) }
        return []
    }

    /// The kinds among `kinds` that `compact` names: `lookup(compact, k)` is non-empty for each,
    /// with the two tables consulted once for all of them.
    func kinds(named compact: String, among kinds: [Kind]) -> [Kind] {
        let e = exact[compact], d = dotless[Self.dotless(compact)]
        return kinds.filter { k in
            if let e, !e[k].isEmpty { return true }
            if let d, !d[k].isEmpty { return true }
            return k == .gpu && !lookup(compact, .gpu).isEmpty
        }
    }

    /// Whether some key of the catalog starts with `compact` (or with it less its dots, or less a
    /// trailing plural "s" that `lookup` would drop), so that a longer span could still match.
    /// False means no span extending this one can name anything.
    func mayExtend(_ compact: String) -> Bool {
        if prefixes.contains(compact) || prefixes.contains(Self.dotless(compact)) { return true }
        return compact.hasSuffix("s") && mayExtend(String(compact.dropLast()))
    }

    /// A name typed on its own (the resolver's way back from `Question`'s text to the entries).
    func lookup(text: String, _ kind: Kind) -> [Int] { lookup(AskTokenizer.key(text), kind) }

    /// "7b", "14B", "1.5b": a model alias that only states a size.
    static func isBareSize(_ s: String) -> Bool {
        guard let n = AskNumber.parse(AskTokenizer.key(s)) else { return false }
        return AskVocabulary.billionWords.contains(n.unit)
    }

    /// "24GB", "24 GB", "80gib": a GPU alias that only states a memory size.
    static func isBareMemory(_ s: String) -> Bool {
        guard let n = AskNumber.parse(AskTokenizer.key(s)) else { return false }
        return AskVocabulary.memoryUnits.contains(n.unit)
    }
}
