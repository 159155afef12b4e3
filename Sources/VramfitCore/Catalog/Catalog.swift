/// All catalog entries, merged from the built-in files and the user's. A later entry with the
/// same id replaces an earlier one, so a user file overrides a built-in entry by id.
public struct Catalog: Sendable {
    public var models: [Model] = []
    public var gpus: [GPU] = []
    public var schemes: [QuantScheme] = []
    public var kvCacheTypes: [KVCacheType] = []
    public var engines: [Engine] = []
    /// Compatibility and advice rules (catalogs/rules/*.yaml); a user rule with a built-in id replaces it.
    public var rules: [Rule] = []

    public init() {}

    public mutating func merge(_ other: Catalog) {
        models = Self.merged(models, other.models)
        gpus = Self.merged(gpus, other.gpus)
        schemes = Self.merged(schemes, other.schemes)
        kvCacheTypes = Self.merged(kvCacheTypes, other.kvCacheTypes)
        engines = Self.merged(engines, other.engines)
        rules = Self.merged(rules, other.rules)
    }

    static func merged<T: Identifiable>(_ a: [T], _ b: [T]) -> [T] where T.ID == String {
        var out = a
        for e in b {
            if let i = out.firstIndex(where: { $0.id.lowercased() == e.id.lowercased() }) { out[i] = e } else { out.append(e) }
        }
        return out
    }
}

/// A name the user typed, resolved to an entry, with what was assumed when the name was ambiguous.
public struct Resolution<T: Sendable>: Sendable {
    public var value: T
    /// Set when the name matched several entries and the most common one was picked.
    public var assumption: String?
    public var alternatives: [String]
}

/// Why a lookup failed.
public enum LookupError: Error, Equatable, CustomStringConvertible {
    case unknown(kind: String, name: String, suggestions: [String])

    public var description: String {
        switch self {
        case .unknown(let kind, let name, let s):
            s.isEmpty ? "unknown \(kind) '\(name)'" : "unknown \(kind) '\(name)'; did you mean \(s.map { "'\($0)'" }.joined(separator: ", "))?"
        }
    }
}

extension Catalog {
    public func model(_ name: String) throws -> Resolution<Model> {
        try Lookup.find(name, in: models, kind: "model", keys: { m in [m.id, m.name, m.hfRepo ?? ""] + m.aliases })
    }
    public func gpu(_ name: String) throws -> Resolution<GPU> {
        try Lookup.find(name, in: gpus, kind: "GPU", keys: { g in [g.id, g.name] + g.aliases })
    }
    public func scheme(_ name: String) throws -> Resolution<QuantScheme> {
        try Lookup.find(name, in: schemes, kind: "quantization scheme", keys: { s in [s.id, s.name] + s.aliases })
    }
    public func engine(_ name: String) throws -> Resolution<Engine> {
        try Lookup.find(name, in: engines, kind: "engine", keys: { e in [e.id, e.name] + e.aliases })
    }
    public func kvCacheType(_ name: String) throws -> Resolution<KVCacheType> {
        try Lookup.find(name, in: kvCacheTypes, kind: "KV-cache type", keys: { k in [k.id, k.name] + k.aliases })
    }
}

/// Case-insensitive lookup by id, name, repo id or alias. When an alias is shared (`a100`,
/// `24GB`), the first entry in catalog order is the most common variant: catalogs list it first.
public enum Lookup {
    public static func normalize(_ s: String) -> String {
        String(s.lowercased().filter { !$0.isWhitespace && $0 != "_" && $0 != "-" })
    }

    public static func find<T: Identifiable & Sendable>(_ name: String, in entries: [T], kind: String, keys: (T) -> [String]) throws
        -> Resolution<T> where T.ID == String
    {
        let lower = name.lowercased().trimmingSpaces
        // Exact (case-insensitive) match on id first, then on any key; then ignoring spaces, '-' and '_'.
        if let e = entries.first(where: { $0.id.lowercased() == lower }) { return Resolution(value: e, assumption: nil, alternatives: []) }
        for match in [{ (k: String) in k.lowercased() == lower }, { (k: String) in normalize(k) == normalize(lower) }] {
            let hits = entries.filter { keys($0).contains(where: { !$0.isEmpty && match($0) }) }
            if let first = hits.first {
                let others = hits.dropFirst().map(\.id)
                return Resolution(value: first,
                                  assumption: others.isEmpty ? nil : "'\(name)' matches several \(kind)s; assumed \(first.id) (also: \(others.joined(separator: ", ")))",
                                  alternatives: Array(others))
            }
        }
        throw LookupError.unknown(kind: kind, name: name, suggestions: suggestions(for: name, in: entries, keys: keys))
    }

    /// Closest ids by edit distance over all keys, and ids that contain what was typed.
    public static func suggestions<T: Identifiable>(for name: String, in entries: [T], keys: (T) -> [String], limit: Int = 3) -> [String]
        where T.ID == String
    {
        let n = normalize(name)
        guard !n.isEmpty else { return [] }
        var scored: [(Int, String)] = []
        for e in entries {
            let best = keys(e).filter { !$0.isEmpty }.map { k -> Int in
                let nk = normalize(k)
                if nk.contains(n) || n.contains(nk) { return abs(nk.count - n.count) / 4 }
                return editDistance(nk, n)
            }.min() ?? .max
            scored.append((best, e.id))
        }
        let threshold = max(3, n.count / 2)
        return scored.filter { $0.0 <= threshold }.sorted { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }.prefix(limit).map(\.1)
    }

    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count), cur = Array(repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return String(s)
    }
}
