/// ggml's block types: how many weights one block holds and how many bytes it takes.
/// Every figure is a `static_assert` in ggml/src/ggml-common.h (ggml@d99724f) or ggml.c `type_traits`.
public enum GGMLType: String, Sendable, CaseIterable {
    case f32 = "F32", f16 = "F16", bf16 = "BF16"
    case q4_0 = "Q4_0", q4_1 = "Q4_1", q5_0 = "Q5_0", q5_1 = "Q5_1", q8_0 = "Q8_0"
    case q2_K = "Q2_K", q3_K = "Q3_K", q4_K = "Q4_K", q5_K = "Q5_K", q6_K = "Q6_K"
    case iq4_xs = "IQ4_XS", iq4_nl = "IQ4_NL", mxfp4 = "MXFP4"

    public var blockSize: Int64 {
        switch self {
        case .f32, .f16, .bf16: 1
        case .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .iq4_nl, .mxfp4: 32
        case .q2_K, .q3_K, .q4_K, .q5_K, .q6_K, .iq4_xs: 256
        }
    }

    public var blockBytes: Int64 {
        switch self {
        case .f32: 4
        case .f16, .bf16: 2
        case .q4_0: 18      // fp16 d + 16 B nibbles
        case .q4_1: 20      // fp16 d, m + 16 B
        case .q5_0: 22      // fp16 d + 4 B high bits + 16 B
        case .q5_1: 24
        case .q8_0: 34      // fp16 d + 32 int8
        case .q2_K: 84      // 16 B scales + 64 B quants + 2×fp16
        case .q3_K: 110     // 32 B hmask + 64 B + 12 B scales + fp16
        case .q4_K: 144     // 2×fp16 + 12 B scales + 128 B
        case .q5_K: 176
        case .q6_K: 210     // 128 B + 64 B + 16 int8 scales + fp16
        case .iq4_xs: 136
        case .iq4_nl: 18
        case .mxfp4: 17     // 16 B of E2M1 pairs + one E8M0 scale
        }
    }

    public var bitsPerWeight: Double { Double(blockBytes * 8) / Double(blockSize) }

    /// The type llama.cpp uses instead when a row length is not a multiple of this block
    /// (llama-quant.cpp `tensor_type_fallback`): K-quants need rows divisible by 256.
    public var fallback: GGMLType {
        switch self {
        case .q2_K, .q3_K: .q4_0
        case .q4_K: .q5_0
        case .q5_K: .q5_1
        case .q6_K: .q8_0
        case .iq4_xs: .iq4_nl
        default: .f16
        }
    }

    /// Bytes of a [rows × rowLength] tensor, with llama.cpp's fallback for rows that don't divide.
    public func bytes(rows: Int64, rowLength: Int64) -> (type: GGMLType, bytes: ByteCount) {
        var t = self
        while rowLength % t.blockSize != 0 { t = t.fallback }
        return (t, ByteCount(rows * (rowLength / t.blockSize)) * t.blockBytes)
    }
}
