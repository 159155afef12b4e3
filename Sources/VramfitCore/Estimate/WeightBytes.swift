/// Bytes a tensor takes under a scheme: the scheme's real storage (packed integers, scales, zeros,
/// g_idx), not bits × count. Sources per layout are in catalogs/quant/*.yaml and docs/estimator.md.
public enum WeightBytes {
    /// Storage of one tensor. `engine` picks engine-specific unquantized sets; `model` is needed for
    /// the llama.cpp mixes' layer rules and for the unquantized dtype.
    public static func bytes(of t: TensorSpec, scheme: QuantScheme, model: Model, engine: String?) -> (bytes: ByteCount, type: String) {
        // Which storage (TensorStorage.swift decides: kept roles, GGUF F32 vectors, mix types).
        switch storage(of: t, scheme: scheme, model: model, engine: engine) {
        case .ggmlF32:
            return (ByteCount(t.elements) * 4, GGMLType.f32.rawValue)
        case .unquantized(let d):
            return (ByteCount(t.elements) * d.bytes, d.rawValue)
        case .quantized(let s):
            let one = perMatrix(rows: t.rows, rowLength: t.rowLength, storage: s, role: t.role, layer: t.layer, model: model)
            return (one.bytes * t.count, one.type)
        }
    }

    static func perMatrix(rows: Int64, rowLength: Int64, storage: WeightStorage, role: TensorRole, layer: Int64?, model: Model)
        -> (bytes: ByteCount, type: String)
    {
        let n = rows * rowLength
        switch storage {
        case .dense(let b, let scale):
            return (ByteCount(n) * b + ByteCount(scale), b == 1 ? "fp8" : b == 4 ? "float32" : model.dtype.rawValue)
        case .perRow(let bits, let scaleBytes):
            return (ByteCount(ceilDiv(n * bits, 8)) + ByteCount(rows) * scaleBytes, "int\(bits)")
        case .groupwise(let bits, let g, let scaleBytes, let zeroBits, let gIdx):
            // GPTQ/AWQ: qweight int32 words of packed `bits`; qzeros packed along the output dim;
            // scales per (group, output column); g_idx int32 per input channel.
            let groupSize = g <= 0 ? rowLength : g
            let groups = ceilDiv(rowLength, groupSize)
            let qweight = ceilDiv(rowLength * bits, 32) * rows * 4
            let qzeros = zeroBits > 0 ? groups * ceilDiv(rows * zeroBits, 32) * 4 : 0
            let scales = groups * rows * scaleBytes
            let gidx = gIdx ? rowLength * 4 : 0
            return (ByteCount(qweight + qzeros + scales + gidx), "int\(bits)-g\(groupSize)")
        case .blockwise4bit(let block, let dq):
            // bitsandbytes Params4bit: packed codes + absmax (+ nested absmax, offset and nested code
            // with double quant) + the 16-entry fp32 code book.
            let blocks = ceilDiv(n, block)
            var b = ceilDiv(n, 2) + 16 * 4
            b += dq ? blocks + ceilDiv(blocks, 256) * 4 + 4 + 256 * 4 : blocks * 4
            return (ByteCount(b), dq ? "nf4-dq" : "nf4")
        case .fp8Block(let block):
            return (ByteCount(n + ceilDiv(rows, block) * ceilDiv(rowLength, block) * 4), "fp8-block")
        case .ggml(let type):
            let r = type.bytes(rows: rows, rowLength: rowLength)
            return (r.bytes, r.type.rawValue)
        case .ggufMix(let mix):
            let r = mix.type(for: role, layer: layer, model: model).bytes(rows: rows, rowLength: rowLength)
            return (r.bytes, r.type.rawValue)
        }
    }

    static func ceilDiv(_ a: Int64, _ b: Int64) -> Int64 { b <= 0 ? a : (a + b - 1) / b }
}

/// The weight bytes of a whole model, per tensor, with totals per layer.
public struct WeightBreakdown: Sendable {
    public struct Entry: Sendable {
        public var tensor: TensorSpec
        public var bytes: ByteCount
        public var storage: String
    }
    public var entries: [Entry]
    public var total: ByteCount { entries.reduce(.zero) { $0 + $1.bytes } }

    public init(model: Model, scheme: QuantScheme, engine: String?, granularity: Int64 = 1) {
        self.init(tensors: TensorInventory.tensors(of: model), model: model, scheme: scheme, engine: engine, granularity: granularity)
    }

    /// With the model's tensor inventory already listed (the sweep lists it once per model, not
    /// once per scheme × engine).
    public init(tensors: [TensorSpec], model: Model, scheme: QuantScheme, engine: String?, granularity: Int64 = 1) {
        entries = tensors.map { t in
            var r = WeightBytes.bytes(of: t, scheme: scheme, model: model, engine: engine)
            if granularity > 1 {
                // Allocators hand out whole blocks per tensor (PyTorch: 512 bytes); experts are separate tensors.
                let each = ByteCount(WeightBytes.ceilDiv(r.bytes.value / max(t.count, 1), granularity) * granularity)
                r.bytes = each * t.count
            }
            return Entry(tensor: t, bytes: r.bytes, storage: r.type)
        }
    }

    /// Bytes of decoder layer `i`.
    public func layer(_ i: Int64) -> ByteCount {
        entries.reduce(.zero) { $0 + ($1.tensor.layer == i ? $1.bytes : .zero) }
    }

    public func bytes(where predicate: (TensorSpec) -> Bool) -> ByteCount {
        entries.reduce(.zero) { predicate($1.tensor) ? $0 + $1.bytes : $0 }
    }
}
