/// Stacked bars as SVG, for the HTML report. Lengths are exactly proportional to bytes (one scale
/// per chart, written with three decimals), and every rectangle carries its part and byte count
/// (`data-part`, `data-bytes`) so a test or a script can check the picture against the numbers.
public enum SVGBars {
    public struct Style: Sendable {
        public var plotHeight: Double = 280
        public var barWidth: Double = 56
        public var gap: Double = 36
        public var left: Double = 72
        public var top: Double = 16
        public var bottom: Double = 44
        public init() {}
    }

    /// Vertical bars, one per device, with a dashed capacity line across each and a GiB axis.
    public static func vertical(_ bars: [ChartBar], title: String, style: Style = Style()) -> String {
        let scale = BreakdownChart.scale(bars)
        let pxPerByte = scale.value > 0 ? style.plotHeight / Double(scale.value) : 0
        let width = style.left + Double(bars.count) * (style.barWidth + style.gap) + style.gap
        let height = style.top + style.plotHeight + style.bottom
        let base = style.top + style.plotHeight
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"\(fixed(width))\" height=\"\(fixed(height))\" "
        s += "viewBox=\"0 0 \(fixed(width)) \(fixed(height))\" role=\"img\" aria-label=\"\(HTMLText.escape(title))\" "
        s += "data-px-per-gib=\"\(fixed(pxPerByte * 1_073_741_824))\">\n"
        s += "<title>\(HTMLText.escape(title))</title>\n"
        // Axis: ticks at round GiB steps.
        let gib = Double(scale.value) / 1_073_741_824
        let step = niceStep(gib / 5)
        if step > 0 {
            var t = 0.0
            while t <= gib + 1e-9 {
                let y = base - t * 1_073_741_824 * pxPerByte
                s += "<line class=\"grid\" x1=\"\(fixed(style.left - 4))\" x2=\"\(fixed(width - style.gap / 2))\" y1=\"\(fixed(y))\" y2=\"\(fixed(y))\"/>"
                s += "<text class=\"tick\" x=\"\(fixed(style.left - 8))\" y=\"\(fixed(y + 4))\" text-anchor=\"end\">\(trim(t)) GiB</text>\n"
                t += step
            }
        }
        for (i, bar) in bars.enumerated() {
            let x = style.left + style.gap + Double(i) * (style.barWidth + style.gap)
            s += "<g class=\"bar\" data-device=\"\(HTMLText.escape(bar.label))\" data-capacity-bytes=\"\(bar.capacity.value)\" data-total-bytes=\"\(bar.total.value)\">"
            s += "<title>\(HTMLText.escape(bar.label)): \(ByteFormat.binary(bar.total)) of \(ByteFormat.binary(bar.capacity))</title>\n"
            var y = base
            for seg in bar.segments where seg.bytes.value > 0 {
                let h = Double(seg.bytes.value) * pxPerByte
                y -= h
                s += "<rect class=\"seg \(seg.part.rawValue)\" data-part=\"\(seg.part.rawValue)\" data-bytes=\"\(seg.bytes.value)\" "
                s += "x=\"\(fixed(x))\" y=\"\(fixed(y))\" width=\"\(fixed(style.barWidth))\" height=\"\(fixed(h))\">"
                s += "<title>\(seg.part.label): \(ByteFormat.binary(seg.bytes))</title></rect>\n"
            }
            let cy = base - Double(bar.capacity.value) * pxPerByte
            s += "<line class=\"capacity\" data-bytes=\"\(bar.capacity.value)\" x1=\"\(fixed(x - 8))\" x2=\"\(fixed(x + style.barWidth + 8))\" "
            s += "y1=\"\(fixed(cy))\" y2=\"\(fixed(cy))\"/>\n"
            s += "<text class=\"label\" x=\"\(fixed(x + style.barWidth / 2))\" y=\"\(fixed(base + 16))\" text-anchor=\"middle\">\(HTMLText.escape(bar.label))</text>"
            s += "<text class=\"figure\" x=\"\(fixed(x + style.barWidth / 2))\" y=\"\(fixed(base + 32))\" text-anchor=\"middle\">"
            s += "\(trim((bar.total.gib * 100).rounded() / 100)) / \(trim((bar.capacity.gib * 100).rounded() / 100)) GiB</text></g>\n"
        }
        s += "</svg>"
        return s
    }

    /// One horizontal bar (a candidate's tightest device) at a scale shared with its neighbours,
    /// so a table of candidates compares at a glance.
    public static func horizontal(_ bar: ChartBar, scale: ByteCount, width: Double = 180, height: Double = 14) -> String {
        let pxPerByte = scale.value > 0 ? width / Double(scale.value) : 0
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"mini\" width=\"\(fixed(width + 2))\" height=\"\(fixed(height + 4))\" "
        s += "viewBox=\"0 0 \(fixed(width + 2)) \(fixed(height + 4))\" data-device=\"\(HTMLText.escape(bar.label))\" "
        s += "data-capacity-bytes=\"\(bar.capacity.value)\" data-px-per-gib=\"\(fixed(pxPerByte * 1_073_741_824))\">"
        s += "<title>\(HTMLText.escape(bar.label)): \(ByteFormat.binary(bar.total)) of \(ByteFormat.binary(bar.capacity))</title>"
        var x = 0.0
        for seg in bar.segments where seg.bytes.value > 0 {
            let w = Double(seg.bytes.value) * pxPerByte
            s += "<rect class=\"seg \(seg.part.rawValue)\" data-part=\"\(seg.part.rawValue)\" data-bytes=\"\(seg.bytes.value)\" "
            s += "x=\"\(fixed(x))\" y=\"2\" width=\"\(fixed(w))\" height=\"\(fixed(height))\"/>"
            x += w
        }
        let cx = Double(bar.capacity.value) * pxPerByte
        s += "<line class=\"capacity\" data-bytes=\"\(bar.capacity.value)\" x1=\"\(fixed(cx))\" x2=\"\(fixed(cx))\" y1=\"0\" y2=\"\(fixed(height + 4))\"/>"
        s += "</svg>"
        return s
    }

    /// 1, 2 or 5 × a power of ten at or above `x`.
    static func niceStep(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return 0 }
        var p = 1.0
        while p * 10 <= x { p *= 10 }
        while p > x { p /= 10 }
        for m in [1.0, 2.0, 5.0, 10.0] where m * p >= x { return m * p }
        return 10 * p
    }

    /// Three decimals without Foundation: SVG coordinates precise to a thousandth of a pixel.
    static func fixed(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let neg = v < 0
        let n = Int64((abs(v) * 1000).rounded())
        let frac = n % 1000
        let f = frac < 10 ? "00\(frac)" : frac < 100 ? "0\(frac)" : "\(frac)"
        return (neg && n != 0 ? "-" : "") + "\(n / 1000).\(f)"
    }

    /// 40 → "40", 2.5 → "2.5".
    static func trim(_ v: Double) -> String {
        var s = fixed(v)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }
}

/// Escaping for HTML text and attribute values (also valid XML: only the five predefined entities).
public enum HTMLText {
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}
