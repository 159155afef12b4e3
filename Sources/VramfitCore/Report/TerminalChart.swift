/// Stacked bars in a terminal: one line per device, one character cell per `scale / width` bytes,
/// a `│` at the device's capacity (what spills past it does not fit). Without colour each part has
/// its own shade of block (█ ▓ ▒ ░), so the chart reads the same in a log file or a pipe; with
/// colour (a TTY and NO_COLOR unset, decided by the caller) every cell is a full block in the
/// part's ANSI colour.
public enum TerminalChart {
    public static let defaultWidth = 48

    static func glyph(_ p: ChartBar.Part) -> String {
        switch p {
        case .weights: "█"
        case .kvCache: "▓"
        case .activations: "▒"
        case .overhead: "░"
        }
    }

    /// ANSI SGR colours: blue, green, yellow, magenta.
    static func colour(_ p: ChartBar.Part) -> String {
        switch p {
        case .weights: "34"
        case .kvCache: "32"
        case .activations: "33"
        case .overhead: "35"
        }
    }

    static func paint(_ text: String, _ sgr: String, _ on: Bool) -> String { on ? "\u{1B}[\(sgr)m\(text)\u{1B}[0m" : text }

    public static func render(_ bars: [ChartBar], width: Int = defaultWidth, color: Bool) -> [String] {
        guard !bars.isEmpty else { return [] }
        let scale = BreakdownChart.scale(bars)
        let labelWidth = bars.map { $0.label.count }.max() ?? 0
        var out: [String] = []
        for bar in bars {
            let (cells, cap) = BreakdownChart.cells(bar, scale: scale, width: width)
            var line = ""
            var pos = 0
            func put(_ s: String, _ sgr: String?) {
                // The capacity mark goes in front of the cell at its position.
                if pos == cap { line += "│" }
                line += sgr.map { paint(s, $0, color) } ?? s
                pos += 1
            }
            for (segment, n) in zip(bar.segments, cells) where n > 0 {
                for _ in 0..<n { put(color ? "█" : glyph(segment.part), color ? colour(segment.part) : nil) }
            }
            while pos < cap { put("·", color ? "2" : nil) }
            if pos == cap { line += "│" }
            let padding = String(repeating: " ", count: max(0, width + 1 - pos - 1))
            let figure = "\(ByteFormat.binary(bar.total)) of \(ByteFormat.binary(bar.capacity))" + (bar.fits ? "" : "  ✘ over by \(ByteFormat.binary(bar.total - bar.capacity))")
            out.append(bar.label + String(repeating: " ", count: labelWidth - bar.label.count) + "  " + line + padding + "  " + figure)
        }
        let legend = ChartBar.Part.allCases.map { p in paint(color ? "█" : glyph(p), colour(p), color) + " " + p.label }
            + [paint("·", "2", color) + " free", "│ capacity"]
        out.append(String(repeating: " ", count: labelWidth) + "  " + legend.joined(separator: "  "))
        return out
    }
}
