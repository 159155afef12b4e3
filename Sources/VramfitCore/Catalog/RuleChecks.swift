/// Checks on rules that decoding cannot make alone, because they need the rest of the catalog: a
/// condition naming an engine, scheme or KV type that does not exist can never match, so the rule
/// silently never fires — the failure a user adding a rule would not notice. Also bounds that
/// exclude each other, placeholders the reason cannot fill, and a forbid rule with no condition
/// (it would drop every configuration).
extension CatalogChecks {
    /// Placeholders `RuleSubject.fill` knows.
    public static let rulePlaceholders: Set<String> = [
        "gpu", "cc", "scheme", "engine", "tp", "pp", "heads", "kv_heads", "experts", "kv_cache", "nodes", "model", "scheme_engines",
    ]

    /// Problems in `rules`, with names checked against `reference` (the merged catalog, so a user
    /// file's rule may name a built-in engine).
    public static func ruleProblems(_ rules: [Rule], reference c: Catalog) -> [String] {
        var out: [String] = []
        var engines = Set<String>(), versions: Set<String> = ["current"], kvTypes: Set<String> = ["auto"]
        for e in c.engines {
            engines.insert(e.id.lowercased())
            versions.insert(e.version.lowercased())
            for v in e.versions { versions.insert(v.id.lowercased()) }
        }
        for m in Engine.MemoryModel.allCases { engines.insert(m.rawValue.lowercased()) }
        for k in c.kvCacheTypes {
            kvTypes.insert(k.id.lowercased())
            for a in k.aliases { kvTypes.insert(a.lowercased()) }
        }
        let schemes = Set<String>(c.schemes.map { $0.id.lowercased() })
        var families: Set<String> = ["gguf", "bnb", "fp8", "awq", "gptq", "mxfp4", "int8", "float"]
        for s in c.schemes { families.insert(RuleSubject.family(of: s)) }
        let vendors = Set<String>(c.gpus.map { $0.vendor.lowercased() })
        let kinds: Set<String> = ["gpu", "unified", "cpu"]
        for r in rules {
            func unknown(_ key: String, _ values: [String]?, _ known: Set<String>) {
                for v in values ?? [] where !known.contains(v.lowercased()) {
                    var near: (name: String, distance: Int)?
                    for k in known.sorted() {
                        let d = Lookup.editDistance(k, v.lowercased())
                        if d <= 2, d < (near?.distance ?? Int.max) { near = (k, d) }
                    }
                    let hint = near.map { "; did you mean '\($0.name)'?" } ?? ""
                    out.append("rule \(r.id): '\(key)' names '\(v)', which no catalog entry has (the rule can never fire)\(hint)")
                }
            }
            let w = r.when
            unknown("engine", w.engines, engines)
            unknown("engine_version", w.engineVersions, versions)
            unknown("scheme", w.schemes, schemes)
            unknown("scheme_family", w.schemeFamilies, families)
            unknown("kv_cache", w.kvCaches, kvTypes)
            unknown("gpu_vendor", w.gpuVendors, vendors)
            unknown("gpu_kind", w.gpuKinds, kinds)
            if let below = w.gpuCCBelow, let atLeast = w.gpuCCAtLeast, atLeast >= below {
                out.append("rule \(r.id): gpu_cc_at_least \(atLeast / 10).\(atLeast % 10) is not below gpu_cc_below \(below / 10).\(below % 10) (the rule can never fire)")
            }
            for text in [r.reason] + (r.advice.map { [$0] } ?? []) {
                for p in placeholders(in: text) where !rulePlaceholders.contains(p) {
                    out.append("rule \(r.id): unknown placeholder {\(p)} (known: \(rulePlaceholders.sorted().joined(separator: ", ")))")
                }
            }
            if r.level == .forbid, r.check == nil, r.when == RuleCondition() {
                out.append("rule \(r.id): forbids every configuration (no 'when' condition and no 'check')")
            }
        }
        return out
    }

    /// `{name}` words in a rule's text.
    static func placeholders(in text: String) -> [String] {
        var out: [String] = []
        var current: String?
        for ch in text {
            if ch == "{" { current = "" } else if ch == "}" {
                if let c = current, !c.isEmpty { out.append(c) }
                current = nil
            } else if current != nil {
                if ch.isLetter || ch == "_" { current!.append(ch) } else { current = nil }
            }
        }
        return out
    }
}
