/// Element types of unquantized tensors and of activations.
public enum DType: String, Sendable, CaseIterable {
    case fp32 = "float32"
    case fp16 = "float16"
    case bf16 = "bfloat16"
    case fp8 = "float8"

    public var bytes: Int64 {
        switch self {
        case .fp32: 4
        case .fp16, .bf16: 2
        case .fp8: 1
        }
    }

    /// Accepts the spellings found in config.json (`torch_dtype`) and in people's questions.
    public init?(loose s: String) {
        switch s.lowercased() {
        case "float32", "fp32", "f32": self = .fp32
        case "float16", "fp16", "f16", "half": self = .fp16
        case "bfloat16", "bf16": self = .bf16
        case "float8", "fp8", "float8_e4m3fn", "e4m3": self = .fp8
        default: return nil
        }
    }
}
