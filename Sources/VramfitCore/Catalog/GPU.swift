/// An accelerator (or a host used as one): what it holds and how fast it moves and multiplies.
public struct GPU: Sendable, Identifiable {
    public enum Kind: String, Sendable { case gpu, unified, cpu }

    public var id: String
    public var name: String
    public var aliases: [String]
    public var vendor: String
    public var kind: Kind
    public var architecture: String
    /// CUDA compute capability as major×10+minor (89 for sm_89); nil for AMD, Apple and CPUs.
    public var computeCapability: Int?
    /// Memory the device has (marketing size, in bytes).
    public var memory: ByteCount
    /// What a process can actually allocate (nvidia-smi total less reserved/ECC); frameworks see this.
    public var usableMemory: ByteCount
    /// Peak memory bandwidth, bytes per second.
    public var bandwidthBytesPerSecond: Int64
    /// Dense tensor rates (no 2:4 sparsity), TFLOPS / TOPS; nil where the device has no such unit.
    public var fp16TFLOPS: Double?
    public var bf16TFLOPS: Double?
    public var int8TOPS: Double?
    public var fp8TFLOPS: Double?
    public var supportsBF16: Bool
    public var supportsFP8: Bool
    public var interconnect: String
    /// GPU-to-GPU bandwidth, bytes/s, one direction (NVLink/Infinity Fabric); nil for PCIe-only parts.
    public var interconnectBytesPerSecond: Int64?
    /// Memory the CUDA/ROCm context takes on this device before any allocation (driver, kernels).
    public var contextOverhead: ByteCount
    /// Typical hourly price, USD, used by the planner's cost goal.
    public var hourlyUSD: Double?
    public var source: [String]
    public var notes: String?

    public init(id: String, name: String, aliases: [String] = [], vendor: String, kind: Kind = .gpu, architecture: String,
                computeCapability: Int?, memory: ByteCount, usableMemory: ByteCount, bandwidthBytesPerSecond: Int64,
                fp16TFLOPS: Double? = nil, bf16TFLOPS: Double? = nil, int8TOPS: Double? = nil, fp8TFLOPS: Double? = nil,
                supportsBF16: Bool, supportsFP8: Bool, interconnect: String = "PCIe", interconnectBytesPerSecond: Int64? = nil,
                contextOverhead: ByteCount = .mib(500), hourlyUSD: Double? = nil, source: [String] = [], notes: String? = nil) {
        self.id = id; self.name = name; self.aliases = aliases; self.vendor = vendor; self.kind = kind
        self.architecture = architecture; self.computeCapability = computeCapability; self.memory = memory
        self.usableMemory = usableMemory; self.bandwidthBytesPerSecond = bandwidthBytesPerSecond
        self.fp16TFLOPS = fp16TFLOPS; self.bf16TFLOPS = bf16TFLOPS; self.int8TOPS = int8TOPS; self.fp8TFLOPS = fp8TFLOPS
        self.supportsBF16 = supportsBF16; self.supportsFP8 = supportsFP8; self.interconnect = interconnect
        self.interconnectBytesPerSecond = interconnectBytesPerSecond; self.contextOverhead = contextOverhead
        self.hourlyUSD = hourlyUSD; self.source = source; self.notes = notes
    }
}
