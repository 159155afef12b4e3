/// Consistency checks over catalog entries beyond what decoding enforces: facts that must agree
/// with each other. Each message names the entry and the figures.
public enum CatalogChecks {
    /// Largest relative gap allowed between the derived and the published parameter count.
    public static let parameterTolerance = 0.005

    /// `reference`: the catalog that names in `c`'s rules are looked up in (the merged catalog when
    /// `c` is a user file); `c` itself when nil.
    public static func problems(in c: Catalog, reference: Catalog? = nil) -> [String] {
        var out: [String] = []
        for m in c.models {
            let derived = ParameterCount.total(m)
            let err = abs(Double(derived - m.publishedParams)) / Double(m.publishedParams)
            if err > parameterTolerance {
                out.append("model \(m.id): derived \(derived) parameters vs published \(m.publishedParams) (\(String(format2: err * 100)) % > 0.5 %)")
            }
            if let sw = m.slidingWindow, sw.window > m.maxContext * 4 {
                out.append("model \(m.id): sliding window \(sw.window) is larger than four times max_context \(m.maxContext)")
            }
        }
        for g in c.gpus {
            if g.usableMemory > g.memory { out.append("gpu \(g.id): usable memory exceeds memory") }
            if g.vendor == "NVIDIA", g.supportsFP8, let cc = g.computeCapability, cc < 89 {
                out.append("gpu \(g.id): fp8 support claimed at compute capability \(cc / 10).\(cc % 10) (needs 8.9+)")
            }
            if g.vendor == "NVIDIA", g.supportsBF16, let cc = g.computeCapability, cc < 80 {
                out.append("gpu \(g.id): bf16 support claimed at compute capability \(cc / 10).\(cc % 10) (needs 8.0+)")
            }
        }
        let engineIds = Set(c.engines.map { $0.id })
        for s in c.schemes {
            for e in s.engines where !engineIds.contains(e) { out.append("scheme \(s.id): unknown engine '\(e)'") }
        }
        for k in c.kvCacheTypes {
            for e in k.engines where !engineIds.contains(e) { out.append("kv cache type \(k.id): unknown engine '\(e)'") }
        }
        out += ruleProblems(c.rules, reference: reference ?? c)
        return out
    }
}
