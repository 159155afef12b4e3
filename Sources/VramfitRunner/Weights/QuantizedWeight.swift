import VramfitCore

/// One weight matrix as the micro-runner holds it: the scheme's real storage (the same bytes an
/// engine would allocate), never a full-precision copy. Shaped like `nn.Linear.weight`:
/// `rows` = out_features, `cols` = in_features.
///
/// Why a protocol: every quantizer (int8, AWQ/GPTQ int4, NF4/FP4, GGUF blocks, FP8) and the dense
/// baseline (fp16/bf16/fp32) plug into the same layer, and every backend (CPU, CUDA) consumes the
/// same storage buffers — the CUDA backend uploads `buffers` byte for byte.
public protocol QuantizedWeight: Sendable {
    var rows: Int { get }
    var cols: Int { get }
    /// What the storage is, e.g. "int4-g128", "nf4-dq", "q4_K", "fp8-e4m3-per-channel", "fp16".
    var format: String { get }
    /// The raw storage, named as the checkpoint names it (`qweight`, `qzeros`, `scales`, `g_idx`,
    /// `absmax`, `blocks`, ...). Their byte counts are what the quantizer allocated.
    var buffers: [WeightBuffer] { get }
    /// Dequantizes row `row` (all `cols` values) into `out`. Used by the float64 reference path and
    /// by tests; the fast paths below must not materialise the whole matrix.
    func dequantizeRow(_ row: Int, into out: UnsafeMutableBufferPointer<Float>)
    /// y[r] = Σ_k W[r, k] · x[k] for r in `rows`, reading the quantized storage directly.
    /// `x` has `cols` values; `y` has `self.rows` values (only `rows` are written).
    func matvec(_ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>, rows: Range<Int>)
    /// Y[t, r] = Σ_k W[r, k] · X[t, k] for `tokens` rows of X (row-major, `tokens × cols`) and r in
    /// `rows`; Y is `tokens × self.rows`, row-major. Dequantizes one tile at a time.
    func matmul(_ x: UnsafeBufferPointer<Float>, tokens: Int, into y: UnsafeMutableBufferPointer<Float>, rows: Range<Int>)
}

extension QuantizedWeight {
    /// Bytes the quantizer allocated for this tensor: the figure tests compare with
    /// `WeightBytes.bytes(of:scheme:model:engine:)`.
    public var allocatedBytes: ByteCount { ByteCount(Int64(buffers.reduce(0) { $0 + $1.bytes.count })) }
}

/// One named storage buffer of a quantized tensor.
public struct WeightBuffer: Sendable {
    public var name: String
    public var bytes: [UInt8]
    public init(name: String, bytes: [UInt8]) { self.name = name; self.bytes = bytes }
}
