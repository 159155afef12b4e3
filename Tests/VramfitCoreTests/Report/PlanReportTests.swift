import Foundation
import Testing
@testable import VramfitCore
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The HTML report parsed as XML: the page must be well-formed, self-contained, and every bar's
/// length must be its bytes × one scale per chart.
@Suite struct PlanReportTests {
    typealias F = RuleFixtures

    /// Every element with its attributes, in document order.
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String])] = []
        var text = ""
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            elements.append((name, attributes))
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    }

    func parse(_ html: String) throws -> Collector {
        let c = Collector()
        let p = XMLParser(data: Data(html.utf8))
        p.delegate = c
        let ok = p.parse()
        #expect(ok, "not well-formed XML: \(p.parserError.map { "\($0)" } ?? "?") at line \(p.lineNumber)")
        return c
    }

    func plan(_ gpu: GPU = F.a100, model: Model = Fixtures.llama31_8b, gpus: Int64 = 2, quant: String? = nil) throws -> Plan {
        try Planner.plan(PlanQuery(model: model, gpu: gpu, gpusPerNode: gpus, context: 4096, quant: quant, goal: .quality), catalog: F.catalog)
    }

    func double(_ s: String?) -> Double { s.flatMap(Double.init) ?? .nan }

    @Test func barHeightsAreProportionalToBytes() throws {
        // bf16 with vLLM at TP 2 on A100s: two identical ranks → one bar; force a layer split with transformers too.
        for p in [try plan(), try plan(F.t4, gpus: 4, quant: "fp16")] {
            let best = try #require(p.best)
            let doc = try parse(PlanReport.html(p))
            let rects = doc.elements.filter { $0.name == "rect" && $0.attributes["data-bytes"] != nil }
            let main = doc.elements.first { $0.name == "svg" && $0.attributes["class"] == "chart" }
            let pxPerGiB = double(main?.attributes["data-px-per-gib"])
            #expect(pxPerGiB > 0)
            // The first chart's rects: the #1 plan's bars, heights = bytes × scale.
            let bars = BreakdownChart.bars(best.estimate)
            let segments = bars.flatMap { $0.segments.filter { $0.bytes.value > 0 } }
            let chartRects = Array(rects.prefix(segments.count))
            #expect(chartRects.count == segments.count)
            let scale = 280 / Double(BreakdownChart.scale(bars).value)
            for (r, s) in zip(chartRects, segments) {
                #expect(Int64(r.attributes["data-bytes"]!) == s.bytes.value)
                #expect(r.attributes["data-part"] == s.part.rawValue)
                let h = double(r.attributes["height"])
                #expect(abs(h - Double(s.bytes.value) * scale) < 0.001, "\(s.part): \(h) px for \(s.bytes.value) B")
            }
            // Independent of the chosen scale: the largest rect's px per byte, applied to every other
            // rect, gives its height to within the three decimals written.
            let largest = try #require(chartRects.max { double($0.attributes["data-bytes"]) < double($1.attributes["data-bytes"]) })
            let ratio = double(largest.attributes["height"]) / double(largest.attributes["data-bytes"])
            for r in chartRects {
                #expect(abs(double(r.attributes["height"]) - double(r.attributes["data-bytes"]) * ratio) < 0.002)
            }
            // Segments stack without gaps: each starts where the one below ended.
            var idx = 0
            for bar in bars {
                let n = bar.segments.filter { $0.bytes.value > 0 }.count
                let stack = chartRects[idx..<(idx + n)]
                for (below, above) in zip(stack, stack.dropFirst()) {
                    #expect(abs(double(above.attributes["y"]) + double(above.attributes["height"]) - double(below.attributes["y"])) < 0.002)
                }
                idx += n
            }
            // The capacity line sits at capacity × scale above the base (top 16 + plot 280).
            let caps = doc.elements.filter { $0.name == "line" && $0.attributes["class"] == "capacity" }
            let first = try #require(caps.first)
            #expect(abs((296 - double(first.attributes["y1"])) - Double(bars[0].capacity.value) * scale) < 0.002)
        }
    }

    @Test func candidateMiniBarsShareOneScale() throws {
        let p = try plan(F.t4, gpus: 2)
        #expect(p.candidates.count >= 2)
        let doc = try parse(PlanReport.html(p))
        let minis = doc.elements.filter { $0.name == "svg" && $0.attributes["class"] == "mini" }
        #expect(minis.count == min(p.candidates.count, 10))
        let scales = Set(minis.map { $0.attributes["data-px-per-gib"] ?? "" })
        #expect(scales.count == 1)
        let pxPerByte = double(minis[0].attributes["data-px-per-gib"]) / 1_073_741_824
        // Widths of the mini rects: bytes × the shared scale.
        var inMini = false
        for el in doc.elements {
            if el.name == "svg" { inMini = el.attributes["class"] == "mini" }
            guard inMini, el.name == "rect" else { continue }
            let bytes = double(el.attributes["data-bytes"])
            #expect(abs(double(el.attributes["width"]) - bytes * pxPerByte) < 0.01)
        }
    }

    @Test func rankedCandidatesSayWhyTheyLost() throws {
        let p = try plan(F.t4, gpus: 2)
        let doc = try parse(PlanReport.html(p))
        let rows = doc.elements.filter { $0.name == "tr" && $0.attributes["data-rank"] != nil }
        #expect(rows.count == min(p.candidates.count, 10))
        for c in p.candidates.dropFirst().prefix(9) {
            let why = try #require(c.lostBecause)
            #expect(doc.text.contains(why))
        }
        for d in p.dropped { if let v = d.verdict { #expect(doc.text.contains(v.ruleId)) } }
    }

    @Test func selfContained() throws {
        let html = PlanReport.html(try plan())
        for bad in ["<script", "<link", "src=", "@import", "url("] { #expect(!html.contains(bad), "\(bad)") }
        #expect(html.hasPrefix("<!DOCTYPE html>"))
    }

    @Test func nothingFitsIsStillAPage() throws {
        let p = try plan(F.t4, model: Fixtures.llama31_405b, gpus: 1, quant: "bf16")
        #expect(p.candidates.isEmpty)
        let doc = try parse(PlanReport.html(p))
        #expect(doc.text.contains("Nothing fits"))
    }

    @Test func textIsEscaped() {
        #expect(HTMLText.escape("a<b & \"c\" 'd'>") == "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;")
        #expect(SVGBars.fixed(1.0005) == "1.001" || SVGBars.fixed(1.0005) == "1.000")
        #expect(SVGBars.fixed(12.5) == "12.500")
        #expect(SVGBars.fixed(-0.25) == "-0.250")
        #expect(SVGBars.niceStep(3.1) == 5 && SVGBars.niceStep(16) == 20 && SVGBars.niceStep(0.3) == 0.5)
    }
}
