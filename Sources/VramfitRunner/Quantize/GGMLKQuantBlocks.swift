/// ggml's 256-weight K-quant super-blocks (QK_K = 256), byte for byte as ggml/src/ggml-common.h
/// declares them, with ggml-quants.c's reference quantizers (`quantize_row_q{4,5,6}_K_ref`, the
/// path llama-quantize takes without an importance matrix, including its `make_qkx2_quants` /
/// `make_qx_quants` scale searches, ported operation for operation) and `dequantize_row_*`.
///
/// block_q4_K (144 B): d fp16 @0, dmin fp16 @2, scales[12] @4, qs[128] @16.
///   8 sub-blocks of 32, each with a 6-bit scale sc and 6-bit min m (`get_scale_min_k4`:
///   j < 4: sc = scales[j] & 63, m = scales[j+4] & 63; j ≥ 4: sc = scales[j+4] & 0xF |
///   (scales[j−4] >> 6) << 4, m = scales[j+4] >> 4 | (scales[j] >> 6) << 4).
///   Element 64c + l (l < 32) = d·sc(2c)·(qs[32c+l] & 0xF) − dmin·m(2c);
///   element 64c + 32 + l = d·sc(2c+1)·(qs[32c+l] >> 4) − dmin·m(2c+1).
/// block_q5_K (176 B): d @0, dmin @2, scales[12] @4, qh[32] @16, qs[128] @48. As Q4_K, with a
///   fifth bit: element 64c + l adds 16 when qh[l] & (1 << 2c), element 64c + 32 + l when
///   qh[l] & (2 << 2c).
/// block_q6_K (210 B): ql[128] @0, qh[64] @128, scales int8[16] @192, d fp16 @208. For half
///   h (elements 128h …) and l < 32, with ql' = ql + 64h, qh' = qh + 32h, sc' = scales + 8h:
///   q1 = (ql'[l] & 0xF | (qh'[l] & 3) << 4) − 32 → element 128h + l, scale sc'[l/16];
///   q2 = (ql'[l+32] & 0xF | (qh'[l] >> 2 & 3) << 4) − 32 → 128h + 32 + l, sc'[l/16 + 2];
///   q3 = (ql'[l] >> 4 | (qh'[l] >> 4 & 3) << 4) − 32 → 128h + 64 + l, sc'[l/16 + 4];
///   q4 = (ql'[l+32] >> 4 | (qh'[l] >> 6 & 3) << 4) − 32 → 128h + 96 + l, sc'[l/16 + 6];
///   value = d · sc · q.
enum GGMLKQuantBlocks {
    static let groupMaxEps: Float = 1e-15

    /// ggml `nearest_int`, the same trick: adding 1.5·2^23 rounds to an integer (half to even) in
    /// the float's low mantissa bits (valid for |f| ≤ 2^22 − 1, as ggml asserts). Also much faster
    /// than `rounded(.toNearestOrEven)`, a library call on the baseline x86-64 target (no SSE4.1).
    @inline(__always) static func nearestInt(_ f: Float) -> Int {
        Int(Int32(bitPattern: (f + 12_582_912).bitPattern & 0x007F_FFFF) - 0x0040_0000)
    }

    @inline(__always)
    static func scaleMinK4(_ j: Int, _ q: UnsafeRawPointer) -> (sc: UInt8, m: UInt8) {
        if j < 4 { return (q.u8(j) & 63, q.u8(j + 4) & 63) }
        return ((q.u8(j + 4) & 0xF) | ((q.u8(j - 4) >> 6) << 4), (q.u8(j + 4) >> 4) | ((q.u8(j) >> 6) << 4))
    }

    // MARK: make_qkx2_quants

    /// Fits x ≈ scale·L − min over n values with weights, L in 0...nmax: a grid of nstep + 1
    /// trial inverse scales, each refined by weighted least squares; returns (scale, −min).
    static func makeQkx2(_ n: Int, _ nmax: Int, _ x: UnsafePointer<Float>, _ weights: UnsafePointer<Float>,
                         _ L: UnsafeMutablePointer<UInt8>, _ laux: UnsafeMutablePointer<UInt8>,
                         rmin: Float, rdelta: Float, nstep: Int, useMad: Bool) -> (scale: Float, theMin: Float) {
        var mn = x[0], mx = x[0]
        var sumW = weights[0]
        var sumX = sumW * x[0]
        for i in 1..<n {
            if x[i] < mn { mn = x[i] }
            if x[i] > mx { mx = x[i] }
            let w = weights[i]
            sumW += w
            sumX += w * x[i]
        }
        if mn > 0 { mn = 0 }
        if mx == mn {
            for i in 0..<n { L[i] = 0 }
            return (0, -mn)
        }
        let fmax = Float(nmax)
        var iscale = fmax / (mx - mn)
        var scale = 1 / iscale
        var bestError: Float = 0
        for i in 0..<n {
            let l = nearestInt(iscale * (x[i] - mn))
            L[i] = UInt8(max(0, min(nmax, l)))
            var diff = scale * Float(L[i]) + mn - x[i]
            diff = useMad ? abs(diff) : diff * diff
            bestError += weights[i] * diff
        }
        if nstep < 1 { return (scale, -mn) }
        for step in 0...nstep {
            iscale = (rmin + rdelta * Float(step) + fmax) / (mx - mn)
            var sumL: Float = 0, sumL2: Float = 0, sumXL: Float = 0
            for i in 0..<n {
                let l = max(0, min(nmax, nearestInt(iscale * (x[i] - mn))))
                laux[i] = UInt8(l)
                let w = weights[i], fl = Float(l)
                sumL += w * fl
                sumL2 += w * fl * fl
                sumXL += w * fl * x[i]
            }
            let D = sumW * sumL2 - sumL * sumL
            if D > 0 {
                var thisScale = (sumW * sumXL - sumX * sumL) / D
                var thisMin = (sumL2 * sumX - sumL * sumXL) / D
                if thisMin > 0 {
                    thisMin = 0
                    thisScale = sumXL / sumL2
                }
                var curError: Float = 0
                for i in 0..<n {
                    var diff = thisScale * Float(laux[i]) + thisMin - x[i]
                    diff = useMad ? abs(diff) : diff * diff
                    curError += weights[i] * diff
                }
                if curError < bestError {
                    for i in 0..<n { L[i] = laux[i] }
                    bestError = curError
                    scale = thisScale
                    mn = thisMin
                }
            }
        }
        return (scale, -mn)
    }

    // MARK: make_qx_quants (rmse_type 1, no importance weights: w = x²)

    static func makeQx(_ n: Int, _ nmax: Int, _ x: UnsafePointer<Float>, _ L: UnsafeMutablePointer<Int8>) -> Float {
        var mx: Float = 0, amax: Float = 0
        for i in 0..<n {
            let ax = abs(x[i])
            if ax > amax { amax = ax; mx = x[i] }
        }
        if amax < groupMaxEps {
            for i in 0..<n { L[i] = 0 }
            return 0
        }
        let fmax = Float(nmax)
        var iscale = -fmax / mx
        var sumLX: Float = 0, sumL2: Float = 0
        for i in 0..<n {
            let l = max(-nmax, min(nmax - 1, nearestInt(iscale * x[i])))
            L[i] = Int8(l + nmax)
            let w = x[i] * x[i], fl = Float(l)
            sumLX += w * x[i] * fl
            sumL2 += w * fl * fl
        }
        var scale: Float = sumL2 != 0 ? sumLX / sumL2 : 0
        var best = scale * sumLX
        for step in -9...9 where step != 0 {
            iscale = -(fmax + 0.1 * Float(step)) / mx
            sumLX = 0; sumL2 = 0
            for i in 0..<n {
                let l = max(-nmax, min(nmax - 1, nearestInt(iscale * x[i])))
                let w = x[i] * x[i], fl = Float(l)
                sumLX += w * x[i] * fl
                sumL2 += w * fl * fl
            }
            if sumL2 > 0 && sumLX * sumLX > best * sumL2 {
                for i in 0..<n { L[i] = Int8(nmax + max(-nmax, min(nmax - 1, nearestInt(iscale * x[i])))) }
                scale = sumLX / sumL2
                best = scale * sumLX
            }
        }
        return scale
    }

    // MARK: Q4_K / Q5_K

    /// `quantize_row_q4_K_ref` (bits 4) and `quantize_row_q5_K_ref` (bits 5) for one super-block.
    static func quantizeQxK(bits: Int, _ x: UnsafePointer<Float>, _ y: UnsafeMutableRawPointer) {
        let nmax = (1 << bits) - 1
        let (rmin, rdelta, nstep): (Float, Float, Int) = bits == 4 ? (-1, 0.1, 20) : (-0.5, 0.1, 15)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256 + 32 + 12) { lb in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 32 + 8 + 8) { fb in
                let L = lb.baseAddress!, laux = L + 256, sc12 = laux + 32
                let weights = fb.baseAddress!, mins = weights + 32, scales = mins + 8
                var maxScale: Float = 0, maxMin: Float = 0
                for j in 0..<8 {
                    let xs = x + 32 * j
                    var sumX2: Float = 0
                    for l in 0..<32 { sumX2 += xs[l] * xs[l] }
                    let avX = (sumX2 / 32).squareRoot()
                    for l in 0..<32 { weights[l] = avX + abs(xs[l]) }
                    let r = makeQkx2(32, nmax, xs, weights, L + 32 * j, laux, rmin: rmin, rdelta: rdelta, nstep: nstep, useMad: false)
                    scales[j] = r.scale; mins[j] = r.theMin
                    if r.scale > maxScale { maxScale = r.scale }
                    if r.theMin > maxMin { maxMin = r.theMin }
                }
                let invScale: Float = maxScale > 0 ? 63 / maxScale : 0
                let invMin: Float = maxMin > 0 ? 63 / maxMin : 0
                sc12.initialize(repeating: 0, count: 12)
                for j in 0..<8 {
                    let ls = min(63, UInt8(truncatingIfNeeded: nearestInt(invScale * scales[j])))
                    let lm = min(63, UInt8(truncatingIfNeeded: nearestInt(invMin * mins[j])))
                    if j < 4 {
                        sc12[j] = ls; sc12[j + 4] = lm
                    } else {
                        sc12[j + 4] = (ls & 0xF) | ((lm & 0xF) << 4)
                        sc12[j - 4] |= (ls >> 4) << 6
                        sc12[j] |= (lm >> 4) << 6
                    }
                }
                let dBits = FloatBits.floatToHalf(maxScale / 63), mBits = FloatBits.floatToHalf(maxMin / 63)
                y.storeBytes(of: dBits, as: UInt16.self)
                y.storeBytes(of: mBits, toByteOffset: 2, as: UInt16.self)
                (y + 4).copyMemory(from: sc12, byteCount: 12)
                let dAll = FloatBits.halfToFloat(dBits), mAll = FloatBits.halfToFloat(mBits)
                for j in 0..<8 {
                    let (sc, m) = scaleMinK4(j, UnsafeRawPointer(y + 4))
                    let d = dAll * Float(sc)
                    if d == 0 { continue }
                    let dm = mAll * Float(m)
                    for ii in 0..<32 { L[32 * j + ii] = UInt8(max(0, min(nmax, nearestInt((x[32 * j + ii] + dm) / d)))) }
                }
                if bits == 4 {
                    for c in 0..<4 {
                        for l in 0..<32 { y.storeBytes(of: L[64 * c + l] | L[64 * c + l + 32] << 4, toByteOffset: 16 + 32 * c + l, as: UInt8.self) }
                    }
                } else {
                    let qh = y + 16, ql = y + 48
                    qh.initializeMemory(as: UInt8.self, repeating: 0, count: 32)
                    var m1: UInt8 = 1, m2: UInt8 = 2
                    for c in 0..<4 {
                        for j in 0..<32 {
                            var l1 = L[64 * c + j], l2 = L[64 * c + j + 32]
                            if l1 > 15 { l1 -= 16; qh.storeBytes(of: qh.load(fromByteOffset: j, as: UInt8.self) | m1, toByteOffset: j, as: UInt8.self) }
                            if l2 > 15 { l2 -= 16; qh.storeBytes(of: qh.load(fromByteOffset: j, as: UInt8.self) | m2, toByteOffset: j, as: UInt8.self) }
                            ql.storeBytes(of: l1 | l2 << 4, toByteOffset: 32 * c + j, as: UInt8.self)
                        }
                        m1 <<= 2; m2 <<= 2
                    }
                }
            }
        }
    }

    @inline(__always)
    static func dequantizeQ4_K(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = b.f16(0), mn = b.f16(2)
        let sc = b + 4, q = b + 16
        for c in 0..<4 {
            let (s1, m1) = scaleMinK4(2 * c, sc), (s2, m2) = scaleMinK4(2 * c + 1, sc)
            let d1 = d * Float(s1), mm1 = mn * Float(m1), d2 = d * Float(s2), mm2 = mn * Float(m2)
            for l in 0..<32 {
                let v = q.u8(32 * c + l)
                y[64 * c + l] = d1 * Float(v & 0xF) - mm1
                y[64 * c + 32 + l] = d2 * Float(v >> 4) - mm2
            }
        }
    }

    @inline(__always)
    static func dequantizeQ5_K(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = b.f16(0), mn = b.f16(2)
        let sc = b + 4, qh = b + 16, ql = b + 48
        var u1: UInt8 = 1, u2: UInt8 = 2
        for c in 0..<4 {
            let (s1, m1) = scaleMinK4(2 * c, sc), (s2, m2) = scaleMinK4(2 * c + 1, sc)
            let d1 = d * Float(s1), mm1 = mn * Float(m1), d2 = d * Float(s2), mm2 = mn * Float(m2)
            for l in 0..<32 {
                let v = ql.u8(32 * c + l), h = qh.u8(l)
                y[64 * c + l] = d1 * Float(Int(v & 0xF) + (h & u1 != 0 ? 16 : 0)) - mm1
                y[64 * c + 32 + l] = d2 * Float(Int(v >> 4) + (h & u2 != 0 ? 16 : 0)) - mm2
            }
            u1 <<= 2; u2 <<= 2
        }
    }

    // MARK: Q6_K

    /// `quantize_row_q6_K_ref` for one super-block.
    static func quantizeQ6_K(_ x: UnsafePointer<Float>, _ y: UnsafeMutableRawPointer) {
        withUnsafeTemporaryAllocation(of: Int8.self, capacity: 256) { lb in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: 16) { sb in
                let L = lb.baseAddress!, scales = sb.baseAddress!
                var maxScale: Float = 0, maxAbsScale: Float = 0
                for ib in 0..<16 {
                    let s = makeQx(16, 32, x + 16 * ib, L + 16 * ib)
                    scales[ib] = s
                    if abs(s) > maxAbsScale { maxAbsScale = abs(s); maxScale = s }
                }
                if maxAbsScale < groupMaxEps {
                    y.initializeMemory(as: UInt8.self, repeating: 0, count: 210)
                    return
                }
                let iscale = -128 / maxScale
                let dBits = FloatBits.floatToHalf(1 / iscale)
                y.storeBytes(of: dBits, toByteOffset: 208, as: UInt16.self)
                for ib in 0..<16 {
                    y.storeBytes(of: Int8(truncatingIfNeeded: min(127, nearestInt(iscale * scales[ib]))), toByteOffset: 192 + ib, as: Int8.self)
                }
                let dAll = FloatBits.halfToFloat(dBits)
                for j in 0..<16 {
                    let d = dAll * Float(y.load(fromByteOffset: 192 + j, as: Int8.self))
                    if d == 0 { continue }
                    for ii in 0..<16 { L[16 * j + ii] = Int8(max(-32, min(31, nearestInt(x[16 * j + ii] / d))) + 32) }
                }
                for h in 0..<2 {
                    let ql = y + 64 * h, qh = y + 128 + 32 * h
                    let Lh = UnsafeRawPointer(L + 128 * h).assumingMemoryBound(to: UInt8.self)
                    for l in 0..<32 {
                        let q1 = Lh[l] & 0xF, q2 = Lh[l + 32] & 0xF, q3 = Lh[l + 64] & 0xF, q4 = Lh[l + 96] & 0xF
                        ql.storeBytes(of: q1 | q3 << 4, toByteOffset: l, as: UInt8.self)
                        ql.storeBytes(of: q2 | q4 << 4, toByteOffset: l + 32, as: UInt8.self)
                        let hb = (Lh[l] >> 4) | (Lh[l + 32] >> 4) << 2 | (Lh[l + 64] >> 4) << 4 | (Lh[l + 96] >> 4) << 6
                        qh.storeBytes(of: hb, toByteOffset: l, as: UInt8.self)
                    }
                }
            }
        }
    }

    @inline(__always)
    static func dequantizeQ6_K(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        // dequantize_row_q6_K, regrouped into runs of 16 elements that share one scale so each
        // run is a plain vectorisable loop: run (h, part, half) covers elements
        // 128h + 32·part + 16·half …, from ql[64h + 32·(part & 1) + 16·half + l] (low nibble for
        // parts 0–1, high for 2–3) and qh[32h + 16·half + l] bits 2·part, 2·part + 1.
        let d = b.f16(208)
        for h in 0..<2 {
            let sc = (b + 192 + 8 * h).assumingMemoryBound(to: Int8.self)
            for part in 0..<4 {
                let qlShift = UInt8(part < 2 ? 0 : 4), qhShift = UInt8(2 * part)
                for half in 0..<2 {
                    let ql = (b + 64 * h + 32 * (part & 1) + 16 * half).assumingMemoryBound(to: UInt8.self)
                    let qh = (b + 128 + 32 * h + 16 * half).assumingMemoryBound(to: UInt8.self)
                    let dl = d * Float(sc[half + 2 * part])
                    let o = y + 128 * h + 32 * part + 16 * half
                    for l in 0..<16 {
                        let q = Int((ql[l] >> qlShift) & 0xF | ((qh[l] >> qhShift) & 3) << 4) - 32
                        o[l] = dl * Float(q)
                    }
                }
            }
        }
    }
}
