import VramfitCore

/// Picks, for one tensor of a model under a catalog scheme, the quantizer whose allocation is
/// exactly what the estimator counts for it. The decision itself — which roles a scheme or engine
/// keeps unquantized, GGUF's F32 vectors, which ggml type a llama.cpp mix gives this tensor in
/// this layer, the row-length fallback — is Core's `WeightBytes.storage(of:...)`, the same
/// function `WeightBytes.bytes(of:...)` prices; this file only maps each storage to a quantizer.
///
/// A `TensorSpec` with `count > 1` (the experts of a layer) is `count` separate matrices; the
/// quantizer returned quantizes one of them.
public enum QuantizerFactory {
    public static func quantizer(for t: TensorSpec, scheme: QuantScheme, model: Model, engine: String? = nil) throws(QuantizeError) -> any WeightQuantizer {
        switch WeightBytes.storage(of: t, scheme: scheme, model: model, engine: engine) {
        case .ggmlF32:
            return DenseQuantizer(storage: .fp32)
        case .unquantized(let dtype):
            guard let s = DenseWeight.Storage(dtype) else {
                throw .unsupportedScheme(scheme: scheme.id, reason: "tensors kept in \(dtype.rawValue) have no dense CPU storage")
            }
            return DenseQuantizer(storage: s)
        case .quantized(let storage):
            return try quantizer(for: storage, scheme: scheme, model: model)
        }
    }

    static func quantizer(for storage: WeightStorage, scheme: QuantScheme, model: Model) throws(QuantizeError) -> any WeightQuantizer {
        let words = (scheme.id + " " + scheme.name).lowercased()
        switch storage {
        case .dense(let bytes, let scaleBytes):
            switch (bytes, scaleBytes) {
            case (1, 4): return FP8Quantizer(granularity: .perTensor)
            case (4, 0): return DenseQuantizer(storage: .fp32)
            case (2, 0):
                let d = scheme.unquantizedDType ?? model.dtype
                return DenseQuantizer(storage: d == .bf16 ? .bf16 : .fp16)
            default: break
            }
        case .perRow(let bits, let scaleBytes) where bits == 8:
            // Three 8-bit per-row schemes: W8A16 int8 (fp16 scale), LLM.int8 (fp32 SCB) and FP8
            // per-channel (fp32 scale); the last two store the same bytes and differ in the element
            // type, which the scheme names.
            if scaleBytes == 2 { return RowInt8Quantizer(flavor: .w8a16) }
            if scaleBytes == 4 { return words.contains("fp8") ? FP8Quantizer(granularity: .perChannel) : RowInt8Quantizer(flavor: .llmInt8) }
        case .groupwise(let bits, let group, let scaleBytes, let zeroBits, let gIdx) where scaleBytes == 2 && zeroBits == bits && group > 0:
            if gIdx {
                if bits == 4 || bits == 8 {
                    let actOrder = words.contains("act") || words.contains("desc")
                    return GPTQQuantizer(bits: Int(bits), groupSize: Int(group), actOrder: actOrder)
                }
            } else if bits == 4 {
                return AWQQuantizer(groupSize: Int(group))
            }
        case .blockwise4bit(let block, let dq) where block == Int64(Bnb4bitWeight.blockSize):
            return Bnb4bitQuantizer(dataType: words.contains("fp4") ? .fp4 : .nf4, doubleQuant: dq)
        case .fp8Block(let block) where block > 0:
            return FP8Quantizer(granularity: .block(Int(block)))
        case .ggml(let type):
            switch type {
            case .f32: return DenseQuantizer(storage: .fp32)
            case .f16: return DenseQuantizer(storage: .fp16)
            case .bf16: return DenseQuantizer(storage: .bf16)
            default:
                guard GGMLWeight.supported.contains(type) else {
                    throw .unsupportedScheme(scheme: scheme.id, reason: "ggml type \(type.rawValue) has no quantizer here (implemented: \(GGMLWeight.supported.map(\.rawValue).sorted().joined(separator: ", ")))")
                }
                return GGMLQuantizer(type: type)
            }
        default: break
        }
        throw .unsupportedScheme(scheme: scheme.id, reason: "its storage (\(storage)) has no quantizer in the micro-runner")
    }
}

/// The identity "quantizer" for tensors a scheme keeps at a float width: rounds to fp16/bf16
/// (nearest even) or keeps fp32, as `DenseWeight`.
public struct DenseQuantizer: WeightQuantizer {
    public let storage: DenseWeight.Storage
    public init(storage: DenseWeight.Storage) { self.storage = storage }
    public var format: String { storage.rawValue }

    public func quantize(_ w: [Float], rows: Int, cols: Int) throws(QuantizeError) -> any QuantizedWeight {
        try QuantizeChecks.shape(w, rows: rows, cols: cols, format: format)
        do {
            return try DenseWeight(rows: rows, cols: cols, storage: storage, values: w)
        } catch {
            throw .wrongElementCount(format: format, rows: rows, cols: cols, count: w.count)
        }
    }
}
