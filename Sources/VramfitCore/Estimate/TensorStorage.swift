/// How one tensor is stored under a scheme: the decision `WeightBytes.bytes(of:...)` prices, made
/// in one place so the micro-runner's quantizers (VramfitRunner QuantizerFactory) allocate exactly
/// what the estimate counts.
public enum TensorStorage: Sendable, Equatable {
    /// Not quantized: every element at this float width (roles the scheme or engine keeps, 1-D
    /// tensors, vision towers).
    case unquantized(DType)
    /// GGUF's F32: 1-D tensors and MoE routers in a GGUF file (convert_hf_to_gguf.py).
    case ggmlF32
    /// The scheme's quantized storage. GGUF mixes and single types come resolved to the ggml type
    /// this tensor gets, with the mix's rules and llama.cpp's row-length fallback applied
    /// (`.ggml(type)` whose block divides the row).
    case quantized(WeightStorage)
}

extension WeightBytes {
    public static func storage(of t: TensorSpec, scheme: QuantScheme, model: Model, engine: String?) -> TensorStorage {
        // ggml stores 1-D tensors as F32 (convert_hf_to_gguf.py: n_dims <= 1 → F32), and the MoE
        // router too (the converter forces FFN_GATE_INP to F32; llama-quant never quantizes it).
        if scheme.isGGUF && (t.role.isVector || t.role == .router) { return .ggmlF32 }
        if scheme.keepsUnquantized(t.role, engine: engine) || t.role.isVector || t.role == .vision {
            return .unquantized(scheme.unquantizedDType ?? model.dtype)
        }
        switch scheme.storage {
        case .ggml(let type):
            return .quantized(.ggml(type.bytes(rows: t.rows, rowLength: t.rowLength).type))
        case .ggufMix(let mix):
            return .quantized(.ggml(mix.type(for: t.role, layer: t.layer, model: model).bytes(rows: t.rows, rowLength: t.rowLength).type))
        default:
            return .quantized(scheme.storage)
        }
    }
}
