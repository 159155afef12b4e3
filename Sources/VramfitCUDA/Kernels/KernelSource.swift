/// The weight formats the CUDA kernels decode, one per struct in `FormatSource`. Several
/// quantizer formats share one (AWQ and GPTQ int4 → `int4`; W8A16 and LLM.int8 → `int8`; NF4 and
/// FP4, with or without double quantization → `nf4`, which reads the code book from its buffer).
public enum DeviceFormat: String, CaseIterable, Sendable {
    case int4, int8, fp8, f16, bf16, f32, nf4
    case q4_0, q4_1, q5_0, q5_1, q8_0, q4_k, q5_k, q6_k

    /// The CUDA struct that implements it.
    var structName: String {
        switch self {
        case .int4: "Int4"
        case .int8: "Int8"
        case .fp8: "FP8"
        case .f16: "F16"
        case .bf16: "BF16"
        case .f32: "F32"
        case .nf4: "NF4"
        case .q4_0: "Q4_0"
        case .q4_1: "Q4_1"
        case .q5_0: "Q5_0"
        case .q5_1: "Q5_1"
        case .q8_0: "Q8_0"
        case .q4_k: "Q4_K"
        case .q5_k: "Q5_K"
        case .q6_k: "Q6_K"
        }
    }

    /// Values per chunk (`VALS`): the unit of one lane's load in the GEMV and of the GEMM's tile
    /// columns. A row length must be a multiple of it.
    public var valuesPerChunk: Int {
        switch self {
        case .int4, .nf4, .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q4_k, .q5_k, .q6_k: 32
        case .int8, .fp8: 16
        case .f16, .bf16: 8
        case .f32: 4
        }
    }

    /// Values a row length must be a multiple of (ggml K-quants store whole 256-value super-blocks).
    public var rowMultiple: Int {
        switch self {
        case .q4_k, .q5_k, .q6_k: 256
        default: valuesPerChunk
        }
    }

    /// Whether the GEMV stages x in shared memory (`SMEM_X` in the source): 2 × K bytes of
    /// dynamic shared memory per block.
    public var stagesX: Bool { [.int4, .int8, .fp8, .f16].contains(self) }

    /// Dynamic shared memory of the GEMV for rows of `cols` values.
    public func gemvSharedBytes(cols: Int) -> Int { stagesX ? 2 * cols : 0 }

    public func gemvKernel(rowsPerWarp: Int) -> String { "gemv_\(rawValue)_r\(rowsPerWarp)" }
    public var gemmKernel: String { "gemm_\(rawValue)" }
    public var dequantKernel: String { "dequant_\(rawValue)" }
}

/// Assembles the CUDA C of one module. Each weight format is its own module (compiled when first
/// needed, ~1–2 s of NVRTC each), so a run compiles only what its scheme uses.
public enum KernelSource {
    public static func matrixModule(_ f: DeviceFormat) -> String {
        [PreludeSource.text, FormatSource.text, MatrixSource.text, "MATRIX_KERNELS(\(f.rawValue), \(f.structName))", ""].joined(separator: "\n")
    }

    public static var layerModule: String { [PreludeSource.text, LayerSource.text, ""].joined(separator: "\n") }

    /// The `extern "C"` kernels a module defines (checked against the source in tests, looked up
    /// by name after loading).
    public static func kernels(in f: DeviceFormat) -> [String] {
        [1, 2, 4].map { f.gemvKernel(rowsPerWarp: $0) } + [f.gemmKernel, f.dequantKernel, "int4_repack"]
    }

    public static let layerKernels = ["rmsnorm", "rope", "add_bias", "add_inplace", "silu_mul", "kv_store",
                                      "attention_combine", "gather_rows", "scatter_add_rows", "sigmoid_scale_add"]
        + (0...5).map { "attention_partial_kv\($0)" }
}
