import Foundation
import VramfitCore
import Yams

/// `engines:` entries: the memory model, the release described, settings by the engine's own names.
enum EngineDecoder {
    static func decode(_ r: inout YAMLReader, id: String) throws -> Engine {
        let mm = try r.string("memory_model")
        guard let model = Engine.MemoryModel(rawValue: mm) else {
            throw r.error(r.raw("memory_model"), "unknown memory_model '\(mm)' (\(Engine.MemoryModel.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        let settings = try self.settings(&r)
        var versions: [Engine.Version] = []
        if let list = r.optionalNode("versions") {
            guard let items = list.sequence else { throw r.error(list, "'versions' must be a list") }
            for item in items {
                var v = try YAMLReader(item, file: r.file)
                versions.append(Engine.Version(id: try v.string("id"), description: try v.optionalString("description") ?? "",
                                               settings: try self.settings(&v)))
                try v.rejectUnknownKeys()
            }
        }
        return Engine(id: id, name: try r.optionalString("name") ?? id, aliases: try r.strings("aliases"), memoryModel: model,
                      version: try r.string("version"), settings: settings, versions: versions,
                      source: try CatalogDecoder.sources(&r), notes: try r.optionalString("notes"))
    }

    /// `settings:` as name → number; booleans become 1/0.
    static func settings(_ r: inout YAMLReader) throws -> EngineSettings {
        guard let m = try r.mapping("settings"), let map = m.node.mapping else { return EngineSettings() }
        var values: [String: Double] = [:]
        for (k, v) in map {
            guard let key = k.string, let s = v.scalar?.string else { throw m.error(v, "settings must be 'name: number' pairs") }
            switch s.lowercased() {
            case "true", "on", "yes": values[key] = 1
            case "false", "off", "no": values[key] = 0
            default:
                guard let d = Double(s.replacingOccurrences(of: "_", with: "")), d.isFinite else {
                    throw m.error(v, "setting '\(key)' must be a number or true/false, found '\(s)'")
                }
                values[key] = d
            }
        }
        return EngineSettings(values)
    }
}
