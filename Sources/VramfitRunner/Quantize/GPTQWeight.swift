/// GPTQ group-wise integer weights, checkpoint_format "gptq" (v1) as AutoGPTQ / GPTQModel write
/// them and vLLM's GPTQ, ExLlama and GPTQ-Marlin loaders read them. N = out_features (`rows`),
/// K = in_features (`cols`), b = bits (4 or 8), p = 32 / b codes per int32, g = group size,
/// G = ⌈K / g⌉.
///
/// Buffers (all little-endian):
/// - `qweight`: int32 `[⌈K/p⌉, N]`, packed along the INPUT dimension: word (i, n) holds the code
///   of W[n, k = i·p + j] in bits b·j … b·j + b − 1 (j = 0 … p−1; padding codes are 0).
/// - `qzeros`: int32 `[G, ⌈N/p⌉]`, packed along the OUTPUT dimension: word (g, c) holds
///   zero[g, n = c·p + j] − 1 in bits b·j … (v1 stores zero − 1; readers add 1).
/// - `scales`: fp16 `[G, N]`, row-major.
/// - `g_idx`: int32 `[K]`, the group of each input channel: k / g without act-order; with
///   act-order (desc_act) channels are grouped in descending order of importance, so g_idx is a
///   permutation's inverse divided by g (non-monotonic). qweight stays in the original channel
///   order either way.
/// - W[n, k] = (q[n, k] − (qzeros[g_idx[k], n] + 1)) · scales[g_idx[k], n].
///
/// Quantization is round-to-nearest with GPTQ's min/max zero-point rule (`GroupwiseInt.Rule.gptqV1`),
/// without the Hessian error feedback (no calibration data). Act-order needs a per-channel
/// importance (GPTQ uses the Hessian diagonal, Σ x_k² over calibration tokens); callers may pass
/// one, otherwise the column energy Σ_n W[n, k]² stands in — deterministic, and like the Hessian
/// diagonal it puts the high-magnitude channels first.
public struct GPTQWeight: TileDecodable {
    public let rows: Int
    public let cols: Int
    public let bits: Int
    public let groupSize: Int
    public let actOrder: Bool
    let qweight: [UInt8]
    let qzeros: [UInt8]
    let scales: [UInt8]
    let gIdx: [UInt8]

    public var format: String { "int\(bits)-g\(groupSize)-gptq\(actOrder ? "-actorder" : "")" }
    public var buffers: [WeightBuffer] {
        [WeightBuffer(name: "qweight", bytes: qweight), WeightBuffer(name: "qzeros", bytes: qzeros),
         WeightBuffer(name: "scales", bytes: scales), WeightBuffer(name: "g_idx", bytes: gIdx)]
    }
    var storageOrder: StorageOrder { .inputMajor }
    var perWord: Int { 32 / bits }
    var groups: Int { (cols + groupSize - 1) / groupSize }

    public init(rows: Int, cols: Int, bits: Int, groupSize: Int, actOrder: Bool,
                qweight: [UInt8], qzeros: [UInt8], scales: [UInt8], gIdx: [UInt8]) {
        let p = 32 / bits, g = (cols + groupSize - 1) / groupSize
        precondition(qweight.count == (cols + p - 1) / p * rows * 4 && qzeros.count == g * ((rows + p - 1) / p) * 4
                     && scales.count == g * rows * 2 && gIdx.count == cols * 4, "GPTQWeight: buffer sizes")
        self.rows = rows; self.cols = cols; self.bits = bits; self.groupSize = groupSize; self.actOrder = actOrder
        self.qweight = qweight; self.qzeros = qzeros; self.scales = scales; self.gIdx = gIdx
    }

    struct Decoder: TileDecoder {
        let qw: UnsafeRawPointer, qz: UnsafeRawPointer, sc: UnsafeRawPointer, gi: UnsafeRawPointer
        let n: Int, bits: Int, groupSize: Int, actOrder: Bool

        func decode(rows r0: Int, _ nr: Int, cols k0: Int, _ nk: Int, into out: UnsafeMutablePointer<Float>, rowStride: Int, colStride: Int) {
            // p = 32 / bits is 8 or 4: shifts and masks, never an integer division per weight.
            let p = 32 / bits, pShift = bits == 4 ? 3 : 2, mask = UInt32((1 << bits) - 1), zw = (n + p - 1) / p
            @inline(__always) func zero(_ g: Int, _ c: Int) -> Float {
                Float(((qz.u32(4 * (g * zw + c >> pShift)) >> UInt32(bits * (c & (p - 1)))) & mask) + 1)
            }
            @inline(__always) func code(_ k: Int, _ c: Int) -> Float {
                Float((qw.u32(4 * ((k >> pShift) * n + c)) >> UInt32(bits * (k & (p - 1)))) & mask)
            }
            if actOrder && nr == 16 && rowStride == 1 && r0 % 8 == 0 {
                // A transposed 16-row tile: per k, 16 scales (32 contiguous bytes of fp16), 16 zeros
                // (2 words of nibbles or 4 of bytes, natural order) and 16 codes (16 words, one
                // shift). Scales and zeros go through a 32-float scratch in plain loops (which the
                // compiler vectorises) rather than SIMD widening conversions.
                withUnsafeTemporaryAllocation(of: Float.self, capacity: 32) { tmp in
                    let st = tmp.baseAddress!, zt = st + 16
                    for k in k0..<(k0 + nk) {
                        let g = Int(gi.u32(4 * k))
                        let sp = (sc + 2 * (g * n + r0)).assumingMemoryBound(to: UInt16.self)
                        for m in 0..<16 { st[m] = FloatBits.halfToFloat(sp[m]) }
                        let zp = (qz + 4 * (g * zw + r0 >> pShift)).assumingMemoryBound(to: UInt8.self)
                        if bits == 4 {
                            for m in 0..<8 { zt[2 * m] = Float(zp[m] & 0xF) + 1; zt[2 * m + 1] = Float(zp[m] >> 4) + 1 }
                        } else {
                            for m in 0..<16 { zt[m] = Float(zp[m]) + 1 }
                        }
                        let words = (qw + 4 * ((k >> pShift) * n + r0)).loadUnaligned(as: SIMD16<UInt32>.self)
                        let q = SIMD16<Float>(SIMD16<Int32>(truncatingIfNeeded: (words &>> UInt32(bits * (k & (p - 1)))) & mask))
                        let sv = UnsafeRawPointer(st).loadUnaligned(as: SIMD16<Float>.self)
                        let zv = UnsafeRawPointer(zt).loadUnaligned(as: SIMD16<Float>.self)
                        UnsafeMutableRawPointer(out + (k - k0) * colStride).storeBytes(of: (q - zv) * sv, as: SIMD16<Float>.self)
                    }
                }
                return
            }
            if actOrder {
                for k in k0..<(k0 + nk) {
                    let g = Int(gi.u32(4 * k))
                    let o = out + (k - k0) * colStride
                    for i in 0..<nr {
                        let c = r0 + i
                        o[i * rowStride] = (code(k, c) - zero(g, c)) * sc.f16(2 * (g * n + c))
                    }
                }
                return
            }
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * nr) { tmp in
                let s = tmp.baseAddress!, zs = s + nr
                var k = k0
                while k < k0 + nk {
                    let g = k / groupSize
                    let segEnd = min(k0 + nk, (g + 1) * groupSize)
                    for i in 0..<nr {
                        s[i] = sc.f16(2 * (g * n + r0 + i))
                        zs[i] = zero(g, r0 + i) * s[i]
                    }
                    if nr == 16 && rowStride == 1 {
                        // A transposed 16-row tile: 16 consecutive words per k, one shift for all.
                        let sv = UnsafeRawPointer(s).loadUnaligned(as: SIMD16<Float>.self)
                        let zv = UnsafeRawPointer(zs).loadUnaligned(as: SIMD16<Float>.self)
                        for kk in k..<segEnd {
                            let words = (qw + 4 * ((kk >> pShift) * n + r0)).loadUnaligned(as: SIMD16<UInt32>.self)
                            let q = (words &>> UInt32(bits * (kk & (p - 1)))) & mask
                            let v = SIMD16<Float>(SIMD16<Int32>(truncatingIfNeeded: q)) * sv - zv
                            UnsafeMutableRawPointer(out + (kk - k0) * colStride).storeBytes(of: v, as: SIMD16<Float>.self)
                        }
                    } else {
                        for kk in k..<segEnd {
                            let o = out + (kk - k0) * colStride
                            let word = qw + 4 * ((kk >> pShift) * n + r0)
                            let shift = UInt32(bits * (kk & (p - 1)))
                            for i in 0..<nr { o[i * rowStride] = Float((word.u32(4 * i) >> shift) & mask) * s[i] - zs[i] }
                        }
                    }
                    k = segEnd
                }
            }
        }
    }

    func withDecoder<R>(_ body: (Decoder) -> R) -> R {
        qweight.withUnsafeBytes { w in
            qzeros.withUnsafeBytes { z in
                scales.withUnsafeBytes { s in
                    gIdx.withUnsafeBytes { g in
                        body(Decoder(qw: w.baseAddress!, qz: z.baseAddress!, sc: s.baseAddress!, gi: g.baseAddress!,
                                     n: rows, bits: bits, groupSize: groupSize, actOrder: actOrder))
                    }
                }
            }
        }
    }
}

public struct GPTQQuantizer: WeightQuantizer {
    public let bits: Int
    public let groupSize: Int
    public let actOrder: Bool
    /// Per-input-channel importance for act-order (e.g. Σ x_k² over calibration activations);
    /// nil: the column energy of W.
    public let channelImportance: [Float]?

    public init(bits: Int = 4, groupSize: Int = 128, actOrder: Bool = false, channelImportance: [Float]? = nil) {
        self.bits = bits; self.groupSize = groupSize; self.actOrder = actOrder; self.channelImportance = channelImportance
    }
    public var format: String { "int\(bits)-g\(groupSize)-gptq\(actOrder ? "-actorder" : "")" }

    public func quantize(_ w: [Float], rows n: Int, cols k: Int) throws(QuantizeError) -> any QuantizedWeight {
        try QuantizeChecks.shape(w, rows: n, cols: k, format: format)
        guard bits == 4 || bits == 8 else { throw .unsupportedShape(format: format, rows: n, cols: k, reason: "only 4- and 8-bit GPTQ are implemented") }
        guard groupSize > 0 else { throw .unsupportedShape(format: format, rows: n, cols: k, reason: "group size must be positive") }
        if let imp = channelImportance, imp.count != k {
            throw .unsupportedShape(format: format, rows: n, cols: k, reason: "channel importance has \(imp.count) values, in_features is \(k)")
        }
        let p = 32 / bits, gs = groupSize, g = (k + gs - 1) / gs, zw = (n + p - 1) / p
        let perm = actOrder ? Self.order(w, rows: n, cols: k, importance: channelImportance) : Array(0..<k)
        var gIdx = [UInt8](repeating: 0, count: 4 * k)
        for (pos, ch) in perm.enumerated() { gIdx.putLE32(UInt32(pos / gs), at: 4 * ch) }
        var qweight = [UInt8](repeating: 0, count: (k + p - 1) / p * n * 4)
        var qzeros = [UInt8](repeating: 0, count: g * zw * 4)
        var scales = [UInt8](repeating: 0, count: g * n * 2)
        let bits = self.bits
        perm.withUnsafeBufferPointer { pb in
            w.withUnsafeBufferPointer { wb in
                qweight.withUnsafeMutableBytes { qwb in
                    qzeros.withUnsafeMutableBytes { qzb in
                        scales.withUnsafeMutableBytes { sb in
                            let src = FloatsIn(wb), qwo = RawOut(qwb), qzo = RawOut(qzb), so = RawOut(sb)
                            let order = IntsIn(pb)
                            QuantizeParallel.ranges(n, granule: 8, workPerItem: k) { range in
                                for c in range {
                                    let row = src.p + c * k
                                    for grp in 0..<g {
                                        let start = grp * gs, count = min(gs, k - start)
                                        let fit = GroupwiseInt.fit(count: count, bits: bits, rule: .gptqV1, value: { row[order.p[start + $0]] }) { i, q in
                                            let ch = order.p[start + i]
                                            let word = (qwo.p + 4 * ((ch / p) * n + c)).assumingMemoryBound(to: UInt32.self)
                                            word.pointee |= UInt32(q) << UInt32(bits * (ch % p))
                                        }
                                        so.p.storeBytes(of: fit.scaleBits, toByteOffset: 2 * (grp * n + c), as: UInt16.self)
                                        let z = (qzo.p + 4 * (grp * zw + c / p)).assumingMemoryBound(to: UInt32.self)
                                        z.pointee |= UInt32(fit.zero - 1) << UInt32(bits * (c % p))
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return GPTQWeight(rows: n, cols: k, bits: bits, groupSize: gs, actOrder: actOrder,
                          qweight: qweight, qzeros: qzeros, scales: scales, gIdx: gIdx)
    }

    /// Input channels by descending importance (ties: lower index first), GPTQ's
    /// `torch.argsort(torch.diag(H), descending=True)`.
    static func order(_ w: [Float], rows n: Int, cols k: Int, importance: [Float]?) -> [Int] {
        var energy = importance.map { $0.map(Double.init) } ?? [Double](repeating: 0, count: k)
        if importance == nil {
            for r in 0..<n { for c in 0..<k { let v = Double(w[r * k + c]); energy[c] += v * v } }
        }
        return (0..<k).sorted { energy[$0] != energy[$1] ? energy[$0] > energy[$1] : $0 < $1 }
    }
}

/// A read-only view of Ints handed to workers.
struct IntsIn: @unchecked Sendable {
    let p: UnsafePointer<Int>
    init(_ b: UnsafeBufferPointer<Int>) { p = b.baseAddress! }
}
