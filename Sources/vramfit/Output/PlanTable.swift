import VramfitCore

/// The human-readable plan: a ranked table, why each candidate lost to the one above, the
/// winner's breakdown, and what the rules dropped.
enum PlanTable {
    static func render(_ p: Plan, top: Int, assumptions: [String], chart: Bool = false, color: Bool = false) -> String {
        let q = p.query
        var out: [String] = []
        let hw = p.nodes > 1 ? "\(p.nodes) nodes × \(q.gpusPerNode) × \(q.gpu.name)" : "\(q.gpusPerNode) × \(q.gpu.name)"
        out.append("Plan for \(q.model.name) on \(hw) · context \(p.context) × \(q.concurrency) · goal \(q.goal.rawValue)")
        out.append("")
        let shown = Array(p.candidates.prefix(top))
        if shown.isEmpty {
            out.append("Nothing fits" + (q.gpu.kind == .gpu ? " on up to \(q.maxNodes) nodes" : "") + " that no rule forbids.")
        } else {
            let header = ["#", "scheme", "engine", "layout", "GPUs", "total", "headroom", "max ctx", "tok/s", "$/h", "quality"]
            var rows: [[String]] = [header]
            for (i, c) in shown.enumerated() {
                let e = c.estimate
                rows.append(["\(i + 1)", c.scheme.id, "\(c.engine.id) \(c.engine.version)", c.layout, "\(c.gpus)",
                             ByteFormat.binary(e.total), ByteFormat.binary(e.headroom), "\(e.maxContext)",
                             String(format2: c.tokensPerSecond), c.hourlyUSD.map { String(format2: $0) } ?? "–", "\(c.qualityRank)"])
            }
            let widths = header.indices.map { col in rows.map { $0[col].count }.max() ?? 0 }
            for (r, row) in rows.enumerated() {
                out.append(row.enumerated().map { EstimateTable.pad($0.element, widths[$0.offset]) }.joined(separator: "  "))
                guard r > 0 else { continue }
                let c = shown[r - 1]
                if let why = c.lostBecause { out.append("    ↳ below: \(why)") }
                for v in c.verdicts { out.append("    ↳ \(v)") }
            }
            if p.candidates.count > shown.count { out.append("… \(p.candidates.count - shown.count) more (--top to see them)") }
        }
        if !p.dropped.isEmpty {
            out.append("")
            var byRule: [(String, Int, String)] = []
            for d in p.dropped {
                let key = d.verdict.map { "rule \($0.ruleId)" } ?? "does not fit or invalid"
                if let i = byRule.firstIndex(where: { $0.0 == key }) { byRule[i].1 += 1 } else {
                    byRule.append((key, 1, d.verdict.map { "\($0.reason)" } ?? "e.g. \(d.scheme) with \(d.engine): \(d.reason)"))
                }
            }
            out.append("dropped \(p.dropped.count) configuration\(p.dropped.count == 1 ? "" : "s"):")
            for (k, n, example) in byRule { out.append("  \(n) × \(k) — \(example)") }
        }
        if let best = p.best {
            out.append("")
            out.append("#1 in detail:")
            let bars = chart ? TerminalChart.render(BreakdownChart.bars(best.estimate), color: color) : []
            out.append(EstimateTable.render(best.estimate, assumptions: [], chart: bars))
        }
        let notes = assumptions + p.notes
        if !notes.isEmpty {
            out.append("")
            for n in notes { out.append("note: \(n)") }
        }
        return out.joined(separator: "\n")
    }
}
