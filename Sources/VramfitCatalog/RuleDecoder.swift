import Foundation
import VramfitCore
import Yams

/// `rules:` entries: `level`, `when:` conditions, an optional built-in `check:`, `reason`,
/// `advice` and `source`. Unknown keys in `when:` are rejected like everywhere else, so a
/// misspelled condition cannot silently widen a rule to every configuration.
enum RuleDecoder {
    static func decode(_ r: inout YAMLReader, id: String) throws -> Rule {
        let lv = try r.string("level")
        guard let level = Rule.Level(rawValue: lv) else {
            throw r.error(r.raw("level"), "unknown level '\(lv)' (\(Rule.Level.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var check: RuleCheck?
        if let node = r.optionalNode("check") {
            guard let s = node.scalar?.string, let c = RuleCheck(rawValue: s) else {
                throw r.error(node, "unknown check '\(node.scalar?.string ?? "?")' (\(RuleCheck.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            check = c
        }
        var when = RuleCondition()
        if var w = try r.mapping("when") {
            when = try condition(&w)
            try w.rejectUnknownKeys()
        }
        return Rule(id: id, level: level, when: when, check: check, reason: try r.string("reason"),
                    advice: try r.optionalString("advice"), source: try CatalogDecoder.sources(&r))
    }

    static func condition(_ w: inout YAMLReader) throws -> RuleCondition {
        func list(_ key: String) throws -> [String]? { w.has(key) ? try w.strings(key) : nil }
        func cc(_ key: String) throws -> Int? {
            guard let node = w.optionalNode(key) else { return nil }
            guard let s = node.scalar?.string, let v = GPUDecoder.parseCC(s) else { throw w.error(node, "'\(key)' must look like \"8.9\"") }
            return v
        }
        func flag(_ key: String) throws -> Bool? { w.has(key) ? try w.bool(key, default: false) : nil }
        var c = RuleCondition(
            engines: try list("engine"), engineVersions: try list("engine_version"), schemes: try list("scheme"),
            schemeFamilies: try list("scheme_family"), kvCaches: try list("kv_cache"), gpuCCBelow: try cc("gpu_cc_below"),
            gpuCCAtLeast: try cc("gpu_cc_at_least"), gpuVendors: try list("gpu_vendor"), gpuKinds: try list("gpu_kind"),
            gpuLacks: try list("gpu_lacks"), tensorParallelAbove: try w.optionalInt("tensor_parallel_above"),
            pipelineParallelAbove: try w.optionalInt("pipeline_parallel_above"), nodesAbove: try w.optionalInt("nodes_above"))
        c.moe = try flag("moe")
        c.cpuOffload = try flag("cpu_offload")
        c.expertParallel = try flag("expert_parallel")
        c.flashAttention = try flag("flash_attention")
        for f in c.gpuLacks ?? [] where !RuleCondition.features.contains(f.lowercased()) {
            throw w.error(w.raw("gpu_lacks"), "unknown feature '\(f)' in 'gpu_lacks' (\(RuleCondition.features.joined(separator: ", ")))")
        }
        return c
    }
}
