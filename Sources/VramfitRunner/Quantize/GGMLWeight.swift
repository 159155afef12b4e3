import VramfitCore

/// A matrix in one ggml block type, laid out as a GGUF tensor's data: each row is
/// cols / blockSize consecutive blocks, rows one after another (ggml `nb[1]` = row size).
///
/// Buffers:
/// - `blocks`: uint8 `[rows · (cols / blockSize) · blockBytes]`, the blocks of `type` (layouts in
///   `GGMLLegacyBlocks` and `GGMLKQuantBlocks`; sizes are GGMLType.blockBytes).
/// - W[r, k] = dequantize_row_<type>(row r)[k].
///
/// Supported types: Q4_0, Q4_1, Q5_0, Q5_1, Q8_0, Q4_K, Q5_K, Q6_K — everything the Q4_K_M,
/// Q5_K_M, Q6_K, Q8_0 and legacy mixes give a dense Llama/Qwen/Mistral layer, including the
/// fallbacks llama.cpp uses when a row length is not a multiple of 256 (Q4_K → Q5_0, Q5_K → Q5_1,
/// Q6_K → Q8_0). F32/F16/BF16 tensors of a GGUF file are dense weights, not this type.
public struct GGMLWeight: TileDecodable {
    public let rows: Int
    public let cols: Int
    public let type: GGMLType
    let blocks: [UInt8]

    public var format: String { type.rawValue }
    public var buffers: [WeightBuffer] { [WeightBuffer(name: "blocks", bytes: blocks)] }
    var storageOrder: StorageOrder { .rowMajor }

    /// The ggml types this runner can quantize and decode.
    public static let supported: Set<GGMLType> = [.q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q4_K, .q5_K, .q6_K]

    public init(rows: Int, cols: Int, type: GGMLType, blocks: [UInt8]) {
        precondition(Self.supported.contains(type) && cols % Int(type.blockSize) == 0
                     && blocks.count == rows * cols / Int(type.blockSize) * Int(type.blockBytes), "GGMLWeight: type or buffer size")
        self.rows = rows; self.cols = cols; self.type = type; self.blocks = blocks
    }

    @inline(__always)
    static func dequantizeBlock(_ t: GGMLType, _ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        switch t {
        case .q8_0: GGMLLegacyBlocks.dequantizeQ8_0(b, y)
        case .q4_0: GGMLLegacyBlocks.dequantizeQ4_0(b, y)
        case .q4_1: GGMLLegacyBlocks.dequantizeQ4_1(b, y)
        case .q5_0: GGMLLegacyBlocks.dequantizeQ5_0(b, y)
        case .q5_1: GGMLLegacyBlocks.dequantizeQ5_1(b, y)
        case .q4_K: GGMLKQuantBlocks.dequantizeQ4_K(b, y)
        case .q5_K: GGMLKQuantBlocks.dequantizeQ5_K(b, y)
        case .q6_K: GGMLKQuantBlocks.dequantizeQ6_K(b, y)
        default: preconditionFailure("GGMLWeight: \(t.rawValue) is not supported")
        }
    }

    static func quantizeBlock(_ t: GGMLType, _ x: UnsafePointer<Float>, _ y: UnsafeMutableRawPointer) {
        switch t {
        case .q8_0: GGMLLegacyBlocks.quantizeQ8_0(x, y)
        case .q4_0: GGMLLegacyBlocks.quantizeQ4_0(x, y)
        case .q4_1: GGMLLegacyBlocks.quantizeQ4_1(x, y)
        case .q5_0: GGMLLegacyBlocks.quantizeQ5_0(x, y)
        case .q5_1: GGMLLegacyBlocks.quantizeQ5_1(x, y)
        case .q4_K: GGMLKQuantBlocks.quantizeQxK(bits: 4, x, y)
        case .q5_K: GGMLKQuantBlocks.quantizeQxK(bits: 5, x, y)
        case .q6_K: GGMLKQuantBlocks.quantizeQ6_K(x, y)
        default: preconditionFailure("GGMLWeight: \(t.rawValue) is not supported")
        }
    }

    struct Decoder: TileDecoder {
        let blocks: UnsafeRawPointer, type: GGMLType, cols: Int
        func decode(rows r0: Int, _ nr: Int, cols k0: Int, _ nk: Int, into out: UnsafeMutablePointer<Float>, rowStride: Int, colStride: Int) {
            let bs = Int(type.blockSize), bb = Int(type.blockBytes)
            let rowBytes = cols / bs * bb
            withUnsafeTemporaryAllocation(of: Float.self, capacity: bs) { tmp in
                let t = tmp.baseAddress!
                for i in 0..<nr {
                    let row = blocks + (r0 + i) * rowBytes
                    let o = out + i * rowStride
                    var k = k0
                    while k < k0 + nk {
                        let blk = k / bs
                        let lo = k - blk * bs, hi = min(bs, k0 + nk - blk * bs)
                        if colStride == 1 && lo == 0 && hi == bs {
                            GGMLWeight.dequantizeBlock(type, row + blk * bb, o + (k - k0))  // straight into place
                        } else {
                            GGMLWeight.dequantizeBlock(type, row + blk * bb, t)
                            if colStride == 1 {
                                (o + (k - k0)).update(from: t + lo, count: hi - lo)
                            } else {
                                for j in lo..<hi { o[(blk * bs + j - k0) * colStride] = t[j] }
                            }
                        }
                        k = blk * bs + hi
                    }
                }
            }
        }
    }

    func withDecoder<R>(_ body: (Decoder) -> R) -> R {
        blocks.withUnsafeBytes { body(Decoder(blocks: $0.baseAddress!, type: type, cols: cols)) }
    }
}

/// Quantizes with ggml's reference quantizer of one block type (see `GGMLWeight`).
public struct GGMLQuantizer: WeightQuantizer {
    public let type: GGMLType
    public init(type: GGMLType) { self.type = type }
    public var format: String { type.rawValue }

    public func quantize(_ w: [Float], rows: Int, cols: Int) throws(QuantizeError) -> any QuantizedWeight {
        try QuantizeChecks.shape(w, rows: rows, cols: cols, format: format)
        guard GGMLWeight.supported.contains(type) else {
            throw .unsupportedScheme(scheme: type.rawValue, reason: "the micro-runner implements ggml types \(GGMLWeight.supported.map(\.rawValue).sorted().joined(separator: ", "))")
        }
        let bs = Int(type.blockSize), bb = Int(type.blockBytes)
        guard cols % bs == 0 else {
            throw .unsupportedShape(format: format, rows: rows, cols: cols, reason: "ggml \(type.rawValue) rows must be a multiple of \(bs) (llama.cpp falls back to \(type.fallback.rawValue))")
        }
        let perRow = cols / bs
        var blocks = [UInt8](repeating: 0, count: rows * perRow * bb)
        let t = type
        w.withUnsafeBufferPointer { wb in
            blocks.withUnsafeMutableBytes { ob in
                let src = FloatsIn(wb), out = RawOut(ob)
                QuantizeParallel.ranges(rows, workPerItem: cols * (t.blockSize == 256 ? 64 : 4)) { range in
                    for r in range {
                        for b in 0..<perRow { GGMLWeight.quantizeBlock(t, src.p + r * cols + b * bs, out.p + (r * perRow + b) * bb) }
                    }
                }
            }
        }
        return GGMLWeight(rows: rows, cols: cols, type: type, blocks: blocks)
    }
}
