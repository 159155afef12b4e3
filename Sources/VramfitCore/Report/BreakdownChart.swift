/// An estimate's breakdown as bars: one per accelerator (identical tensor-parallel ranks merged),
/// each a stack of weights / KV cache / activations / overhead against the device's capacity.
/// The terminal chart and the HTML report's SVG draw the same bars, so they agree with each other
/// and with the table's figures.
public struct ChartBar: Sendable, Equatable {
    /// The four parts a reader can act on: smaller weights (scheme), a shorter or quantized KV cache,
    /// smaller batches (activations), and what the engine and driver take whatever you do.
    public enum Part: String, Sendable, CaseIterable {
        case weights
        case kvCache = "kv_cache"
        /// Transient peaks and the logits (`Estimate.Kind.activation` and `.output`).
        case activations
        case overhead

        public var label: String {
            switch self {
            case .weights: "weights"
            case .kvCache: "KV cache"
            case .activations: "activations"
            case .overhead: "overhead"
            }
        }
    }

    public struct Segment: Sendable, Equatable {
        public var part: Part
        public var bytes: ByteCount
    }

    /// `gpu0`, or `gpu0–gpu3 (each)` for identical ranks.
    public var label: String
    public var capacity: ByteCount
    /// Always the four parts, in `Part.allCases` order (zero bytes where a part is absent).
    public var segments: [Segment]

    public var total: ByteCount { segments.reduce(.zero) { $0 + $1.bytes } }
    public var fits: Bool { total <= capacity }

    public init(label: String, capacity: ByteCount, segments: [Segment]) {
        self.label = label; self.capacity = capacity; self.segments = segments
    }

    public func bytes(_ p: Part) -> ByteCount { segments.filter { $0.part == p }.reduce(.zero) { $0 + $1.bytes } }
}

public enum BreakdownChart {
    public static func part(of kind: Estimate.Kind) -> ChartBar.Part {
        switch kind {
        case .weights: .weights
        case .kvCache: .kvCache
        case .activation, .output: .activations
        case .overhead: .overhead
        }
    }

    /// One bar per accelerator of the estimate; consecutive devices with the same bytes (the ranks
    /// of a tensor-parallel stage) become one bar labelled with the range. Host memory that does
    /// not count against the GPUs (llama.cpp's `token_embd`) is left out, as in the verdict.
    public static func bars(_ e: Estimate) -> [ChartBar] {
        var out: [(first: String, last: String, bar: ChartBar)] = []
        for d in e.accelerators {
            let segments = ChartBar.Part.allCases.map { p in
                ChartBar.Segment(part: p, bytes: d.components.filter { part(of: $0.kind) == p }.reduce(.zero) { $0 + $1.bytes })
            }
            let bar = ChartBar(label: d.name, capacity: d.capacity, segments: segments)
            if let last = out.last, last.bar.segments == bar.segments, last.bar.capacity == bar.capacity {
                out[out.count - 1].last = d.name
            } else {
                out.append((d.name, d.name, bar))
            }
        }
        return out.map { run in
            var b = run.bar
            if run.first != run.last { b.label = "\(run.first)–\(run.last) (each)" }
            return b
        }
    }

    /// Whole character cells for each segment of `bar` when `scale` bytes fill `width` cells:
    /// cumulative ends are rounded, so the cells add up to the rounded total and no segment's
    /// rounding error accumulates. Also the capacity's cell position.
    public static func cells(_ bar: ChartBar, scale: ByteCount, width: Int) -> (segments: [Int], capacity: Int) {
        guard scale.value > 0, width > 0 else { return (bar.segments.map { _ in 0 }, 0) }
        func position(_ b: ByteCount) -> Int {
            let x = Double(b.value) / Double(scale.value) * Double(width)
            return Int(min(x, Double(Int32.max)).rounded())
        }
        var cells: [Int] = []
        var sum = ByteCount.zero, previous = 0
        for s in bar.segments {
            sum += s.bytes
            let end = position(sum)
            cells.append(end - previous)
            previous = end
        }
        return (cells, position(bar.capacity))
    }

    /// The largest of every bar's capacity and total: the length that fills the chart.
    public static func scale(_ bars: [ChartBar]) -> ByteCount {
        bars.map { max($0.capacity, $0.total) }.max() ?? .zero
    }
}
