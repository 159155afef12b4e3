import Foundation
import VramfitCore
import Yams

/// `flag_tables:` entries: a program's option spellings in one release, each table with its
/// `source:`. A flag gives its `value` type (`none`, `int`, `number`, `text`) or its `values`
/// (a choice); `kind` (option, instruction, key, env) and `scope` say where the name is used.
enum FlagTableDecoder {
    static func decode(_ r: inout YAMLReader, id: String) throws -> FlagTable {
        let program = try r.string("program")
        let version = try r.string("version")
        let engine = try r.optionalString("engine")
        let positionals = try r.optionalInt("positionals") ?? 0
        guard positionals >= 0, positionals < 16 else { throw r.error(r.raw("positionals"), "'positionals' must be between 0 and 15") }
        let source = try CatalogDecoder.sources(&r)
        guard let list = r.optionalNode("flags"), let items = list.sequence, !items.isEmpty else {
            throw r.error(r.raw("flags"), "'flags' must be a non-empty list of entries ('- name: …')")
        }
        var flags: [FlagTable.Flag] = []
        var seen: [String: Int] = [:]
        for item in items {
            var f = try YAMLReader(item, file: r.file)
            let flag = try self.flag(&f)
            try f.rejectUnknownKeys()
            for spelling in flag.spellings {
                let key = "\(flag.kind.rawValue) \(flag.scope ?? "") \(spelling)"
                if let line = seen[key] { throw f.error(f.raw("name"), "'\(spelling)' is listed twice in table '\(id)' (first on line \(line))") }
                seen[key] = item.mark?.line ?? 0
            }
            flags.append(flag)
        }
        return FlagTable(id: id, program: program, engine: engine, version: version, source: source, positionals: Int(positionals), flags: flags)
    }

    static func flag(_ f: inout YAMLReader) throws -> FlagTable.Flag {
        let name = try f.string("name")
        guard !name.isEmpty, !name.contains(where: \.isWhitespace) else { throw f.error(f.raw("name"), "'name' must be one word, found '\(name)'") }
        var kind = FlagTable.Kind.option
        if let k = try f.optionalString("kind") {
            guard let v = FlagTable.Kind(rawValue: k) else {
                throw f.error(f.raw("kind"), "unknown kind '\(k)' (\(FlagTable.Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            kind = v
        }
        let values = try f.strings("values")
        var type: FlagTable.ValueType
        if let t = try f.optionalString("value") {
            guard let v = FlagTable.ValueType(rawValue: t), v != .choice else {
                let allowed = FlagTable.ValueType.allCases.filter { $0 != .choice }.map(\.rawValue).joined(separator: ", ")
                throw f.error(f.raw("value"), "unknown value type '\(t)' (\(allowed); or list the choices under 'values')")
            }
            guard values.isEmpty else { throw f.error(f.raw("values"), "give either 'value' or 'values', not both") }
            type = v
        } else {
            guard !values.isEmpty else { throw f.error(nil, "flag '\(name)' needs 'value' (none, int, number, text) or a list of 'values'") }
            type = .choice
        }
        return FlagTable.Flag(name: name, aliases: try f.strings("aliases"), kind: kind, scope: try f.optionalString("scope"), value: type,
                              values: values, source: try f.optionalString("source"))
    }
}
