/// Round-to-nearest asymmetric integer quantization of one group of weights, the arithmetic AWQ
/// and GPTQ checkpoints are built from (their calibration — AWQ's activation-aware scale search,
/// GPTQ's Hessian error feedback — changes which values are rounded, never the storage). The
/// micro-runner has no calibration set, so it rounds to nearest; the stored bytes have the same
/// layout and size as a calibrated checkpoint's.
enum GroupwiseInt {
    /// How the group's range, scale and zero are chosen.
    enum Rule {
        /// AutoAWQ `pseudo_quantize_tensor` (zero_point=True): scale = (max − min).clamp(1e-5) / maxq,
        /// zero = clamp(−round(min / scale), 0, maxq).
        case awq
        /// GPTQ `Quantizer.find_params` (sym=False): the range is widened to include 0, scale =
        /// (xmax − xmin) / maxq, zero = round(−xmin / scale). The v1 checkpoint format stores
        /// zero − 1, which cannot hold a zero of 0 (readers add 1 back: the well-known v1
        /// off-by-one), so a group with zero 0 (all weights ≥ −scale/2) is re-fitted with zero 1
        /// and scale = xmax / (maxq − 1); every stored byte then decodes correctly in v1 readers.
        case gptqV1
    }

    struct Group {
        var scaleBits: UInt16
        var zero: Int
    }

    /// Fits one group (`count` values at `x[index(i)]`) and writes its integer codes to `q`.
    /// The scale is rounded to fp16 first and the codes are computed with the rounded scale, so
    /// dequantizing the stored bytes gives exactly (q − zero) · scale.
    @inline(__always)
    static func fit(count: Int, bits: Int, rule: Rule, value: (Int) -> Float, store: (Int, UInt8) -> Void) -> Group {
        let maxq = Float((1 << bits) - 1)
        var lo = Float.infinity, hi = -Float.infinity
        for i in 0..<count { let v = value(i); lo = min(lo, v); hi = max(hi, v) }
        var scale: Float
        var zero: Float
        switch rule {
        case .awq:
            scale = FloatBits.halfToFloat(FloatBits.floatToHalf(max(hi - lo, 1e-5) / maxq))
            zero = min(maxq, max(0, -(lo / scale).rounded(.toNearestOrEven)))
        case .gptqV1:
            lo = min(lo, 0); hi = max(hi, 0)
            if lo == 0 && hi == 0 { lo = -1; hi = 1 }
            scale = FloatBits.halfToFloat(FloatBits.floatToHalf((hi - lo) / maxq))
            zero = (-lo / scale).rounded(.toNearestOrEven)
            if zero < 1 {
                zero = 1
                scale = FloatBits.halfToFloat(FloatBits.floatToHalf(max(hi, 1e-5) / (maxq - 1)))
            }
            zero = min(maxq, zero)
        }
        let inv = 1 / scale
        for i in 0..<count {
            let v = (value(i) * inv).rounded(.toNearestOrEven) + zero
            store(i, UInt8(min(maxq, max(0, v))))
        }
        return Group(scaleBits: FloatBits.floatToHalf(scale), zero: Int(zero))
    }
}
