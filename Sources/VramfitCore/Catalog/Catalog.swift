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
    /// Each engine's option spellings with their sources (catalogs/engines/flags/*.yaml), the record
    /// exporters are tested against.
    public var flagTables: [FlagTable] = []

    public init() {}

    public mutating func merge(_ other: Catalog) {
        models = Self.merged(models, other.models)
        gpus = Self.merged(gpus, other.gpus)
        schemes = Self.merged(schemes, other.schemes)
        kvCacheTypes = Self.merged(kvCacheTypes, other.kvCacheTypes)
        engines = Self.merged(engines, other.engines)
        rules = Self.merged(rules, other.rules)
        flagTables = Self.merged(flagTables, other.flagTables)
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
    public func model(_ name: String) throws -> Resolution<Model> { try Lookup.find(name, in: models, kind: "model", keys: Self.modelKeys) }
    public func gpu(_ name: String) throws -> Resolution<GPU> { try Lookup.find(name, in: gpus, kind: "GPU", keys: Self.gpuKeys) }
    public func scheme(_ name: String) throws -> Resolution<QuantScheme> {
        try Lookup.find(name, in: schemes, kind: "quantization scheme", keys: Self.schemeKeys)
    }
    public func engine(_ name: String) throws -> Resolution<Engine> { try Lookup.find(name, in: engines, kind: "engine", keys: Self.engineKeys) }
    public func kvCacheType(_ name: String) throws -> Resolution<KVCacheType> {
        try Lookup.find(name, in: kvCacheTypes, kind: "KV-cache type", keys: Self.kvCacheTypeKeys)
    }

    /// The names each kind of entry is looked up by.
    static func modelKeys(_ m: Model) -> [String] { [m.id, m.name, m.hfRepo ?? ""] + m.aliases }
    static func gpuKeys(_ g: GPU) -> [String] { [g.id, g.name] + g.aliases }
    static func schemeKeys(_ s: QuantScheme) -> [String] { [s.id, s.name] + s.aliases }
    static func engineKeys(_ e: Engine) -> [String] { [e.id, e.name] + e.aliases }
    static func kvCacheTypeKeys(_ k: KVCacheType) -> [String] { [k.id, k.name] + k.aliases }
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
        let prepared = PreparedKeys(entries, keys: keys)
        if let r = match(name, in: entries, prepared: prepared, kind: kind) { return r }
        throw LookupError.unknown(kind: kind, name: name, suggestions: suggestions(for: name, in: prepared))
    }

    /// `find` without the error: nil when nothing matches, and no suggestions computed, for
    /// callers that try something else next (the `ask` resolver).
    public static func match<T: Identifiable & Sendable>(_ name: String, in entries: [T], kind: String, keys: (T) -> [String])
        -> Resolution<T>? where T.ID == String
    {
        match(name, in: entries, prepared: PreparedKeys(entries, keys: keys), kind: kind)
    }

    /// Closest ids by edit distance over all keys, and ids that contain what was typed.
    public static func suggestions<T: Identifiable>(for name: String, in entries: [T], keys: (T) -> [String], limit: Int = 3) -> [String]
        where T.ID == String
    {
        suggestions(for: name, in: PreparedKeys(entries, keys: keys), limit: limit)
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
