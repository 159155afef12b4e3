import VramfitCore

/// `sweep --json` (schema_version 1; fields may be added, none renamed or dropped without a bump).
/// Written by hand, one cell per line: the whole catalog is ~10⁵ cells, and a generic encoder
/// spends seconds on what is a plain list of flat objects.
enum SweepJSON {
    static let schemaVersion = 1

    static func render(_ sweep: Sweep, fitsOnly: Bool) -> String {
        let q = sweep.query
        var out = "{\n"
        out += "  \"schema_version\": \(schemaVersion),\n"
        out += "  \"contexts\": [\(q.contexts.map { "\($0)" }.joined(separator: ", "))],\n"
        out += "  \"engines\": \(str(q.engines.label)),\n"
        out += "  \"gpus_per_configuration\": \(q.gpusPerConfiguration),\n"
        out += "  \"concurrency\": \(q.concurrency),\n"
        out += "  \"models\": [\(q.models.map { str($0.id) }.joined(separator: ", "))],\n"
        out += "  \"gpus\": [\(q.gpus.map { str($0.id) }.joined(separator: ", "))],\n"
        out += "  \"quants\": [\(q.schemes.map { str($0.id) }.joined(separator: ", "))],\n"
        out += "  \"cells\": ["
        var first = true
        for row in sweep.rows {
            for cell in row.cells where !fitsOnly || cell.status == .fits {
                out += first ? "\n    " : ",\n    "
                first = false
                out += self.cell(cell, row: row, sweep: sweep)
            }
        }
        out += first ? "],\n" : "\n  ],\n"
        out += "  \"best\": ["
        first = true
        for block in FitsMatrix(sweep).blocks {
            for line in block.lines {
                for (c, ctx) in q.contexts.enumerated() where !fitsOnly || line.best[c] != nil {
                    let best = line.best[c].map { sweep.rows[$0] }
                    out += first ? "\n    " : ",\n    "
                    first = false
                    out += "{\"gpu\": \(str(q.gpus[block.gpu].id)), \"model\": \(str(q.models[line.model].id)), \"context\": \(ctx), "
                        + "\"quant\": \(best.map { str(q.schemes[$0.scheme].id) } ?? "null"), "
                        + "\"engine\": \(best.map { str($0.engine.id) } ?? "null"), \"fitting_quants\": \(line.fitting[c])}"
                }
            }
        }
        out += first ? "]\n" : "\n  ]\n"
        out += "}\n"
        return out
    }

    static func cell(_ c: Sweep.Cell, row r: Sweep.Row, sweep: Sweep) -> String {
        let q = sweep.query
        let model = q.models[r.model]
        let t = c.totals
        let rule = c.status == .forbidden ? r.forbiddenBy?.ruleId : nil
        let reason = c.explanation(in: r, model: model)
        let warnings = r.verdicts.filter { $0.level == .warn }.map { str($0.ruleId) }.joined(separator: ", ")
        var s = "{\"model\": \(str(model.id)), \"gpu\": \(str(q.gpus[r.gpu].id)), \"quant\": \(str(q.schemes[r.scheme].id)), "
        s += "\"engine\": \(str(r.engine.id)), \"engine_version\": \(str(r.engine.version)), "
        s += "\"gpus\": \(r.tensorParallel * r.pipelineParallel), \"tensor_parallel\": \(r.tensorParallel), \"pipeline_parallel\": \(r.pipelineParallel), "
        s += "\"kv_cache_dtype\": \(r.kvCacheType.map(str) ?? "null"), \"context\": \(c.context), \"batch\": \(q.concurrency), "
        s += "\"status\": \(str(c.status.rawValue)), \"fits\": \(c.status == .fits), \"memory_fits\": \(c.memoryFits), "
        s += "\"rule\": \(rule.map(str) ?? "null"), \"reason\": \(reason.map(str) ?? "null"), \"warnings\": [\(warnings)], "
        s += "\"weights_bytes\": \(t.weights.value), \"kv_cache_bytes\": \(t.kvCache.value), \"activation_bytes\": \(t.activation.value), "
        s += "\"output_bytes\": \(t.output.value), \"overhead_bytes\": \(t.overhead.value), \"total_bytes\": \(t.total.value), "
        s += "\"capacity_bytes\": \(t.capacity.value), \"headroom_bytes\": \(t.headroom.value), "
        s += "\"kv_cache_tokens\": \(t.kvCacheTokens.map { "\($0)" } ?? "null")}"
        return s
    }

    /// A JSON string literal (RFC 8259: quote, backslash and control characters escaped).
    static func str(_ s: String) -> String {
        var out = "\""
        out.reserveCapacity(s.utf8.count + 2)
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
