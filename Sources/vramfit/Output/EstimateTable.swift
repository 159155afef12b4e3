import VramfitCore

/// The human-readable estimate: one line per component and device, the verdict and the margin.
/// Every figure names its unit (GiB = 2³⁰ bytes; GB = 10⁹ bytes where a spec-sheet figure helps).
enum EstimateTable {
    static func gib(_ b: ByteCount) -> String { ByteFormat.binary(b) }

    /// `chart`: lines of the stacked-bar chart (TerminalChart) to show between the breakdown and the
    /// verdict; `estimate` and `plan` pass one, `ask` keeps its answer short.
    static func render(_ e: Estimate, assumptions: [String], chart: [String] = []) -> String {
        var out: [String] = []
        let gpuCount = e.gpus > 1 ? "\(e.gpus) × " : ""
        out.append("\(e.model.name) · \(e.scheme.name) · \(e.engine.name) \(e.engine.version) · \(gpuCount)\(e.gpu.name)")
        var shape = "context \(e.context) tokens × batch \(e.batch) · KV cache \(e.kvCacheType.id)"
        if e.gpus > 1 { shape += " · tensor parallel \(e.tensorParallel) × pipeline parallel \(e.pipelineParallel)" }
        out.append(shape)
        out.append("")

        // Components grouped by device; identical tensor-parallel ranks are shown once.
        var shown: [(String, [Estimate.Device])] = []
        for d in e.devices {
            let key = d.components.map { "\($0.name)|\($0.bytes.value)" }.joined(separator: ",") + "|\(d.isAccelerator)"
            if let i = shown.firstIndex(where: { $0.0 == key }) { shown[i].1.append(d) } else { shown.append((key, [d])) }
        }
        let nameWidth = max(40, e.components.map { $0.name.count }.max() ?? 0)
        for (_, group) in shown {
            let d = group[0]
            let label = group.count > 1 ? "\(group.map(\.name).joined(separator: ", ")) (each)" : d.name
            out.append(d.isAccelerator ? "\(label):" : "\(label) (not counted against GPU memory):")
            for c in d.components where c.bytes.value > 0 || c.kind != .overhead {
                let range = c.low != c.high ? "  (\(gib(c.low)) – \(gib(c.high)))" : ""
                out.append("  " + pad(c.name, nameWidth) + lpad(gib(c.bytes), 12) + range)
            }
            if d.isAccelerator {
                out.append("  " + pad("total", nameWidth) + lpad(gib(d.total), 12) + "  (\(gib(d.totalLow)) – \(gib(d.totalHigh)))")
                out.append("  " + pad("capacity", nameWidth) + lpad(gib(d.capacity), 12) + "  (\(ByteFormat.decimal(d.capacity)))")
            }
            out.append("")
        }

        if !chart.isEmpty {
            out += chart
            out.append("")
        }

        let head = e.headroom
        if e.fits {
            let pct = e.capacity.value > 0 ? Double(head.value) / Double(e.accelerators.first?.capacity.value ?? 1) * 100 : 0
            out.append("✔ fits — headroom \(gib(head)) (\(String(format2: pct)) %) on the tightest device")
        } else if let why = e.engineRefusal {
            out.append("✘ does not fit — \(why)")
        } else {
            out.append("✘ does not fit — short by \(gib(ByteCount(-head.value))) on the tightest device")
        }
        if e.totalHigh > e.capacity && e.fits {
            out.append("  (the high end of the range, \(gib(e.totalHigh)) in all, would not fit: little margin)")
        }
        out.append("  total \(gib(e.total)) of \(gib(e.capacity)) (\(ByteFormat.decimal(e.total)) of \(ByteFormat.decimal(e.capacity)))")
        let ctxNote = e.maxContext >= e.model.maxContext ? " (the model's maximum)" : ""
        out.append("  largest context at batch \(e.batch): \(e.maxContext) tokens\(ctxNote) · largest batch at \(e.context) tokens: \(e.maxBatch)")
        if let t = e.kvCacheTokens, let c = e.maxConcurrency {
            out.append("  KV cache: \(t) tokens — maximum concurrency \(String(format2: c))× at \(e.context) tokens per request")
        }
        if e.decodeTokensPerSecond > 0 {
            out.append("  decode ≤ \(String(format2: e.decodeTokensPerSecond)) tokens/s per sequence (memory-bandwidth roofline)")
        }
        let notes = assumptions + e.notes
        if !notes.isEmpty {
            out.append("")
            for n in notes { out.append("note: \(n)") }
        }
        return out.joined(separator: "\n")
    }

    static func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
    static func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
}
