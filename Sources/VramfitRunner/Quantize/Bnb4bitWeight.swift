/// bitsandbytes 4-bit weights (`Params4bit` / `Linear4bit`, `quantize_4bit`): NF4 or FP4 codes
/// with one absmax per block of 64 consecutive weights of the flattened row-major tensor, with or
/// without double quantization (`compress_statistics`). n = rows · cols, B = ⌈n / 64⌉.
///
/// Buffers (all little-endian; names as in a saved state dict, `weight.` prefix dropped):
/// - `weight`: uint8 `[⌈n/2⌉]` (bitsandbytes shape `[⌈n/2⌉, 1]`): element e = r·cols + k is in
///   byte e / 2, in the HIGH nibble when e is even and the low nibble when e is odd (the CUDA
///   kernel packs `q[2j] << 4 | q[2j+1]`).
/// - `quant_map`: fp32 `[16]`, the code book (NF4 quantiles or FP4 values / 12).
/// Without double quantization:
/// - `absmax`: fp32 `[B]`.
/// With double quantization (absmax minus its mean, quantized blockwise to 8 bits):
/// - `absmax`: uint8 `[B]`, indices into `nested_quant_map`.
/// - `nested_absmax`: fp32 `[⌈B/256⌉]`, the absmax of each 256-block of (absmax − offset).
/// - `nested_quant_map`: fp32 `[256]`, bitsandbytes' signed dynamic map.
/// - `nested_offset`: fp32 `[1]`, the mean of the fp32 absmax values.
/// - absmax[b] = nested_quant_map[absmax_u8[b]] · nested_absmax[b / 256] + nested_offset.
/// - W[e] = quant_map[code(e)] · absmax[e / 64].
///
/// Quantization follows the CUDA kernels: x · (1 / absmax) mapped by the `dQuantizeNF4` /
/// `dQuantizeFP4` decision trees (nearest code; FP4 takes the sign bit from x < 0), and the
/// nested absmax by nearest entry of the dynamic map.
public struct Bnb4bitWeight: TileDecodable {
    public enum DataType: String, Sendable { case nf4, fp4 }
    public let rows: Int
    public let cols: Int
    public let dataType: DataType
    public let doubleQuant: Bool
    public static let blockSize = 64
    public static let nestedBlockSize = 256
    let packed: [UInt8]
    let absmax: [UInt8]
    let nestedAbsmax: [UInt8]
    let offset: Float

    public var format: String { dataType.rawValue + (doubleQuant ? "-dq" : "") + "-b64" }
    public var buffers: [WeightBuffer] {
        var b = [WeightBuffer(name: "weight", bytes: packed), WeightBuffer(name: "absmax", bytes: absmax),
                 WeightBuffer(name: "quant_map", bytes: Self.floatBytes(code))]
        if doubleQuant {
            b.append(WeightBuffer(name: "nested_absmax", bytes: nestedAbsmax))
            b.append(WeightBuffer(name: "nested_quant_map", bytes: Self.floatBytes(BnbCodebooks.dynamic)))
            b.append(WeightBuffer(name: "nested_offset", bytes: Self.floatBytes([offset])))
        }
        return b
    }
    var storageOrder: StorageOrder { .rowMajor }
    var code: [Float] { dataType == .nf4 ? BnbCodebooks.nf4 : BnbCodebooks.fp4 }
    var blocks: Int { (rows * cols + Self.blockSize - 1) / Self.blockSize }

    static func floatBytes(_ v: [Float]) -> [UInt8] {
        var b = [UInt8](repeating: 0, count: 4 * v.count)
        for (i, x) in v.enumerated() { b.putFloat(x, at: 4 * i) }
        return b
    }

    init(rows: Int, cols: Int, dataType: DataType, doubleQuant: Bool, packed: [UInt8], absmax: [UInt8], nestedAbsmax: [UInt8], offset: Float) {
        self.rows = rows; self.cols = cols; self.dataType = dataType; self.doubleQuant = doubleQuant
        self.packed = packed; self.absmax = absmax; self.nestedAbsmax = nestedAbsmax; self.offset = offset
    }

    struct Decoder: TileDecoder {
        let packed: UnsafePointer<UInt8>, absmax: UnsafeRawPointer, nested: UnsafeRawPointer
        let code: UnsafePointer<Float>, pairs: UnsafePointer<SIMD2<Float>>, dynamic: UnsafePointer<Float>
        let cols: Int, doubleQuant: Bool, offset: Float

        @inline(__always) func scale(_ b: Int) -> Float {
            doubleQuant ? dynamic[Int(absmax.u8(b))] * nested.f32(4 * (b / Bnb4bitWeight.nestedBlockSize)) + offset : absmax.f32(4 * b)
        }

        func decode(rows r0: Int, _ nr: Int, cols k0: Int, _ nk: Int, into out: UnsafeMutablePointer<Float>, rowStride: Int, colStride: Int) {
            let bs = Bnb4bitWeight.blockSize
            for i in 0..<nr {
                let o = out + i * rowStride
                var e = (r0 + i) * cols + k0
                var j = 0
                // Whole 64-blocks from an even element: 32 bytes, two codes each.
                while j < nk {
                    let b = e / bs
                    if e % bs == 0 && nk - j >= bs {
                        let s = scale(b)
                        let p = packed + e / 2
                        if colStride == 1 {
                            // One table load per byte: both codes of the byte at once.
                            let sv = SIMD2<Float>(repeating: s)
                            let dst = UnsafeMutableRawPointer(o + j)
                            for m in 0..<(bs / 2) { dst.storeBytes(of: pairs[Int(p[m])] * sv, toByteOffset: 8 * m, as: SIMD2<Float>.self) }
                        } else {
                            for m in 0..<(bs / 2) {
                                let byte = p[m]
                                o[(j + 2 * m) * colStride] = code[Int(byte >> 4)] * s
                                o[(j + 2 * m + 1) * colStride] = code[Int(byte & 0xF)] * s
                            }
                        }
                        j += bs; e += bs
                    } else {
                        let byte = packed[e / 2]
                        o[j * colStride] = code[Int(e & 1 == 0 ? byte >> 4 : byte & 0xF)] * scale(b)
                        j += 1; e += 1
                    }
                }
            }
        }
    }

    func withDecoder<R>(_ body: (Decoder) -> R) -> R {
        let code = self.code
        let pairs = dataType == .nf4 ? BnbCodebooks.nf4Pairs : BnbCodebooks.fp4Pairs
        return packed.withUnsafeBufferPointer { p in
            absmax.withUnsafeBytes { a in
                nestedAbsmax.withUnsafeBytes { n in
                    code.withUnsafeBufferPointer { c in
                        pairs.withUnsafeBufferPointer { pr in
                            BnbCodebooks.dynamic.withUnsafeBufferPointer { d in
                                body(Decoder(packed: p.baseAddress!, absmax: a.baseAddress!, nested: n.baseAddress ?? a.baseAddress!,
                                             code: c.baseAddress!, pairs: pr.baseAddress!, dynamic: d.baseAddress!, cols: cols,
                                             doubleQuant: doubleQuant, offset: offset))
                            }
                        }
                    }
                }
            }
        }
    }
}

public struct Bnb4bitQuantizer: WeightQuantizer {
    public let dataType: Bnb4bitWeight.DataType
    public let doubleQuant: Bool
    public init(dataType: Bnb4bitWeight.DataType, doubleQuant: Bool) { self.dataType = dataType; self.doubleQuant = doubleQuant }
    public var format: String { dataType.rawValue + (doubleQuant ? "-dq" : "") + "-b64" }

    public func quantize(_ w: [Float], rows: Int, cols: Int) throws(QuantizeError) -> any QuantizedWeight {
        try QuantizeChecks.shape(w, rows: rows, cols: cols, format: format)
        let n = rows * cols, bs = Bnb4bitWeight.blockSize
        let blocks = (n + bs - 1) / bs
        var packed = [UInt8](repeating: 0, count: (n + 1) / 2)
        var absmax = [Float](repeating: 0, count: blocks)
        let nf4 = dataType == .nf4
        w.withUnsafeBufferPointer { wb in
            packed.withUnsafeMutableBytes { pb in
                absmax.withUnsafeMutableBytes { ab in
                    let src = FloatsIn(wb), po = RawOut(pb), ao = RawOut(ab)
                    // Blocks are 32 whole bytes, so workers on different blocks never share a byte.
                    QuantizeParallel.ranges(blocks, workPerItem: bs) { range in
                        for b in range {
                            let start = b * bs, count = min(bs, n - start)
                            var amax: Float = 0
                            for i in 0..<count { amax = max(amax, abs(src.p[start + i])) }
                            ao.p.storeBytes(of: amax, toByteOffset: 4 * b, as: Float.self)
                            let inv: Float = amax > 0 ? 1 / amax : 0
                            let out = (po.p + start / 2).assumingMemoryBound(to: UInt8.self)
                            for i in 0..<count {
                                let x = src.p[start + i] * inv
                                let c = nf4 ? BnbCodebooks.nf4Code(x) : BnbCodebooks.fp4Code(x)
                                out[i / 2] |= i & 1 == 0 ? c << 4 : c
                            }
                        }
                    }
                }
            }
        }
        var storedAbsmax: [UInt8], nested: [UInt8] = [], offset: Float = 0
        if doubleQuant {
            (storedAbsmax, nested, offset) = Self.compress(absmax)
        } else {
            storedAbsmax = Bnb4bitWeight.floatBytes(absmax)
        }
        return Bnb4bitWeight(rows: rows, cols: cols, dataType: dataType, doubleQuant: doubleQuant,
                             packed: packed, absmax: storedAbsmax, nestedAbsmax: nested, offset: offset)
    }

    /// Double quantization (`compress_statistics=True`): offset = mean(absmax); the residuals are
    /// quantized with `quantize_blockwise(blocksize=256)`: per 256 values an fp32 absmax and an
    /// 8-bit index of the nearest dynamic-map value of residual / absmax.
    static func compress(_ absmax: [Float]) -> (codes: [UInt8], nested: [UInt8], offset: Float) {
        let nb = Bnb4bitWeight.nestedBlockSize
        let offset = Float(absmax.reduce(0.0) { $0 + Double($1) } / Double(absmax.count))
        let residual = absmax.map { $0 - offset }
        let groups = (residual.count + nb - 1) / nb
        var codes = [UInt8](repeating: 0, count: residual.count)
        var nested = [UInt8](repeating: 0, count: 4 * groups)
        BnbCodebooks.dynamic.withUnsafeBufferPointer { dyn in
            for g in 0..<groups {
                let range = (g * nb)..<min(residual.count, (g + 1) * nb)
                let amax = residual[range].reduce(Float(0)) { max($0, abs($1)) }
                nested.putFloat(amax, at: 4 * g)
                let inv: Float = amax > 0 ? 1 / amax : 0
                for i in range { codes[i] = BnbCodebooks.nearest(residual[i] * inv, in: dyn) }
            }
        }
        return (codes, nested, offset)
    }
}
