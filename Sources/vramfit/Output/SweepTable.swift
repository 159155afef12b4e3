import VramfitCore

/// The sweep as text: one block per GPU, one line per model. `--by context` (default) answers
/// "what is the best I can run at this context"; `--by scheme` shows the whole matrix.
enum SweepTable {
    static func render(_ sweep: Sweep, by pivot: SweepCommand.Pivot, fitsOnly: Bool) -> String {
        let q = sweep.query
        let matrix = FitsMatrix(sweep)
        var out: [String] = []
        let engines: String
        switch q.engines {
        case .usual: engines = "each scheme on its usual engine"
        case .all: engines = "every engine that runs each scheme"
        case .only(let id): engines = "engine \(id) only"
        }
        out.append("Fits-matrix: \(q.models.count) model\(q.models.count == 1 ? "" : "s") × \(q.schemes.count) scheme\(q.schemes.count == 1 ? "" : "s") · "
                   + "\(engines) · concurrency \(q.concurrency) · \(sweep.cellCount) cells")
        if matrix.blocks.isEmpty {
            out.append("")
            out.append("Nothing to sweep: no engine in the selection runs the schemes selected.")
        }
        for block in matrix.blocks {
            let g = q.gpus[block.gpu]
            let count = q.gpusPerConfiguration > 1 ? "\(q.gpusPerConfiguration) × " : ""
            out.append("")
            out.append("\(count)\(g.name) (\(g.id), \(ByteFormat.binary(g.usableMemory)) usable each)")
            let lines = fitsOnly ? block.lines.filter { $0.best.contains { $0 != nil } } : block.lines
            switch pivot {
            case .context: out += byContext(sweep, lines)
            case .scheme: out += byScheme(sweep, lines)
            }
            out.append("  models that fit: " + q.contexts.enumerated().map { "\(block.modelsThatFit[$0.offset]) of \(block.lines.count) at \(tokens($0.element))" }
                .joined(separator: " · "))
        }
        out.append("")
        switch pivot {
        case .context:
            out.append("cell: the highest-quality scheme that fits at that context, its engine, (how many schemes fit); ✘ none fits; — beyond the model's maximum context")
        case .scheme:
            out.append("cell: the largest context swept at which the scheme fits; ✘ fits at none; — only beyond the model's maximum context; ⊘ a rule forbids it; ! invalid; · not swept")
        }
        out.append("each cell is what `vramfit estimate` says for that configuration; `vramfit plan` ranks the layouts of one model")
        return out.joined(separator: "\n")
    }

    static func byContext(_ sweep: Sweep, _ lines: [FitsMatrix.Line]) -> [String] {
        let q = sweep.query
        var table: [[String]] = [["model"] + q.contexts.map { tokens($0) }]
        for line in lines {
            var row = [q.models[line.model].id]
            for c in q.contexts.indices {
                if let i = line.best[c] {
                    let r = sweep.rows[i]
                    row.append("\(q.schemes[r.scheme].id) · \(r.engine.id) (\(line.fitting[c]))")
                } else {
                    row.append(line.beyondMaxContext[c] ? "—" : "✘")
                }
            }
            table.append(row)
        }
        return layout(table)
    }

    static func byScheme(_ sweep: Sweep, _ lines: [FitsMatrix.Line]) -> [String] {
        let q = sweep.query
        var table: [[String]] = [["model"] + q.schemes.map(\.id)]
        for line in lines {
            table.append([q.models[line.model].id] + line.schemes.map(symbol))
        }
        return layout(table)
    }

    static func symbol(_ c: FitsMatrix.SchemeCell) -> String {
        switch c {
        case .fits(let n): tokens(n)
        case .doesNotFit: "✘"
        case .beyondMaxContext: "—"
        case .forbidden: "⊘"
        case .invalid: "!"
        case .notSwept: "·"
        }
    }

    /// 4096 → "4k", 131072 → "128k", 1048576 → "1m"; other counts as they are.
    static func tokens(_ n: Int64) -> String {
        if n >= 1 << 20, n % (1 << 20) == 0 { return "\(n >> 20)m" }
        if n >= 1024, n % 1024 == 0 { return "\(n / 1024)k" }
        return "\(n)"
    }

    static func layout(_ rows: [[String]]) -> [String] {
        guard let header = rows.first else { return [] }
        let widths = header.indices.map { col in rows.map { $0[col].count }.max() ?? 0 }
        return rows.map { row in
            "  " + row.enumerated().map { EstimateTable.pad($0.element, widths[$0.offset]) }.joined(separator: "  ")
                .trimmingTrailingSpaces
        }
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
