/// A catalog made ready for questions: every name it knows, tokenized and indexed once.
///
/// Building the name index tokenizes every id, name, repo id and alias in the catalog (a few
/// hundred strings), which costs far more than reading one question. `QuestionParser.parse(_:catalog:)`
/// and `Catalog.resolve` build it on each call, which is fine for one question from the command
/// line; whatever asks many questions of one catalog (the fuzzer, the tests, a server) builds an
/// `AskIndex` once and parses and resolves through it. Same answers either way.
public struct AskIndex: Sendable {
    public let catalog: Catalog
    let names: NameIndex
    /// Keys prepared for the resolver's fallbacks (matching ignoring case and separators, and
    /// did-you-mean suggestions), which unknown names ask for on every question; nil for a
    /// one-question index, which prepares what it needs on demand.
    let lookupKeys: LookupKeys?

    public init(_ catalog: Catalog) { self.init(catalog, forManyQuestions: true) }

    init(_ catalog: Catalog, forManyQuestions: Bool) {
        self.catalog = catalog
        names = NameIndex(catalog)
        lookupKeys = forManyQuestions ? LookupKeys(catalog) : nil
    }
}

/// The catalog's keys as `Lookup` prepares them, one table per kind of entry.
struct LookupKeys: Sendable {
    enum Table: Int, CaseIterable {
        /// Models are matched by all their names but suggested without bare-size aliases ("7b").
        case models, modelSuggestions, gpus, schemes, engines, kvCacheTypes
    }
    let tables: [Lookup.PreparedKeys]

    init(_ catalog: Catalog) { tables = Table.allCases.map { Self.prepare($0, catalog) } }

    subscript(table: Table) -> Lookup.PreparedKeys { tables[table.rawValue] }

    static func prepare(_ table: Table, _ c: Catalog) -> Lookup.PreparedKeys {
        switch table {
        case .models: Lookup.PreparedKeys(c.models, keys: Catalog.modelKeys)
        case .modelSuggestions: Lookup.PreparedKeys(c.models, keys: QuestionResolution.modelKeys)
        case .gpus: Lookup.PreparedKeys(c.gpus, keys: Catalog.gpuKeys)
        case .schemes: Lookup.PreparedKeys(c.schemes, keys: Catalog.schemeKeys)
        case .engines: Lookup.PreparedKeys(c.engines, keys: Catalog.engineKeys)
        case .kvCacheTypes: Lookup.PreparedKeys(c.kvCacheTypes, keys: Catalog.kvCacheTypeKeys)
        }
    }
}
