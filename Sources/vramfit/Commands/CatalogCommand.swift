import ArgumentParser
import Foundation
import VramfitCatalog
import VramfitCore

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "List, show and validate catalog entries (models, GPUs, schemes, KV-cache types, engines).",
        subcommands: [List.self, Show.self, Validate.self, Import.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List entries, one per line.")
        @Argument(help: "models, gpus, schemes, kv, engines (default: all).")
        var kind: Kind?
        @OptionGroup var catalog: CatalogOptions
        @Flag var json = false

        enum Kind: String, ExpressibleByArgument, CaseIterable { case models, gpus, schemes, kv, engines }

        func run() throws {
            let c = try catalog.load()
            let kinds = kind.map { [$0] } ?? Kind.allCases
            var rows: [[String: String]] = []
            for k in kinds {
                switch k {
                case .models:
                    for m in c.models {
                        rows.append(["kind": "model", "id": m.id, "name": m.name,
                                     "detail": "\(String(format2: Double(ParameterCount.total(m)) / 1e9))B params, \(m.numLayers) layers, ctx \(m.maxContext)"])
                    }
                case .gpus:
                    for g in c.gpus {
                        rows.append(["kind": "gpu", "id": g.id, "name": g.name,
                                     "detail": "\(ByteFormat.binary(g.usableMemory)) usable, \(String(format2: Double(g.bandwidthBytesPerSecond) / 1e9)) GB/s"])
                    }
                case .schemes:
                    for s in c.schemes { rows.append(["kind": "scheme", "id": s.id, "name": s.name, "detail": "engines: \(s.engines.joined(separator: ", "))"]) }
                case .kv:
                    for k in c.kvCacheTypes {
                        rows.append(["kind": "kv", "id": k.id, "name": k.name, "detail": "\(k.blockBytes) B per \(k.blockSize) values"])
                    }
                case .engines:
                    for e in c.engines { rows.append(["kind": "engine", "id": e.id, "name": e.name, "detail": "version \(e.version)"]) }
                }
            }
            if json {
                print(try JSONOutput.string(rows))
                return
            }
            let idWidth = min(40, rows.map { $0["id"]!.count }.max() ?? 0)
            for r in rows { print("\(r["kind"]!.padding(toLength: 7, withPad: " ", startingAt: 0)) \(r["id"]!.padding(toLength: idWidth, withPad: " ", startingAt: 0))  \(r["detail"]!)") }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one entry with its derived figures and sources.")
        @Argument(help: "An id or alias of a model, GPU, scheme, KV-cache type or engine.")
        var id: String
        @OptionGroup var catalog: CatalogOptions

        func run() throws {
            let c = try catalog.load()
            if let m = try? c.model(id) { print(CatalogText.model(m.value)); return }
            if let g = try? c.gpu(id) { print(CatalogText.gpu(g.value)); return }
            if let s = try? c.scheme(id) { print(CatalogText.scheme(s.value)); return }
            if let e = try? c.engine(id) { print(CatalogText.engine(e.value)); return }
            if let k = try? c.kvCacheType(id) { print("\(k.value.id): \(k.value.name), \(k.value.blockBytes) bytes per \(k.value.blockSize) values\nsource: \(k.value.source.joined(separator: "; "))"); return }
            // Nothing matched: suggest across every kind.
            var keys: [(String, [String])] = []
            keys += c.models.map { ($0.id, [$0.id, $0.name, $0.hfRepo ?? ""] + $0.aliases) }
            keys += c.gpus.map { ($0.id, [$0.id, $0.name] + $0.aliases) }
            keys += c.schemes.map { ($0.id, [$0.id, $0.name] + $0.aliases) }
            keys += c.engines.map { ($0.id, [$0.id, $0.name] + $0.aliases) }
            struct Entry: Identifiable { var id: String; var keys: [String] }
            let entries = keys.map { Entry(id: $0.0, keys: $0.1) }
            throw LookupError.unknown(kind: "catalog entry", name: id, suggestions: Lookup.suggestions(for: id, in: entries, keys: \.keys))
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check catalog files: YAML, required keys, sources, parameter counts within 0.5 % of published, rules that name what exists.",
            discussion: "With no DIR, checks the built-in catalogs. Exit 2 on the first error, with file:line:column.")
        @Argument(help: "A catalog folder or YAML file.")
        var path: String?

        func run() throws {
            var c = try CatalogLoader.builtIn()
            if let path {
                let user = try CatalogLoader.read(path: path)
                c.merge(user)
                let problems = CatalogChecks.problems(in: user, reference: c)
                try report(problems, count: user, label: path)
            } else {
                try report(CatalogChecks.problems(in: c), count: c, label: "built-in catalogs")
            }
        }

        func report(_ problems: [String], count c: Catalog, label: String) throws {
            for p in problems { FileHandle.standardError.write(Data("error: \(p)\n".utf8)) }
            if !problems.isEmpty { throw ExitCode(2) }
            print("\(label): ok — \(c.models.count) models, \(c.gpus.count) GPUs, \(c.schemes.count) schemes, \(c.kvCacheTypes.count) KV-cache types, \(c.engines.count) engines, \(c.rules.count) rules")
        }
    }
}
