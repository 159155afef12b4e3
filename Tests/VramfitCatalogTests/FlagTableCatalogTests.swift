import Testing
import VramfitCore
@testable import VramfitCatalog

/// `flag_tables:` decoding (with located errors) and what every built-in table must carry.
@Suite struct FlagTableCatalogTests {
    static let catalog: Catalog = (try? CatalogLoader.builtIn()) ?? Catalog()

    @Test func decodesATable() throws {
        let yaml = """
            flag_tables:
              - id: tool
                program: tool serve
                engine: vllm
                version: "1.2"
                positionals: 1
                source: [docs page, source file]
                flags:
                  - {name: --size, aliases: [-s], value: int}
                  - {name: --mode, values: [fast, "on"]}
                  - {name: num_ctx, kind: key, scope: PARAMETER, value: int, source: api/types.go}
            """
        let t = try #require(try CatalogDecoder.decode(yaml, file: "t.yaml").flagTables.first)
        #expect(t.id == "tool" && t.program == "tool serve" && t.engine == "vllm" && t.version == "1.2" && t.positionals == 1)
        #expect(t.source == ["docs page", "source file"])
        #expect(t.flag("-s")?.name == "--size" && t.flag("-s")?.value == .int)
        #expect(t.flag("--mode")?.values == ["fast", "on"] && t.flag("--mode")?.value == .choice)
        #expect(t.flag("num_ctx", kind: .key, scope: "PARAMETER")?.source == "api/types.go")
    }

    @Test(arguments: [
        ("  - {name: --size}", "needs 'value'", 9),
        ("  - {name: --size, value: integer}", "unknown value type 'integer'", 9),
        ("  - {name: --size, value: int, values: [1]}", "either 'value' or 'values'", 9),
        ("  - {name: --size, kind: flag, value: int}", "unknown kind 'flag'", 9),
        ("  - {name: --size, value: int, alias: [-s]}", "did you mean 'aliases'", 9),
        ("  - {name: --mode, value: int}", "listed twice", 9),
    ])
    func badTablesAreLocated(_ flag: String, _ message: String, _ line: Int) throws {
        let yaml = ["flag_tables:", "  - id: t", "    program: p", "    version: \"1\"", "    source: s", "    flags:",
                    "      - {name: --mode, values: [a]}", "      - {name: --other, value: none}", "    " + flag].joined(separator: "\n")
        do {
            _ = try CatalogDecoder.decode(yaml, file: "bad.yaml")
            Issue.record("expected an error for \(flag)")
        } catch let e as CatalogError {
            #expect(e.message.contains(message), "\(e)")
            #expect(e.file == "bad.yaml" && e.line == line, "\(e)")
        }
    }

    @Test func sourcesAreRequired() throws {
        let yaml = "flag_tables:\n  - id: t\n    program: p\n    version: \"1\"\n    flags:\n      - {name: --x, value: int}\n"
        #expect(throws: CatalogError.self) { try CatalogDecoder.decode(yaml, file: "nosource.yaml") }
    }

    /// One table per launch format, each naming the release it was checked against: the catalog
    /// engine's own release where the table belongs to an engine, so a catalog update that moves
    /// an engine forward also shows which flag table needs checking again.
    @Test func everyTargetHasATableForItsEngineRelease() throws {
        let ids = Set(Self.catalog.flagTables.map(\.id))
        for id in ["vllm-serve", "vllm-multi-node-serving", "sglang-launch-server", "tgi-launcher", "docker-run", "llama-server", "ollama",
                   "transformers", "kubernetes"] {
            #expect(ids.contains(id), "no flag table \(id)")
        }
        for t in Self.catalog.flagTables {
            #expect(!t.source.isEmpty && !t.flags.isEmpty)
            guard let engineId = t.engine else { continue }
            let engine = try #require(Self.catalog.engines.first { $0.id == engineId }, "table \(t.id) names engine \(engineId)")
            #expect(t.version == engine.version, "table \(t.id) is for \(engineId) \(t.version); the catalog describes \(engine.version)")
        }
    }
}
