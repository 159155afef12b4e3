import Testing
@testable import VramfitCore

@Suite struct TerminalChartTests {
    func bar(_ label: String = "gpu0", weights: Int64, kv: Int64, act: Int64, overhead: Int64, capacity: Int64) -> ChartBar {
        ChartBar(label: label, capacity: .gib(capacity), segments: [
            .init(part: .weights, bytes: .gib(weights)), .init(part: .kvCache, bytes: .gib(kv)),
            .init(part: .activations, bytes: .gib(act)), .init(part: .overhead, bytes: .gib(overhead)),
        ])
    }

    /// 12 + 6 + 1 + 1 GiB on a 24 GiB device, 48 cells: 2 cells per GiB, so 24 █, 12 ▓, 2 ▒, 2 ░,
    /// 8 free cells, and the capacity mark at the end.
    @Test func cellsAreProportionalByHand() {
        let b = bar(weights: 12, kv: 6, act: 1, overhead: 1, capacity: 24)
        let (cells, cap) = BreakdownChart.cells(b, scale: .gib(Int64(24)), width: 48)
        #expect(cells == [24, 12, 2, 2])
        #expect(cap == 48)
        let line = TerminalChart.render([b], width: 48, color: false)[0]
        #expect(line.hasPrefix("gpu0  " + String(repeating: "█", count: 24) + String(repeating: "▓", count: 12) + "▒▒░░"
                               + String(repeating: "·", count: 8) + "│"))
        #expect(line.hasSuffix("20.00 GiB of 24.00 GiB"))
    }

    /// 30 GiB on 24: the scale is 30 GiB (48 cells = 30 GiB), the mark sits at 24/30 × 48 = 38.4 → 38,
    /// and the overflow is drawn after it.
    @Test func overflowGoesPastTheCapacityMark() {
        let b = bar(weights: 26, kv: 2, act: 1, overhead: 1, capacity: 24)
        let (cells, cap) = BreakdownChart.cells(b, scale: BreakdownChart.scale([b]), width: 48)
        #expect(cap == 38)
        #expect(cells.reduce(0, +) == 48)
        let line = TerminalChart.render([b], width: 48, color: false)[0]
        let chars = Array(line.dropFirst("gpu0  ".count))
        #expect(chars[38] == "│")
        #expect(!line.contains("·"))
        #expect(line.contains("✘ over by 6.00 GiB"))
    }

    /// Rounding the cumulative ends: thirds of 10 cells give 3, 4, 3 (not 3, 3, 3 and a lost cell).
    @Test func roundingLosesNoCell() {
        let third = ByteCount(Int64(1) << 30) // three equal parts of 3 GiB scaled to 10 cells
        let b = ChartBar(label: "x", capacity: third * 3, segments: [
            .init(part: .weights, bytes: third), .init(part: .kvCache, bytes: third), .init(part: .activations, bytes: third),
            .init(part: .overhead, bytes: .zero),
        ])
        let (cells, cap) = BreakdownChart.cells(b, scale: third * 3, width: 10)
        #expect(cells == [3, 4, 3, 0])
        #expect(cap == 10)
    }

    @Test func colourOnlyWhenAsked() {
        let b = bar(weights: 12, kv: 6, act: 1, overhead: 1, capacity: 24)
        let plain = TerminalChart.render([b], color: false).joined(separator: "\n")
        let coloured = TerminalChart.render([b], color: true).joined(separator: "\n")
        #expect(!plain.contains("\u{1B}["))
        #expect(coloured.contains("\u{1B}[34m█\u{1B}[0m"))
        #expect(plain.contains("▓ KV cache"))
    }

    /// Tensor-parallel ranks with the same bytes are one bar; a different last stage is its own.
    @Test func identicalRanksMerge() throws {
        let e = try Fixtures.estimate(Fixtures.llama31_8b, engine: Fixtures.vllm, Workload(context: 4096, batch: 1, tensorParallel: 2, pipelineParallel: 2))
        let bars = BreakdownChart.bars(e)
        #expect(bars.map(\.label) == ["gpu0–gpu1 (each)", "gpu2–gpu3 (each)"])
        // The bars add up to the estimate: each merged bar stands for two devices.
        let sum = bars.reduce(ByteCount.zero) { $0 + $1.total * 2 }
        #expect(sum == e.total)
        #expect(bars[0].bytes(.weights) == e.devices[0].bytes(.weights))
    }
}
