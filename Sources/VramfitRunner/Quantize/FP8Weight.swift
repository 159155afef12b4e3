/// FP8 E4M3 weights (OCP `float8_e4m3fn`: bias 7, max ±448, no infinities, 0x7F/0xFF NaN) with
/// an fp32 scale per tensor (vLLM `--quantization fp8`), per output row (llm-compressor
/// FP8_DYNAMIC / compressed-tensors `strategy: channel`) or per 128 × 128 tile (DeepSeek-V3's
/// native checkpoints, `weight_block_size: [128, 128]`).
///
/// Buffers:
/// - `weight`: uint8 E4M3 codes `[rows, cols]`, row-major.
/// - per tensor: `weight_scale` fp32 `[1]`; W[r, k] = e4m3(weight[r, k]) · weight_scale[0].
/// - per channel: `weight_scale` fp32 `[rows]` (checkpoints `[rows, 1]`); · weight_scale[r].
/// - per block: `weight_scale_inv` fp32 `[⌈rows/128⌉, ⌈cols/128⌉]` row-major (DeepSeek's name;
///   despite "inv" it is the dequantization multiplier); · weight_scale_inv[r / 128, k / 128].
///
/// Quantization: scale = absmax / 448 (vLLM `scaled_fp8_quant`; compressed-tensors
/// `calculate_qparams` for FP8: max |x| over half of the ±448 range), q = E4M3(x · (1/scale))
/// rounded to nearest even with subnormals, saturated at ±448 (`FloatBits.floatToE4M3`).
public struct FP8Weight: TileDecodable {
    public enum Granularity: Sendable, Equatable {
        case perTensor, perChannel
        /// One scale per `n × n` tile (partial tiles at the edges).
        case block(Int)

        var name: String {
            switch self {
            case .perTensor: "per-tensor"
            case .perChannel: "per-channel"
            case .block(let n): "block\(n)"
            }
        }

        func scaleCount(rows: Int, cols: Int) -> Int {
            switch self {
            case .perTensor: 1
            case .perChannel: rows
            case .block(let n): ((rows + n - 1) / n) * ((cols + n - 1) / n)
            }
        }
    }
    public let rows: Int
    public let cols: Int
    public let granularity: Granularity
    let codes: [UInt8]
    let scales: [UInt8]
    /// Whether any code is E4M3's NaN (0x7F/0xFF): never produced by the quantizer, but bytes
    /// read from a checkpoint might hold one, and the fast decode would turn it into 480.
    let hasNaN: Bool

    public var format: String { "fp8-e4m3-" + granularity.name }
    public var buffers: [WeightBuffer] {
        if case .block = granularity { return [WeightBuffer(name: "weight", bytes: codes), WeightBuffer(name: "weight_scale_inv", bytes: scales)] }
        return [WeightBuffer(name: "weight", bytes: codes), WeightBuffer(name: "weight_scale", bytes: scales)]
    }
    var storageOrder: StorageOrder { .rowMajor }

    public init(rows: Int, cols: Int, granularity: Granularity, codes: [UInt8], scales: [UInt8]) {
        precondition(codes.count == rows * cols && scales.count == 4 * granularity.scaleCount(rows: rows, cols: cols), "FP8Weight: buffer sizes")
        self.rows = rows; self.cols = cols; self.granularity = granularity; self.codes = codes; self.scales = scales
        hasNaN = codes.contains { $0 & 0x7F == 0x7F }
    }

    /// Every E4M3 code's value, so decoding is one table load per weight.
    static let table: [Float] = (0..<256).map { FloatBits.e4m3ToFloat(UInt8($0)) }

    struct Decoder: TileDecoder {
        let codes: UnsafePointer<UInt8>, scales: UnsafeRawPointer, lut: UnsafePointer<Float>, cols: Int, granularity: Granularity
        /// Some code is 0x7F/0xFF (NaN): only the table path decodes those.
        let hasNaN: Bool
        func decode(rows r0: Int, _ nr: Int, cols k0: Int, _ nk: Int, into out: UnsafeMutablePointer<Float>, rowStride: Int, colStride: Int) {
            for i in 0..<nr {
                let r = r0 + i
                let p = codes + r * cols
                let o = out + i * rowStride
                switch granularity {
                case .perTensor, .perChannel:
                    let s = scales.f32(granularity == .perChannel ? 4 * r : 0)
                    if colStride == 1 && !hasNaN {
                        // FloatBits.e4m3ToFloat's bit trick as a plain loop the compiler vectorises:
                        // the 7 magnitude bits under a float's exponent, rescaled by 2^120, sign on top.
                        let q = p + k0
                        for j in 0..<nk {
                            let b = UInt32(q[j])
                            let f = Float(bitPattern: (b & 0x7F) << 20) * 0x1p120
                            o[j] = Float(bitPattern: f.bitPattern | (b & 0x80) << 24) * s
                        }
                    } else if colStride == 1 {
                        for j in 0..<nk { o[j] = lut[Int(p[k0 + j])] * s }
                    } else {
                        for j in 0..<nk { o[j * colStride] = lut[Int(p[k0 + j])] * s }
                    }
                case .block(let n):
                    let tilesPerRow = (cols + n - 1) / n
                    var k = k0
                    while k < k0 + nk {
                        let end = min(k0 + nk, (k / n + 1) * n)
                        let s = scales.f32(4 * ((r / n) * tilesPerRow + k / n))
                        for kk in k..<end { o[(kk - k0) * colStride] = lut[Int(p[kk])] * s }
                        k = end
                    }
                }
            }
        }
    }

    func withDecoder<R>(_ body: (Decoder) -> R) -> R {
        codes.withUnsafeBufferPointer { c in
            scales.withUnsafeBytes { s in
                Self.table.withUnsafeBufferPointer { t in
                    body(Decoder(codes: c.baseAddress!, scales: s.baseAddress!, lut: t.baseAddress!, cols: cols, granularity: granularity, hasNaN: hasNaN))
                }
            }
        }
    }
}

public struct FP8Quantizer: WeightQuantizer {
    public let granularity: FP8Weight.Granularity
    public init(granularity: FP8Weight.Granularity) { self.granularity = granularity }
    public var format: String { "fp8-e4m3-" + granularity.name }

    public func quantize(_ w: [Float], rows: Int, cols: Int) throws(QuantizeError) -> any QuantizedWeight {
        try QuantizeChecks.shape(w, rows: rows, cols: cols, format: format)
        if case .block(let n) = granularity, n <= 0 {
            throw .unsupportedShape(format: format, rows: rows, cols: cols, reason: "block size must be positive")
        }
        // Scales first (one pass of absmax per scale group), then codes row by row in parallel.
        var scaleValues = [Float](repeating: 0, count: granularity.scaleCount(rows: rows, cols: cols))
        switch granularity {
        case .perTensor:
            scaleValues[0] = Self.scale(w.reduce(Float(0)) { max($0, abs($1)) })
        case .perChannel:
            for r in 0..<rows { scaleValues[r] = Self.scale(w[(r * cols)..<((r + 1) * cols)].reduce(Float(0)) { max($0, abs($1)) }) }
        case .block(let n):
            let tpr = (cols + n - 1) / n
            for r in 0..<rows {
                for k in 0..<cols { scaleValues[(r / n) * tpr + k / n] = max(scaleValues[(r / n) * tpr + k / n], abs(w[r * cols + k])) }
            }
            scaleValues = scaleValues.map(Self.scale)
        }
        var codes = [UInt8](repeating: 0, count: rows * cols)
        let g = granularity
        w.withUnsafeBufferPointer { wb in
            scaleValues.withUnsafeBufferPointer { sb in
                codes.withUnsafeMutableBytes { cb in
                    let src = FloatsIn(wb), sc = FloatsIn(sb), co = RawOut(cb)
                    QuantizeParallel.ranges(rows, workPerItem: cols) { range in
                        for r in range {
                            let row = src.p + r * cols
                            let out = (co.p + r * cols).assumingMemoryBound(to: UInt8.self)
                            for k in 0..<cols {
                                let s: Float
                                switch g {
                                case .perTensor: s = sc.p[0]
                                case .perChannel: s = sc.p[r]
                                case .block(let n): s = sc.p[(r / n) * ((cols + n - 1) / n) + k / n]
                                }
                                out[k] = FloatBits.floatToE4M3(row[k] * (1 / s))
                            }
                        }
                    }
                }
            }
        }
        var scales = [UInt8](repeating: 0, count: 4 * scaleValues.count)
        for (i, v) in scaleValues.enumerated() { scales.putFloat(v, at: 4 * i) }
        return FP8Weight(rows: rows, cols: cols, granularity: granularity, codes: codes, scales: scales)
    }

    /// absmax / 448, clamped to float32 eps as compressed-tensors does (an all-zero row stays 0).
    static func scale(_ amax: Float) -> Float { max(amax / FloatBits.e4m3Max, Float.ulpOfOne) }
}
