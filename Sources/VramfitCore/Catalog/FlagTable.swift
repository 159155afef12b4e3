/// The options one program accepts in one release, kept as data (catalogs/engines/flags/*.yaml)
/// with the documentation or source file each spelling was checked against. Exporters write
/// flags from code; the tables are the independent record they are tested against, so a flag
/// renamed upstream, a typo, or a value the engine has no choice for fails a test instead of a
/// user's launch.
public struct FlagTable: Sendable, Identifiable {
    /// What kind of name an entry is: a command-line option (`--max-model-len`), a config-file
    /// instruction (`PARAMETER`), a key of a config file or Python call (`num_ctx`, `load_in_4bit`),
    /// or an environment variable (`OLLAMA_NUM_PARALLEL`).
    public enum Kind: String, Sendable, CaseIterable {
        case option, instruction, key, env
    }

    /// What an entry takes after its name.
    public enum ValueType: String, Sendable, CaseIterable {
        /// A switch (`--trust-remote-code`).
        case none
        /// A whole number (`--max-model-len 32768`).
        case int
        /// Any number (`--gpu-memory-utilization 0.9`).
        case number
        /// Free text (a model path, a pattern).
        case text
        /// One of `values`.
        case choice
    }

    public struct Flag: Sendable, Equatable {
        /// The spelling exporters write (`--tensor-parallel-size`, `num_ctx`).
        public var name: String
        /// Other spellings the program accepts for the same option (`-tp`).
        public var aliases: [String]
        public var kind: Kind
        public var value: ValueType
        /// The choices for `value: choice` (as the engine spells them).
        public var values: [String]
        /// For a key: the call or section it belongs to (`BitsAndBytesConfig`, `from_pretrained`).
        public var scope: String?
        /// Where this entry was checked when it differs from the table's sources.
        public var source: String?

        public init(name: String, aliases: [String] = [], kind: Kind = .option, scope: String? = nil, value: ValueType = .text,
                    values: [String] = [], source: String? = nil) {
            // A list of values makes the entry a choice, whatever `value` says.
            self.name = name; self.aliases = aliases; self.kind = kind; self.value = values.isEmpty ? value : .choice; self.values = values
            self.scope = scope; self.source = source
        }

        public var spellings: [String] { [name] + aliases }
    }

    /// `vllm-serve`, `llama-server`, `ollama`, …
    public var id: String
    /// The command the options follow (`vllm serve`), or the file/API they belong to.
    public var program: String
    /// Catalog engine id the table belongs to, if any (docker and Kubernetes tables have none).
    public var engine: String?
    /// The release the spellings were checked against.
    public var version: String
    public var source: [String]
    /// Bare words the program takes besides options (`vllm serve MODEL`: 1).
    public var positionals: Int
    public var flags: [Flag]

    public init(id: String, program: String, engine: String? = nil, version: String, source: [String], positionals: Int = 0,
                flags: [Flag]) {
        self.id = id; self.program = program; self.engine = engine; self.version = version; self.source = source
        self.positionals = positionals; self.flags = flags
    }

    /// The entry any of whose spellings is `name` (exact, case-sensitive: engines are), of `kind`
    /// and, when given, of `scope`.
    public func flag(_ name: String, kind: Kind = .option, scope: String? = nil) -> Flag? {
        flags.first { $0.kind == kind && $0.spellings.contains(name) && (scope == nil || $0.scope == scope) }
    }
}

extension Catalog {
    /// The flag table with this id (case-insensitive), nil when the catalog has none.
    public func flagTable(_ id: String) -> FlagTable? {
        flagTables.first { $0.id.lowercased() == id.lowercased() }
    }
}
