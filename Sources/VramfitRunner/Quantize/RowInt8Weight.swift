/// Int8 with one scale per output row, in its two deployed flavours.
///
/// **W8A16 per-channel symmetric** (`format` "int8-per-channel"; compressed-tensors W8A16 as vLLM
/// loads it, torchao int8_weight_only):
/// - `weight`: int8 `[rows, cols]`, row-major (two's-complement bytes).
/// - `weight_scale`: fp16 `[rows]` (checkpoints: `[rows, 1]`).
/// - W[r, k] = weight[r, k] · weight_scale[r]. Scale = absmax(row) / 127.5 (compressed-tensors
///   `calculate_qparams`, symmetric: max |x| over half the int8 range 255), q = clamp(round(x / s),
///   −128, 127) with round-half-even, using the scale already rounded to fp16 so the stored bytes
///   reproduce what is dequantized.
///
/// **bitsandbytes LLM.int8** (`format` "llm-int8"; bitsandbytes `Int8Params`,
/// `int8_vectorwise_quant`):
/// - `CB`: int8 `[rows, cols]`, row-major.
/// - `SCB`: fp32 `[rows]` = absmax of the row.
/// - W[r, k] = CB[r, k] · SCB[r] / 127; CB = round(127 · x / absmax) (half-even).
/// The outlier decomposition of LLM.int8 (activation columns above threshold 6.0 in fp16) is a
/// run-time property of the activations, not of the storage; these kernels compute the exact
/// dequantized product, i.e. what that fp16 path computes for every column.
public struct RowInt8Weight: TileDecodable {
    public enum Flavor: Sendable { case w8a16, llmInt8 }
    public let rows: Int
    public let cols: Int
    public let flavor: Flavor
    let q: [UInt8]
    /// fp16 scales (W8A16) or fp32 absmax (LLM.int8), little-endian.
    let scales: [UInt8]

    public var format: String { flavor == .w8a16 ? "int8-per-channel" : "llm-int8" }
    public var buffers: [WeightBuffer] {
        flavor == .w8a16
            ? [WeightBuffer(name: "weight", bytes: q), WeightBuffer(name: "weight_scale", bytes: scales)]
            : [WeightBuffer(name: "CB", bytes: q), WeightBuffer(name: "SCB", bytes: scales)]
    }
    var storageOrder: StorageOrder { .rowMajor }

    /// Builds a weight from stored bytes (e.g. read from a checkpoint); sizes are checked.
    public init(rows: Int, cols: Int, flavor: Flavor, q: [UInt8], scales: [UInt8]) {
        precondition(q.count == rows * cols && scales.count == rows * (flavor == .w8a16 ? 2 : 4), "RowInt8Weight: buffer sizes")
        self.rows = rows; self.cols = cols; self.flavor = flavor; self.q = q; self.scales = scales
    }

    struct Decoder: TileDecoder {
        let q: UnsafeRawPointer, s: UnsafeRawPointer, cols: Int, fp16: Bool
        @inline(__always) func scale(_ r: Int) -> Float { fp16 ? s.f16(2 * r) : s.f32(4 * r) * (1 / 127) }
        func decode(rows r0: Int, _ nr: Int, cols k0: Int, _ nk: Int, into out: UnsafeMutablePointer<Float>, rowStride: Int, colStride: Int) {
            for i in 0..<nr {
                let sc = scale(r0 + i)
                let p = (q + (r0 + i) * cols + k0).assumingMemoryBound(to: Int8.self)
                let o = out + i * rowStride
                if colStride == 1 {
                    for j in 0..<nk { o[j] = Float(p[j]) * sc }  // contiguous: vectorised
                } else {
                    for j in 0..<nk { o[j * colStride] = Float(p[j]) * sc }
                }
            }
        }
    }

    func withDecoder<R>(_ body: (Decoder) -> R) -> R {
        q.withUnsafeBytes { qb in
            scales.withUnsafeBytes { sb in
                body(Decoder(q: qb.baseAddress!, s: sb.baseAddress!, cols: cols, fp16: flavor == .w8a16))
            }
        }
    }
}

/// Quantizer for `RowInt8Weight` (see its doc comment for the rounding rules).
public struct RowInt8Quantizer: WeightQuantizer {
    public let flavor: RowInt8Weight.Flavor
    public init(flavor: RowInt8Weight.Flavor) { self.flavor = flavor }
    public var format: String { flavor == .w8a16 ? "int8-per-channel" : "llm-int8" }

    public func quantize(_ w: [Float], rows: Int, cols: Int) throws(QuantizeError) -> any QuantizedWeight {
        try QuantizeChecks.shape(w, rows: rows, cols: cols, format: format)
        var q = [UInt8](repeating: 0, count: rows * cols)
        var s = [UInt8](repeating: 0, count: rows * (flavor == .w8a16 ? 2 : 4))
        let flavor = self.flavor
        w.withUnsafeBufferPointer { wb in
            q.withUnsafeMutableBytes { qb in
                s.withUnsafeMutableBytes { sb in
                    let src = FloatsIn(wb), qo = RawOut(qb), so = RawOut(sb)
                    QuantizeParallel.ranges(rows, workPerItem: cols) { range in
                        for r in range {
                            let row = src.p + r * cols
                            var amax: Float = 0
                            for k in 0..<cols { amax = max(amax, abs(row[k])) }
                            let out = (qo.p + r * cols).assumingMemoryBound(to: Int8.self)
                            switch flavor {
                            case .w8a16:
                                // compressed-tensors clamps the scale to >= float32 eps before storing.
                                let h = FloatBits.floatToHalf(max(amax / 127.5, Float.ulpOfOne))
                                so.p.storeBytes(of: h, toByteOffset: 2 * r, as: UInt16.self)
                                let inv = 1 / FloatBits.halfToFloat(h)
                                for k in 0..<cols { out[k] = Int8(min(127, max(-128, (row[k] * inv).rounded(.toNearestOrEven)))) }
                            case .llmInt8:
                                so.p.storeBytes(of: amax.bitPattern, toByteOffset: 4 * r, as: UInt32.self)
                                let mul: Float = amax > 0 ? 127 / amax : 0
                                for k in 0..<cols { out[k] = Int8(min(127, max(-127, (row[k] * mul).rounded(.toNearestOrEven)))) }
                            }
                        }
                    }
                }
            }
        }
        return RowInt8Weight(rows: rows, cols: cols, flavor: flavor, q: q, scales: s)
    }
}
