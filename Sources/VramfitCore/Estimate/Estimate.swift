/// The estimator's answer: a typed breakdown per component and per device, the verdict and the
/// limits (largest context and batch that fit), with every assumption written down in `notes`.
public struct Estimate: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        case weights, kvCache = "kv_cache", activation, output, overhead
    }

    /// One line of the breakdown. `low`/`high` bound what the figure could be where it is
    /// empirical (activations, overheads); exact terms have low == high == bytes.
    public struct Component: Sendable {
        public var name: String
        public var kind: Kind
        public var bytes: ByteCount
        public var low: ByteCount
        public var high: ByteCount
        public var device: String

        public init(name: String, kind: Kind, bytes: ByteCount, device: String, low: ByteCount? = nil, high: ByteCount? = nil) {
            self.name = name; self.kind = kind; self.bytes = bytes; self.device = device
            self.low = low ?? bytes; self.high = high ?? bytes
        }
    }

    public struct Device: Sendable {
        public var name: String
        /// Memory the device offers a process; zero for the host when it is not a target.
        public var capacity: ByteCount
        /// Whether the device counts against the verdict (host RAM for llama.cpp's embeddings does not).
        public var isAccelerator: Bool
        public var components: [Component]

        public func bytes(_ k: Kind) -> ByteCount { components.filter { $0.kind == k }.reduce(.zero) { $0 + $1.bytes } }
        public var total: ByteCount { components.reduce(.zero) { $0 + $1.bytes } }
        public var totalLow: ByteCount { components.reduce(.zero) { $0 + $1.low } }
        public var totalHigh: ByteCount { components.reduce(.zero) { $0 + $1.high } }
        public var headroom: ByteCount { capacity - total }
    }

    public var model: Model
    public var scheme: QuantScheme
    public var engine: Engine
    public var gpu: GPU
    public var gpus: Int64
    public var tensorParallel: Int64
    public var pipelineParallel: Int64
    public var context: Int64
    public var batch: Int64
    public var kvCacheType: KVCacheType
    public var devices: [Device]
    /// Paged engines: the KV pool in tokens ("GPU KV cache size: N tokens") and how many
    /// sequences of `context` tokens it holds ("Maximum concurrency").
    public var kvCacheTokens: Int64?
    public var maxConcurrency: Double?
    public var maxContext: Int64
    public var maxBatch: Int64
    /// Decode tokens/s for one sequence from the bandwidth roofline.
    public var decodeTokensPerSecond: Double
    public var notes: [String]
    /// Set by engines whose own start-up check can refuse even when the bytes add up (vLLM when
    /// the KV pool cannot hold one sequence of `context`).
    public var engineRefusal: String?

    public var accelerators: [Device] { devices.filter(\.isAccelerator) }
    public func bytes(_ k: Kind) -> ByteCount { accelerators.reduce(.zero) { $0 + $1.bytes(k) } }
    public var total: ByteCount { accelerators.reduce(.zero) { $0 + $1.total } }
    public var totalLow: ByteCount { accelerators.reduce(.zero) { $0 + $1.totalLow } }
    public var totalHigh: ByteCount { accelerators.reduce(.zero) { $0 + $1.totalHigh } }
    public var capacity: ByteCount { accelerators.reduce(.zero) { $0 + $1.capacity } }
    /// The tightest device's margin: a plan fits only if every device does.
    public var headroom: ByteCount { accelerators.map(\.headroom).min() ?? .zero }
    public var fits: Bool { engineRefusal == nil && accelerators.allSatisfy { $0.total <= $0.capacity } }
    public var components: [Component] { devices.flatMap(\.components) }
}
