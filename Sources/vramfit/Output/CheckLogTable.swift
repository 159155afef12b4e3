import VramfitCore

/// The human-readable check: what the log describes, then one row per logged figure with
/// vramfit's prediction and the error. Byte figures in GiB/MiB (binary units, as engines log).
enum CheckLogTable {
    static func render(_ check: LogCheck, file: String) -> String {
        let log = check.log, e = check.estimate
        var out: [String] = []
        var engine = log.engine.displayName
        if let v = log.engineVersion?.value { engine += " \(v)" }
        if log.engine == .vllm, let v0 = log.vllmV0?.value { engine += v0 ? " (V0 engine)" : " (V1 engine)" }
        out.append("\(engine) start-up log · \(file)" + (log.startups > 1 ? " · start-up from line \(log.firstLine) (the last of \(log.startups))" : ""))
        out.append("model    \(e.model.name) [\(e.model.id), \(check.modelSource)] · scheme \(e.scheme.id)")
        let gpus = e.gpus > 1 ? "\(e.gpus) × " : ""
        var shape = "GPU      \(gpus)\(e.gpu.name) · context \(e.context)"
        if e.batch > 1 { shape += " × \(e.batch) sequences" }
        shape += " · KV cache \(e.kvCacheType.id)"
        if e.tensorParallel > 1 { shape += " · tensor parallel \(e.tensorParallel)" }
        if e.pipelineParallel > 1 { shape += " · \(e.pipelineParallel) pipeline stages" }
        out.append(shape)
        let read = check.settings.map { s in "\(s.name) \(s.value)" + (s.line.map { " (line \($0))" } ?? " (\(s.origin))") }
        if !read.isEmpty { out.append(contentsOf: wrap("settings ", read, width: 110)) }
        out.append("")

        let nameWidth = max(28, check.comparisons.map(\.name.count).max() ?? 0)
        out.append(pad("figure", nameWidth) + "  " + lpad("line", 6) + "  " + lpad("logged", 12) + "  " + lpad("vramfit", 12) + "  error")
        for c in check.comparisons {
            var row = pad(c.name, nameWidth) + "  " + lpad("\(c.line)", 6) + "  " + lpad(show(c.logged, c.unit), 12) + "  "
            guard let p = c.predicted else {
                out.append(row + lpad("—", 12) + "  not modelled" + (c.note.map { ": \($0)" } ?? ""))
                continue
            }
            row += lpad(show(p, c.unit), 12) + "  "
            let abs = c.absoluteError ?? 0
            var err = (abs >= 0 ? "+" : "−") + show(Swift.abs(abs), c.unit)
            if let r = c.relativeError { err += " (" + percent(r) + ")" }
            if c.withinRounding { err += " = within the log's rounding" } else if let inRange = c.withinRange {
                err += inRange ? " · in vramfit's range" : " · outside vramfit's range \(show(c.predictedLow ?? 0, c.unit)) – \(show(c.predictedHigh ?? 0, c.unit))"
            }
            out.append(row + err)
        }
        if let s = check.summary {
            out.append("")
            let n = check.byteComparisons.count
            out.append("\(n) memory figure\(n == 1 ? "" : "s") compared · median |error| \(percent(s.median).dropFirst()) · largest \(percent(s.max).dropFirst()) (\(s.worst))")
        }
        let notes = check.notes + check.assumptions + (e.engineRefusal.map { ["the estimate for these settings: \($0)"] } ?? [])
        if !notes.isEmpty {
            out.append("")
            for n in notes { out.append("note: \(n)") }
        }
        return out.joined(separator: "\n")
    }

    /// Signed percentage, with more digits when it is small ("+0.0042 %", "−7.91 %").
    static func percent(_ r: Double) -> String {
        let p = Swift.abs(r) * 100
        let digits = p == 0 || p >= 0.1 ? String(format2: p) : p >= 0.001 ? String(format4: p) : "<0.001"
        return (r >= 0 ? "+" : "−") + digits + " %"
    }

    static func show(_ v: Double, _ unit: LoggedFigure.Unit) -> String {
        switch unit {
        case .bytes: ByteFormat.binary(ByteCount(fromDouble: v))
        case .tokens: v.isFinite && Swift.abs(v) < 9e15 ? "\(Int64(v.rounded()))" : String(format2: v)
        case .ratio: String(format2: v) + "×"
        case .count: v >= 1e9 ? String(format2: v / 1e9) + " B" : v >= 1e6 ? String(format2: v / 1e6) + " M" : v.isFinite && v > -9e15 ? "\(Int64(v.rounded()))" : String(format2: v)
        }
    }

    static func wrap(_ head: String, _ items: [String], width: Int) -> [String] {
        var lines: [String] = []
        var cur = head
        for (i, item) in items.enumerated() {
            let piece = (i == 0 || cur.count == head.count ? "" : " · ") + item
            if cur.count + piece.count > width, cur.count > head.count {
                lines.append(cur)
                cur = String(repeating: " ", count: head.count) + item
            } else {
                cur += piece
            }
        }
        lines.append(cur)
        return lines
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
    static func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
}

extension String {
    /// Four decimals, for percentages too small for two.
    init(format4 v: Double) {
        let n = Int64((Swift.abs(v) * 10_000).rounded())
        let frac = n % 10_000
        var f = "\(frac)"
        while f.count < 4 { f = "0" + f }
        self = "\(n / 10_000).\(f)"
    }
}
