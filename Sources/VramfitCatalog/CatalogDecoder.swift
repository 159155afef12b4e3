import Foundation
import VramfitCore
import Yams

/// YAML text → catalog entries. A file may hold any of the top-level lists `models`, `gpus`,
/// `schemes`, `kv_cache_types`, `engines`, `rules` and `flag_tables`. No I/O: the loader passes the text and a file name.
public enum CatalogDecoder {
    public static func decode(_ text: String, file: String) throws -> Catalog {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let e as YamlError {
            throw located(e, file: file)
        } catch {
            throw CatalogError(file: file, line: 1, column: 1, message: "\(error)")
        }
        var catalog = Catalog()
        guard let root, !root.isNull else { return catalog }
        var r = try YAMLReader(root, file: file)
        let sections = ["models", "gpus", "schemes", "kv_cache_types", "engines", "rules", "flag_tables"]
        for section in sections {
            guard let list = r.optionalNode(section) else { continue }
            guard let items = list.sequence else { throw r.error(list, "'\(section)' must be a list of entries ('- id: …')") }
            var seen: [String: Int] = [:]
            for item in items {
                var e = try YAMLReader(item, file: file)
                let id = try e.string("id")
                guard !id.trimmingCharacters(in: .whitespaces).isEmpty else { throw e.error(e.raw("id"), "'id' must not be empty") }
                if let line = seen[id.lowercased()] {
                    throw e.error(e.raw("id"), "duplicate \(section) id '\(id)' (first defined on line \(line))")
                }
                seen[id.lowercased()] = item.mark?.line ?? 0
                switch section {
                case "models": catalog.models.append(try ModelDecoder.decode(&e, id: id))
                case "gpus": catalog.gpus.append(try GPUDecoder.decode(&e, id: id))
                case "schemes": catalog.schemes.append(try SchemeDecoder.decode(&e, id: id))
                case "kv_cache_types": catalog.kvCacheTypes.append(try SchemeDecoder.decodeKV(&e, id: id))
                case "rules": catalog.rules.append(try RuleDecoder.decode(&e, id: id))
                case "flag_tables": catalog.flagTables.append(try FlagTableDecoder.decode(&e, id: id))
                default: catalog.engines.append(try EngineDecoder.decode(&e, id: id))
                }
                try e.rejectUnknownKeys()
            }
        }
        try r.rejectUnknownKeys()
        return catalog
    }

    static func located(_ e: YamlError, file: String) -> CatalogError {
        switch e {
        case .scanner(let ctx, let problem, let mark, _), .parser(let ctx, let problem, let mark, _), .composer(let ctx, let problem, let mark, _):
            let context = ctx.map { " (\($0.text))" } ?? ""
            return CatalogError(file: file, line: mark.line, column: mark.column, message: "invalid YAML: \(problem)\(context)")
        case .duplicatedKeysInMapping(let dups, let ctx):
            return CatalogError(file: file, line: ctx.mark.line, column: ctx.mark.column,
                                message: "duplicate key \(dups.map { "'\($0)'" }.joined(separator: ", ")) in a mapping")
        case .reader(let problem, let offset, _, let yaml):
            var line = 1, col = 1
            if let offset {
                for (i, ch) in yaml.unicodeScalars.enumerated() {
                    if i >= offset { break }
                    if ch == "\n" { line += 1; col = 1 } else { col += 1 }
                }
            }
            return CatalogError(file: file, line: line, column: col, message: "unreadable YAML: \(problem)")
        default:
            return CatalogError(file: file, line: 1, column: 1, message: "invalid YAML: \(e)")
        }
    }

    /// Every entry must say where its facts come from.
    static func sources(_ r: inout YAMLReader) throws -> [String] {
        let s = try r.strings("source")
        guard !s.isEmpty else { throw r.error(nil, "missing required key 'source' (where these facts come from)") }
        return s
    }

    static func roles(_ r: inout YAMLReader, _ key: String) throws -> Set<TensorRole>? {
        guard let n = r.optionalNode(key) else { return nil }
        let items = n.sequence ?? [n]
        var out = Set<TensorRole>()
        for item in items {
            guard let s = item.scalar?.string, let role = TensorRole(rawValue: s) else {
                throw r.error(item, "unknown tensor role '\(item.scalar?.string ?? "?")' in '\(key)' (known: \(TensorRole.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            out.insert(role)
        }
        return out
    }
}
