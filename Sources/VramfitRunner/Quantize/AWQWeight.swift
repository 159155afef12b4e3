/// AWQ 4-bit, GEMM layout (AutoAWQ `WQLinear_GEMM`, `version: gemm`, the default and what vLLM's
/// AWQ and AWQ-Marlin loaders read). N = out_features (`rows`), K = in_features (`cols`),
/// g = group size (128), G = K / g.
///
/// Buffers (all little-endian):
/// - `qweight`: int32 `[K, N/8]`. Word (k, c) packs the 4-bit codes of W[8c + j, k] for j = 0..7
///   in AutoAWQ's interleaved order: nibble i (bits 4i..4i+3) holds output column
///   8c + [0, 2, 4, 6, 1, 3, 5, 7][i]; equivalently column 8c + j sits in nibble
///   [0, 4, 1, 5, 2, 6, 3, 7][j] (AWQ_REVERSE_ORDER).
/// - `qzeros`: int32 `[G, N/8]`, zero points packed the same way (true zeros, no offset).
/// - `scales`: fp16 `[G, N]`, row-major.
/// - W[n, k] = (q[n, k] − zero[k / g, n]) · scales[k / g, n]   (AutoAWQ `dequantize_gemm`).
///
/// Quantization is round-to-nearest with AutoAWQ's zero-point rule (`GroupwiseInt.Rule.awq`);
/// AutoAWQ requires N % 8 == 0 and K % g == 0, and so does this type.
public struct AWQWeight: TileDecodable, InputSliceMatvec {
    public let rows: Int
    public let cols: Int
    public let groupSize: Int
    let qweight: [UInt8]
    let qzeros: [UInt8]
    let scales: [UInt8]

    /// Nibble i of a packed word holds column `order[i]` of its group of 8 (AutoAWQ AWQ_ORDER).
    public static let order = [0, 2, 4, 6, 1, 3, 5, 7]
    /// The bit shift of column c within its word: nibble [0, 4, 1, 5, 2, 6, 3, 7][c % 8]
    /// (AWQ_REVERSE_ORDER), i.e. (j >> 1) | (j & 1) << 2 for j = c % 8.
    /// Byte → (low nibble, high nibble) as floats.
    static let nibblePairs: [SIMD2<Float>] = (0..<256).map { SIMD2(Float($0 & 15), Float($0 >> 4)) }

    @inline(__always) static func shift(_ c: Int) -> UInt32 {
        let j = c & 7
        return UInt32(4 * ((j >> 1) | (j & 1) << 2))
    }

    public var format: String { "int4-g\(groupSize)-awq" }
    public var buffers: [WeightBuffer] {
        [WeightBuffer(name: "qweight", bytes: qweight), WeightBuffer(name: "qzeros", bytes: qzeros), WeightBuffer(name: "scales", bytes: scales)]
    }
    var storageOrder: StorageOrder { .inputMajor }
    /// Quantization groups along the input (`InputSliceMatvec`: the unit of a core's input slice).
    var groupCount: Int { cols / groupSize }

    public init(rows: Int, cols: Int, groupSize: Int, qweight: [UInt8], qzeros: [UInt8], scales: [UInt8]) {
        let g = cols / groupSize
        precondition(rows % 8 == 0 && cols % groupSize == 0 && qweight.count == cols * rows / 2
                     && qzeros.count == g * rows / 2 && scales.count == g * rows * 2, "AWQWeight: buffer sizes")
        self.rows = rows; self.cols = cols; self.groupSize = groupSize
        self.qweight = qweight; self.qzeros = qzeros; self.scales = scales
    }

    struct Decoder: TileDecoder {
        let qw: UnsafeRawPointer, qz: UnsafeRawPointer, sc: UnsafeRawPointer, nib: UnsafePointer<SIMD2<Float>>, n: Int, groupSize: Int
        func decode(rows r0: Int, _ nr: Int, cols k0: Int, _ nk: Int, into out: UnsafeMutablePointer<Float>, rowStride: Int, colStride: Int) {
            let words = n / 8
            var k = k0
            let kEnd = k0 + nk
            // One group segment at a time: scale and zero·scale per output row are hoisted.
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * nr) { tmp in
                let s = tmp.baseAddress!, zs = s + nr
                while k < kEnd {
                    let g = k / groupSize
                    let segEnd = min(kEnd, (g + 1) * groupSize)
                    for i in 0..<nr {
                        let c = r0 + i
                        let z = (qz.u32(4 * (g * words + c / 8)) >> AWQWeight.shift(c)) & 0xF
                        s[i] = sc.f16(2 * (g * n + c))
                        zs[i] = Float(z) * s[i]
                    }
                    if r0 % 8 == 0 && nr % 8 == 0 && rowStride == 1 {
                        // Whole words: one int32 gives 8 consecutive columns. Byte b of the word
                        // holds nibbles 2b, 2b+1, i.e. columns (0,2), (4,6), (1,3), (5,7) for
                        // b = 0…3; a byte → (low, high) table turns each byte into two values
                        // (SSE2 has no per-lane shifts to do it in one vector).
                        for kk in k..<segEnd {
                            let o = out + (kk - k0) * colStride
                            let row = qw + 4 * (kk * words + r0 / 8)
                            for w in 0..<(nr / 8) {
                                let b = row + 4 * w
                                let t0 = nib[Int(b.u8(0))], t1 = nib[Int(b.u8(1))], t2 = nib[Int(b.u8(2))], t3 = nib[Int(b.u8(3))]
                                let q = SIMD8<Float>(t0[0], t2[0], t0[1], t2[1], t1[0], t3[0], t1[1], t3[1])
                                let sv = UnsafeRawPointer(s + 8 * w).loadUnaligned(as: SIMD8<Float>.self)
                                let zv = UnsafeRawPointer(zs + 8 * w).loadUnaligned(as: SIMD8<Float>.self)
                                UnsafeMutableRawPointer(o + 8 * w).storeBytes(of: q * sv - zv, as: SIMD8<Float>.self)
                            }
                        }
                    } else {
                        for kk in k..<segEnd {
                            let o = out + (kk - k0) * colStride
                            let row = qw + 4 * kk * words
                            for i in 0..<nr {
                                let c = r0 + i
                                let q = (row.u32(4 * (c / 8)) >> AWQWeight.shift(c)) & 0xF
                                o[i * rowStride] = Float(q) * s[i] - zs[i]
                            }
                        }
                    }
                    k = segEnd
                }
            }
        }
    }

    // MARK: decode (one token): a fused kernel

    /// y = W x for one token without the tile path: per group g and packed word,
    /// acc = Σ_{k in g} q[k, c] · x[k] in fp32, then y[c] += s[g, c] · (acc − z[g, c] · Σ_{k in g} x[k])
    /// — AutoAWQ's (q − z) · s with the zero and scale moved out of the inner loop, so a weight
    /// costs one mask, one int→float conversion and one multiply-add. The 8 nibbles of a word become
    /// floats without per-lane shifts (SSE2 has none): the word is splatted (its upper half shifted by
    /// 4 so every masked value stays below 2³¹), masked per lane, converted exactly (values < 2²⁸),
    /// and the lane's 2^(−4p) is folded into x once per k. Rows that do not start or end on a word
    /// (a caller's split) take the tile path.
    public func matvec(_ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>, rows range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "rows \(range) outside 0..<\(rows)")
        guard !range.isEmpty else { return }
        precondition(x.count >= cols && y.count >= range.upperBound, "matvec: x or y too short")
        let lo = (range.lowerBound + 7) / 8 * 8, hi = range.upperBound / 8 * 8
        func tiled(_ r: Range<Int>) {
            guard !r.isEmpty else { return }
            withDecoder { TileKernels.matvec($0, order: .inputMajor, cols: cols, x: x, y: y, rows: r) }
        }
        guard lo < hi else { return tiled(range) }
        tiled(range.lowerBound..<lo)
        tiled(hi..<range.upperBound)
        withBuffers { qw, qz, sc in
            Self.fusedMatvec(qw: qw, qz: qz, sc: sc, n: rows, k: cols, groupSize: groupSize,
                             x: x.baseAddress!, y: y.baseAddress!, words: (lo / 8)..<(hi / 8), groups: 0..<groupCount, block: 512)
        }
    }

    /// Partial y over every output row from the input columns of `groups` (see
    /// `CPUKernels.projectByInputSlices`): each group's rows of qweight are read front to back.
    func partialMatvec(_ x: UnsafeBufferPointer<Float>, groups: Range<Int>, into partial: UnsafeMutablePointer<Float>) {
        partial.initialize(repeating: 0, count: rows)
        guard !groups.isEmpty else { return }
        withBuffers { qw, qz, sc in
            Self.fusedMatvec(qw: qw, qz: qz, sc: sc, n: rows, k: cols, groupSize: groupSize,
                             x: x.baseAddress!, y: partial, words: 0..<(rows / 8), groups: groups, block: rows / 8)
        }
    }

    /// Lane c of a word's SIMD8 is output column 8w + c, stored in nibble [0, 4, 1, 5, 2, 6, 3, 7][c].
    /// Lanes 0–3 read the word, lanes 4–7 the word shifted right by 4 (nibbles 2, 6, 3, 7 → bit
    /// positions 4, 20, 8, 24).
    static let laneMasks = SIMD8<UInt32>(0xF, 0xF << 16, 0xF << 4, 0xF << 20, 0xF << 4, 0xF << 20, 0xF << 8, 0xF << 24)
    static let laneScales = SIMD8<Float>(1, 0x1p-16, 0x1p-4, 0x1p-20, 0x1p-4, 0x1p-20, 0x1p-8, 0x1p-24)

    /// `masks` is `laneMasks`, passed in: reading a static inside the loop costs a `swift_once`
    /// check per word (9 % of a decode step's samples under perf before it was hoisted).
    @inline(__always)
    static func lanes(_ word: UInt32, _ masks: SIMD8<UInt32>) -> SIMD8<Float> {
        let v = SIMD8<UInt32>(lowHalf: SIMD4(repeating: word), highHalf: SIMD4(repeating: word >> 4)) & masks
        return SIMD8<Float>(SIMD8<Int32>(truncatingIfNeeded: v))
    }

    /// y[8w..<8w+8] = Σ over `groups` for the words in `words`, `block` words at a time (acc and
    /// out: 2 · block · 32 B of scratch; whole rows when the caller can, see partialMatvec).
    static func fusedMatvec(qw: UnsafeRawPointer, qz: UnsafeRawPointer, sc: UnsafeRawPointer, n: Int, k: Int, groupSize gs: Int,
                            x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, words: Range<Int>, groups: Range<Int>, block: Int) {
        let rowWords = n / 8, masks = laneMasks, laneScale = laneScales
        withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: 2 * block) { buf in
            let acc = buf.baseAddress!, out = acc + block
            var w0 = words.lowerBound
            while w0 < words.upperBound {
                let nw = min(block, words.upperBound - w0)
                out.initialize(repeating: .zero, count: nw)
                for g in groups {
                    acc.initialize(repeating: .zero, count: nw)
                    var xsum: Float = 0
                    for kk in (g * gs)..<((g + 1) * gs) {
                        let xk = x[kk]
                        xsum += xk
                        let xs = laneScale * xk
                        let row = qw + 4 * (kk * rowWords + w0)
                        for j in 0..<nw { acc[j] += lanes(row.u32(4 * j), masks) * xs }
                    }
                    let zrow = qz + 4 * (g * rowWords + w0)
                    for j in 0..<nw {
                        let zero = lanes(zrow.u32(4 * j), masks) * laneScale
                        let h = UnsafeRawPointer(sc + 2 * (g * n + 8 * (w0 + j))).loadUnaligned(as: SIMD8<UInt16>.self)
                        out[j] += VectorConvert.halfToFloat(h) * (acc[j] - zero * xsum)
                    }
                }
                for j in 0..<nw { UnsafeMutableRawPointer(y + 8 * (w0 + j)).storeBytes(of: out[j], as: SIMD8<Float>.self) }
                w0 += nw
            }
        }
    }

    /// The three packed buffers' bytes, for the tile decoder and the fused decode kernel alike.
    func withBuffers<R>(_ body: (_ qweight: UnsafeRawPointer, _ qzeros: UnsafeRawPointer, _ scales: UnsafeRawPointer) -> R) -> R {
        qweight.withUnsafeBytes { w in
            qzeros.withUnsafeBytes { z in
                scales.withUnsafeBytes { s in body(w.baseAddress!, z.baseAddress!, s.baseAddress!) }
            }
        }
    }

    func withDecoder<R>(_ body: (Decoder) -> R) -> R {
        withBuffers { qw, qz, sc in
            Self.nibblePairs.withUnsafeBufferPointer { t in
                body(Decoder(qw: qw, qz: qz, sc: sc, nib: t.baseAddress!, n: rows, groupSize: groupSize))
            }
        }
    }
}

public struct AWQQuantizer: WeightQuantizer {
    public let groupSize: Int
    public init(groupSize: Int = 128) { self.groupSize = groupSize }
    public var format: String { "int4-g\(groupSize)-awq" }

    public func quantize(_ w: [Float], rows n: Int, cols k: Int) throws(QuantizeError) -> any QuantizedWeight {
        try QuantizeChecks.shape(w, rows: n, cols: k, format: format)
        guard n % 8 == 0 else { throw .unsupportedShape(format: format, rows: n, cols: k, reason: "AWQ packs 8 output columns per int32, so out_features must be a multiple of 8") }
        guard groupSize > 0, k % groupSize == 0 else {
            throw .unsupportedShape(format: format, rows: n, cols: k, reason: "AWQ needs in_features to be a multiple of the group size \(groupSize)")
        }
        let g = k / groupSize, words = n / 8, gs = groupSize
        var qweight = [UInt8](repeating: 0, count: k * words * 4)
        var qzeros = [UInt8](repeating: 0, count: g * words * 4)
        var scales = [UInt8](repeating: 0, count: g * n * 2)
        w.withUnsafeBufferPointer { wb in
            qweight.withUnsafeMutableBytes { qwb in
                qzeros.withUnsafeMutableBytes { qzb in
                    scales.withUnsafeMutableBytes { sb in
                        let src = FloatsIn(wb), qwo = RawOut(qwb), qzo = RawOut(qzb), so = RawOut(sb)
                        // Ranges of whole 8-column words: no two workers touch one int32.
                        QuantizeParallel.ranges(n, granule: 8, workPerItem: k) { range in
                            for c in range {
                                let row = src.p + c * k
                                let shift = AWQWeight.shift(c)
                                for grp in 0..<g {
                                    let fit = GroupwiseInt.fit(count: gs, bits: 4, rule: .awq, value: { row[grp * gs + $0] }) { i, q in
                                        let p = (qwo.p + 4 * ((grp * gs + i) * words + c / 8)).assumingMemoryBound(to: UInt32.self)
                                        p.pointee |= UInt32(q) << shift
                                    }
                                    so.p.storeBytes(of: fit.scaleBits, toByteOffset: 2 * (grp * n + c), as: UInt16.self)
                                    let z = (qzo.p + 4 * (grp * words + c / 8)).assumingMemoryBound(to: UInt32.self)
                                    z.pointee |= UInt32(fit.zero) << shift
                                }
                            }
                        }
                    }
                }
            }
        }
        return AWQWeight(rows: n, cols: k, groupSize: gs, qweight: qweight, qzeros: qzeros, scales: scales)
    }
}
