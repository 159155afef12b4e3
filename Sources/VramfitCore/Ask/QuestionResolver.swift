/// Turns a `Question` into catalog entries. Where the question is loose (a bare size, a shared
/// alias, "4-bit", "24GB") the most common entry is taken, which catalogs list first, and the
/// choice is said in `assumptions`, so the answer never hides a guess.
extension Catalog {
    public func resolve(_ q: Question) throws -> ResolvedQuestion { try AskIndex(self, forManyQuestions: false).resolve(q) }
}

extension AskIndex {
    /// `Catalog.resolve` with the names indexed beforehand.
    public func resolve(_ q: Question) throws -> ResolvedQuestion {
        var r = QuestionResolution(catalog: catalog, index: names, lookupKeys: lookupKeys)
        let model = try r.model(q)
        let engine = try q.engine.map { try r.engine($0) }
        let scheme = try q.scheme.map { try r.scheme($0, model: model, engine: engine) }
        let kv = try q.kvCacheType.map { try r.kvCacheType($0) }
        let gpu = try r.gpu(q)
        r.notes(q)
        return ResolvedQuestion(question: q, model: model, scheme: scheme, gpu: gpu, gpuCount: q.gpuCount ?? 1,
                                context: q.context, batch: q.batch ?? 1, engine: engine, kvCacheType: kv,
                                asksHowMuch: q.asksHowMuch && gpu == nil, assumptions: r.assumptions,
                                alternatives: r.alternatives, gpuAlternatives: r.gpuAlternatives)
    }
}

/// One resolution in progress: the lookups, and the sentences they leave behind.
struct QuestionResolution {
    let catalog: Catalog
    let index: NameIndex
    let lookupKeys: LookupKeys?
    var assumptions: [String] = []
    var alternatives: [String] = []
    var gpuAlternatives: [String] = []

    /// "assumed X for 'typed' (also: A, B, C, …)".
    static func assumed(_ picked: String, for typed: String, also others: [String]) -> String {
        let shown = others.prefix(4).joined(separator: ", ") + (others.count > 4 ? ", …" : "")
        return "assumed \(picked) for '\(typed)'" + (others.isEmpty ? "" : " (also: \(shown))")
    }

    /// Suggestions compare by edit distance, quadratic in length: a name is never longer than this.
    static func clip(_ s: String) -> String { s.count > 96 ? String(s.prefix(96)) : s }

    static func modelKeys(_ m: Model) -> [String] {
        [m.id, m.name, m.hfRepo ?? ""] + m.aliases.filter { !NameIndex.isBareSize($0) }
    }

    /// One kind's keys, prepared by the index or now.
    func keys(_ table: LookupKeys.Table) -> Lookup.PreparedKeys { lookupKeys?[table] ?? LookupKeys.prepare(table, catalog) }

    /// `Catalog.model(_:)` and its siblings without the error, through the prepared keys.
    func match<T: Sendable>(_ typed: String, _ entries: [T], _ table: LookupKeys.Table, kind: String) -> Resolution<T>? {
        Lookup.match(Self.clip(typed), in: entries, prepared: keys(table), kind: kind)
    }

    func suggestions(_ typed: String, _ table: LookupKeys.Table) -> [String] { Lookup.suggestions(for: Self.clip(typed), in: keys(table)) }

    /// Models whose names are closest to `typed`.
    func modelSuggestions(_ typed: String) -> [String] { suggestions(typed, .modelSuggestions) }

    mutating func model(_ q: Question) throws -> Model {
        let models = catalog.models
        if let typed = q.model {
            var hits = index.lookup(text: typed, .model).map { models[$0] }
            if hits.isEmpty, let r = match(typed, models, .models, kind: "model") { hits = [r.value] + r.alternatives.compactMap { id in models.first { $0.id == id } } }
            var loose = false
            if hits.isEmpty { hits = ModelGuess.byFamilyAndSize(typed, in: models, families: index.modelFamilies); loose = true }
            guard let first = hits.first else {
                throw QuestionError.unknownModel(typed, suggestions: modelSuggestions(typed))
            }
            let others = Array(hits.dropFirst())
            if loose || !others.isEmpty { assumptions.append(Self.assumed(first.name, for: typed, also: others.map(\.name))) }
            alternatives = others.map(\.id)
            return first
        }
        if let size = q.size {
            let typed = q.sizeText ?? "\(size)B"
            let hits = ModelGuess.bySize(size, in: models)
            guard let first = hits.first else {
                throw QuestionError.noModelOfSize(typed, nearest: ModelGuess.nearest(size, in: models).map(\.id))
            }
            let others = Array(hits.dropFirst())
            assumptions.append(Self.assumed(first.name, for: typed, also: others.map(\.name)))
            alternatives = others.map(\.id)
            return first
        }
        var suggestions: [String] = []
        // A typo of a model ("mixtrl") reaches here only when the parser did not take it for one;
        // a few short leftovers are worth a suggestion, a wall of text is not.
        for word in q.unrecognized.prefix(3) where word.count <= 32 {
            for s in modelSuggestions(word) where !suggestions.contains(s) { suggestions.append(s) }
        }
        throw QuestionError.noModel(suggestions: Array(suggestions.prefix(3)))
    }

    mutating func engine(_ typed: String) throws -> Engine {
        try pick(typed, .engine, catalog.engines, .engines, kindName: "engine", id: \.id) { QuestionError.unknownEngine(typed, suggestions: $0) }
    }

    mutating func kvCacheType(_ typed: String) throws -> KVCacheType {
        try pick(typed, .kvCache, catalog.kvCacheTypes, .kvCacheTypes, kindName: "KV-cache type", id: \.id) {
            QuestionError.unknownKVCacheType(typed, suggestions: $0)
        }
    }

    /// A scheme by name, or for a precision word ("4-bit", "int8") the most common scheme of that
    /// precision that the engine loads (AWQ for vLLM, Q4_K_M for llama.cpp), the model's own
    /// dtype first among 16-bit ones.
    mutating func scheme(_ typed: String, model: Model, engine: Engine?) throws -> QuantScheme {
        let schemes = catalog.schemes
        if let generic = AskVocabulary.genericScheme(for: AskTokenizer.key(typed)),
           index.lookup(text: typed, .scheme).isEmpty, match(typed, schemes, .schemes, kind: "quantization scheme") == nil {
            var candidates = generic.preferred.compactMap { id in schemes.first { $0.id == id } }
            if let engine {
                let loadable = candidates.filter { $0.engines.contains(engine.id) }
                if !loadable.isEmpty { candidates = loadable }
            }
            let own = model.dtype.rawValue
            candidates = candidates.filter { $0.aliases.contains(own) || $0.id == own } + candidates.filter { !($0.aliases.contains(own) || $0.id == own) }
            guard let first = candidates.first else { throw QuestionError.unknownScheme(typed, suggestions: suggestions(typed, .schemes)) }
            assumptions.append(Self.assumed(first.id, for: typed, also: candidates.dropFirst().map(\.id)))
            return first
        }
        return try pick(typed, .scheme, schemes, .schemes, kindName: "quantization scheme", id: \.id) {
            QuestionError.unknownScheme(typed, suggestions: $0)
        }
    }

    /// The GPU named, or for a bare memory size the GPU that carries it as an alias ("24GB" →
    /// RTX 4090), else the smallest GPU with at least that much. nil for "how much" questions.
    mutating func gpu(_ q: Question) throws -> GPU? {
        let gpus = catalog.gpus
        if let typed = q.gpu {
            let hits = index.lookup(text: typed, .gpu).map { gpus[$0] }
            guard let first = hits.first else {
                if let r = match(typed, gpus, .gpus, kind: "GPU") {
                    if let a = r.assumption { assumptions.append(a) }
                    gpuAlternatives = r.alternatives
                    return r.value
                }
                throw QuestionError.unknownGPU(typed, suggestions: suggestions(typed, .gpus))
            }
            let others = Array(hits.dropFirst())
            if !others.isEmpty { assumptions.append(Self.assumed(first.id, for: typed, also: others.map(\.id))) }
            gpuAlternatives = others.map(\.id)
            return first
        }
        if let memory = q.memory {
            let typed = q.memoryText ?? "\(memory)"
            let wanted = memory.gib
            let aliased = gpus.filter { g in
                g.aliases.contains { a in
                    guard NameIndex.isBareMemory(a), let n = AskNumber.parse(AskTokenizer.key(a)) else { return false }
                    return abs(n.value - wanted) < 0.01
                }
            }
            if let first = aliased.first {
                let others = aliased.dropFirst().map(\.id)
                assumptions.append(Self.assumed(first.id, for: typed, also: others))
                gpuAlternatives = others
                return first
            }
            // Marketing "80GB" may be stored as 80 GB (74.5 GiB): allow the difference between the units.
            let bigEnough = gpus.filter { $0.kind == .gpu && $0.memory.gib >= wanted * 0.93 }
            guard let closest = bigEnough.min(by: { $0.memory < $1.memory }) else { throw QuestionError.noGPUWithMemory(typed) }
            assumptions.append("assumed \(closest.id) for '\(typed)': the smallest GPU in the catalog with at least that much memory (\(closest.memory))")
            return closest
        }
        if !q.asksHowMuch { throw QuestionError.noTarget }
        return nil
    }

    /// What the parser set aside, said so the user knows it did not count.
    mutating func notes(_ q: Question) {
        assumptions += q.ignored
        if q.model != nil, let size = q.sizeText { assumptions.append("ignored '\(size)': the model is named") }
        assumptions += q.unrecognized.prefix(5).map { "ignored '\($0)': not understood" }
        if q.truncated { assumptions.append("read only the first \(QuestionParser.maxLength) characters of the question") }
    }

    /// An entry by the parser's matching, then by `Lookup`'s; when several share the name the
    /// first is taken and the rest listed.
    private mutating func pick<T: Sendable>(_ typed: String, _ kind: NameIndex.Kind, _ entries: [T], _ table: LookupKeys.Table, kindName: String,
                                            id: (T) -> String, unknown: ([String]) -> QuestionError) throws -> T {
        let hits = index.lookup(text: typed, kind).map { entries[$0] }
        if let first = hits.first {
            if hits.count > 1 { assumptions.append(Self.assumed(id(first), for: typed, also: hits.dropFirst().map(id))) }
            return first
        }
        if let r = match(typed, entries, table, kind: kindName) {
            if let a = r.assumption { assumptions.append(a) }
            return r.value
        }
        throw unknown(suggestions(typed, table))
    }
}
