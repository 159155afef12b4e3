/// `plan --report FILE.html`: one self-contained page (inline CSS and SVG, no scripts, no network)
/// with the chosen plan's memory per device against capacity, the ranked candidates with why each
/// lost to the one above, and what was dropped with the rule that forbids it. The markup is
/// well-formed XML (XHTML syntax), so tests parse it and check the bars against the bytes.
public enum PlanReport {
    public static func html(_ p: Plan, deviceMap: PlannedDeviceMap? = nil, assumptions: [String] = [], top: Int = 10) -> String {
        let q = p.query
        let hw = p.nodes > 1 ? "\(p.nodes) nodes × \(q.gpusPerNode) × \(q.gpu.name)" : "\(q.gpusPerNode) × \(q.gpu.name)"
        let title = "vramfit plan: \(q.model.name) on \(hw)"
        var h = "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
        h += "<title>\(e(title))</title>\n<style>\n\(css)</style>\n</head>\n<body>\n"
        h += "<h1>\(e(q.model.name)) on \(e(hw))</h1>\n"
        h += "<p class=\"query\">context \(p.context) tokens × \(q.concurrency) · goal <b>\(e(q.goal.rawValue))</b>"
        h += " · engine \(e(q.engine ?? "any")) · scheme \(e(q.quant ?? "any")) · \(ByteFormat.binary(q.gpu.usableMemory)) usable per GPU</p>\n"

        if let best = p.best {
            let est = best.estimate
            h += "<section id=\"plan\">\n<h2>#1: \(e(best.scheme.id)) with \(e(best.engine.name)) \(e(best.engine.version)), \(e(best.layout))</h2>\n"
            h += "<p>\(verdictText(est)) · decode ≤ \(String(format2: est.decodeTokensPerSecond)) tokens/s per sequence (bandwidth roofline)"
            h += " · largest context \(est.maxContext) tokens</p>\n"
            h += "<figure>\n" + SVGBars.vertical(BreakdownChart.bars(est), title: "Memory per device for #1 against capacity") + "\n"
            h += "<figcaption>\(legend) <span class=\"key cap\"></span> capacity</figcaption>\n</figure>\n"
            h += componentsTable(est)
            h += "</section>\n"
        } else {
            h += "<section id=\"plan\">\n<h2>Nothing fits</h2>\n<p class=\"nothing\">No configuration fits on "
            h += "\(q.gpu.kind == .gpu ? "up to \(q.maxNodes) nodes of " : "")\(e(q.gpu.name)) that no rule forbids; the dropped configurations below say why each was left out.</p>\n"
            if let m = deviceMap {
                // What the map's configuration would need on the GPUs alone: the bars spill past capacity.
                let est = m.estimate
                h += "<p>\(e(est.scheme.id)) with \(e(est.engine.name)) on the GPUs alone — \(verdictText(est))</p>\n<figure>\n"
                h += SVGBars.vertical(BreakdownChart.bars(est), title: "Memory per device for \(est.scheme.id) with \(est.engine.name) against capacity") + "\n"
                h += "<figcaption>\(legend) <span class=\"key cap\"></span> capacity</figcaption>\n</figure>\n"
            }
            h += "</section>\n"
        }

        if !p.candidates.isEmpty {
            let shown = Array(p.candidates.prefix(max(top, 1)))
            let tightest = shown.map { tightestBar($0.estimate) }
            let scale = BreakdownChart.scale(tightest)
            h += "<section id=\"candidates\">\n<h2>Ranked candidates</h2>\n<table class=\"candidates\">\n<thead><tr>"
            for c in ["#", "scheme", "engine", "layout", "GPUs", "total", "headroom", "max ctx", "tok/s", "$/h", "quality", "tightest device", "why it ranks here"] {
                h += "<th>\(e(c))</th>"
            }
            h += "</tr></thead>\n<tbody>\n"
            for (i, c) in shown.enumerated() {
                let est = c.estimate
                h += "<tr data-rank=\"\(i + 1)\"><td>\(i + 1)</td><td>\(e(c.scheme.id))</td><td>\(e(c.engine.id)) \(e(c.engine.version))</td>"
                h += "<td>\(e(c.layout))</td><td>\(c.gpus)</td><td>\(ByteFormat.binary(est.total))</td><td>\(ByteFormat.binary(est.headroom))</td>"
                h += "<td>\(est.maxContext)</td><td>\(String(format2: c.tokensPerSecond))</td><td>\(c.hourlyUSD.map { String(format2: $0) } ?? "–")</td>"
                h += "<td>\(c.qualityRank)</td><td>\(SVGBars.horizontal(tightest[i], scale: scale))</td><td>"
                h += i == 0 ? "<b>best for goal \(e(q.goal.rawValue))</b>" : e(c.lostBecause ?? "")
                for v in c.verdicts { h += "<div class=\"verdict \(v.level.rawValue)\">\(e(v.description))</div>" }
                h += "</td></tr>\n"
            }
            h += "</tbody>\n</table>\n"
            if p.candidates.count > shown.count { h += "<p>… \(p.candidates.count - shown.count) more (--top to see them)</p>\n" }
            h += "</section>\n"
        }

        if !p.dropped.isEmpty {
            h += "<section id=\"dropped\">\n<h2>Dropped (\(p.dropped.count))</h2>\n<table class=\"dropped\">\n"
            h += "<thead><tr><th>scheme</th><th>engine</th><th>layout</th><th>nodes</th><th>rule</th><th>reason</th></tr></thead>\n<tbody>\n"
            for d in p.dropped {
                h += "<tr><td>\(e(d.scheme))</td><td>\(e(d.engine))</td><td>TP\(d.tensorParallel) × PP\(d.pipelineParallel)</td><td>\(d.nodes)</td>"
                h += "<td>\(d.verdict.map { "<code>\(e($0.ruleId))</code>" } ?? "does not fit")</td><td>\(e(d.reason))"
                if let a = d.verdict?.advice { h += " — \(e(a))" }
                h += "</td></tr>\n"
            }
            h += "</tbody>\n</table>\n</section>\n"
        }

        if let m = deviceMap {
            h += "<section id=\"device-map\">\n<h2>Device map (\(m.candidateRank.map { "#\($0)" } ?? "no candidate fits on the GPUs alone"): \(e(m.estimate.scheme.id)) with \(e(m.estimate.engine.name)))</h2>\n<ul>\n"
            for d in m.map.devices {
                h += "<li>\(d.gpu.map { "gpu\(e(d.name)) \(e($0.id))" } ?? "cpu"): weights \(ByteFormat.binary(d.weights))"
                h += d.gpu != nil ? " + reserved \(ByteFormat.binary(d.reserve)) = \(ByteFormat.binary(d.total)) of \(ByteFormat.binary(d.capacity))</li>\n" : "</li>\n"
            }
            h += "</ul>\n"
            for v in m.verdicts { h += "<div class=\"verdict \(v.level.rawValue)\">\(e(v.description))</div>\n" }
            h += "</section>\n"
        }

        let notes = assumptions + p.notes
        if !notes.isEmpty {
            h += "<section id=\"notes\">\n<h2>Notes</h2>\n<ul>\n" + notes.map { "<li>\(e($0))</li>\n" }.joined() + "</ul>\n</section>\n"
        }
        h += "<footer>GiB = 2³⁰ bytes, GB = 10⁹ bytes · generated by vramfit</footer>\n</body>\n</html>\n"
        return h
    }

    static func e(_ s: String) -> String { HTMLText.escape(s) }

    static func verdictText(_ est: Estimate) -> String {
        est.fits
            ? "fits: \(ByteFormat.binary(est.total)) of \(ByteFormat.binary(est.capacity)), headroom \(ByteFormat.binary(est.headroom)) on the tightest device"
            : "does not fit: \(ByteFormat.binary(est.total)) of \(ByteFormat.binary(est.capacity))"
    }

    /// The device with the least headroom: what decides whether a candidate fits.
    static func tightestBar(_ est: Estimate) -> ChartBar {
        let bars = BreakdownChart.bars(est)
        return bars.min { ($0.capacity - $0.total) < ($1.capacity - $1.total) } ?? ChartBar(label: "–", capacity: .zero, segments: [])
    }

    static func componentsTable(_ est: Estimate) -> String {
        var h = "<table class=\"components\">\n<thead><tr><th>device</th><th>component</th><th>part</th><th>bytes</th><th>GiB</th><th>range</th></tr></thead>\n<tbody>\n"
        for d in est.devices {
            for c in d.components where c.bytes.value > 0 {
                let range = c.low != c.high ? "\(ByteFormat.binary(c.low)) – \(ByteFormat.binary(c.high))" : ""
                h += "<tr><td>\(e(d.name))\(d.isAccelerator ? "" : " (not counted)")</td><td>\(e(c.name))</td>"
                h += "<td><span class=\"key \(BreakdownChart.part(of: c.kind).rawValue)\"></span>\(BreakdownChart.part(of: c.kind).label)</td>"
                h += "<td class=\"num\">\(c.bytes.value)</td><td class=\"num\">\(ByteFormat.binary(c.bytes))</td><td>\(e(range))</td></tr>\n"
            }
        }
        return h + "</tbody>\n</table>\n"
    }

    static var legend: String {
        ChartBar.Part.allCases.map { "<span class=\"key \($0.rawValue)\"></span> \(e($0.label))" }.joined(separator: " ")
    }

    /// Colours match the terminal chart's (blue weights, green KV, amber activations, magenta overhead).
    static let css = """
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em auto; max-width: 1100px; color: #1d2330; padding: 0 1em; }
        h1 { font-size: 1.5em; margin-bottom: 0.2em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
        .query { color: #555; margin-top: 0; }
        table { border-collapse: collapse; width: 100%; margin: 0.6em 0; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e3e6ec; vertical-align: top; }
        th { background: #f4f6fa; font-weight: 600; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
        .chart { background: #fbfcfe; border: 1px solid #e3e6ec; border-radius: 6px; }
        .seg.weights, .key.weights { fill: #3b6fd8; background: #3b6fd8; } .seg.kv_cache, .key.kv_cache { fill: #2f9e5a; background: #2f9e5a; }
        .seg.activations, .key.activations { fill: #e0a82e; background: #e0a82e; } .seg.overhead, .key.overhead { fill: #b04fb8; background: #b04fb8; }
        .seg { stroke: #fff; stroke-width: 0.5; }
        .capacity { stroke: #c62828; stroke-width: 2; stroke-dasharray: 5 3; } .key.cap { background: #c62828; height: 3px; vertical-align: middle; }
        .grid { stroke: #e3e6ec; stroke-width: 1; } .tick, .label, .figure { font-size: 11px; fill: #555; } .label { fill: #1d2330; font-weight: 600; }
        .key { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin: 0 4px 0 10px; vertical-align: -1px; }
        figure { margin: 0.6em 0; } figcaption { color: #555; margin-top: 0.3em; }
        .verdict { font-size: 12px; color: #555; } .verdict.warn { color: #9a6200; } .verdict.forbid { color: #c62828; }
        .nothing { color: #c62828; font-weight: 600; } code { background: #f4f6fa; padding: 0 3px; border-radius: 3px; }
        footer { margin-top: 2em; color: #888; font-size: 12px; }

        """
}
