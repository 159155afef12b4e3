/// Conversions between Float and the narrow float formats the runner stores: IEEE half (fp16),
/// bfloat16 and FP8 E4M3 (the `float8_e4m3fn` variant: no infinities, one NaN pattern, max 448).
///
/// Why bit manipulation instead of `Float16`: `Float16` is unavailable on macOS/x86-64, and without
/// F16C code generation its conversions are library calls. These are branch-light integer code the
/// compiler vectorises, and they round to nearest-even exactly like `torch.Tensor.to(dtype)`.
public enum FloatBits {
    // MARK: fp16

    /// IEEE binary16 → Float (exact: every half is a float).
    @inline(__always)
    public static func halfToFloat(_ h: UInt16) -> Float {
        let bits = UInt32(h)
        let sign = (bits & 0x8000) << 16
        let em = bits & 0x7FFF
        // Shifting exponent+mantissa into float position and scaling by 2^112 re-biases normals
        // and turns half subnormals into the right float normals in one multiply.
        var magnitude = Float(bitPattern: em << 13) * 0x1p112
        if em >= 0x7C00 { magnitude = Float(bitPattern: 0x7F80_0000 | ((em & 0x3FF) << 13)) }
        return Float(bitPattern: magnitude.bitPattern | sign)
    }

    /// Float → IEEE binary16, round to nearest even; overflow → ±inf, NaN stays NaN.
    /// (F. Giesen's `float_to_half_fast3_rtne`, the rounding the hardware `vcvtps2ph` does.)
    @inline(__always)
    public static func floatToHalf(_ x: Float) -> UInt16 {
        var f = x.bitPattern
        let sign = f & 0x8000_0000
        f ^= sign
        let out: UInt32
        if f >= 0x4780_0000 {  // (127 + 16) << 23: |x| ≥ 65536 rounds to inf, or inf/NaN
            out = f > 0x7F80_0000 ? 0x7E00 : 0x7C00
        } else if f < 0x3880_0000 {  // 113 << 23: result is a half subnormal or zero
            let magic = Float(bitPattern: 0x3F00_0000)  // 0.5: adding aligns the mantissa at 2^-24
            let r = Float(bitPattern: f) + magic
            out = r.bitPattern &- magic.bitPattern
        } else {
            let mantOdd = (f >> 13) & 1
            f = f &+ 0xC800_0FFF  // re-bias exponent (15 − 127) << 23, plus the rounding bias 0xFFF
            f = f &+ mantOdd
            out = f >> 13
        }
        return UInt16(truncatingIfNeeded: out | (sign >> 16))
    }

    // MARK: bf16

    @inline(__always)
    public static func bf16ToFloat(_ b: UInt16) -> Float { Float(bitPattern: UInt32(b) << 16) }

    /// Float → bfloat16, round to nearest even (PyTorch `c10::BFloat16` round_to_nearest_even).
    @inline(__always)
    public static func floatToBF16(_ x: Float) -> UInt16 {
        let f = x.bitPattern
        if x.isNaN { return UInt16(truncatingIfNeeded: (f >> 16) | 0x40) }
        let rounded = f &+ 0x7FFF &+ ((f >> 16) & 1)
        return UInt16(truncatingIfNeeded: rounded >> 16)
    }

    // MARK: fp8 E4M3 (fn)

    /// E4M3 → Float: 1 sign, 4 exponent (bias 7), 3 mantissa bits; 0x7F/0xFF are NaN.
    @inline(__always)
    public static func e4m3ToFloat(_ b: UInt8) -> Float {
        let mag = UInt32(b & 0x7F)
        // Same trick as fp16: place the 7 bits at the top of a float mantissa/exponent and
        // re-bias by 2^(127 − 7); subnormals (exponent 0) come out right too.
        var v = Float(bitPattern: mag << 20) * 0x1p120
        if mag == 0x7F { v = .nan }
        return (b & 0x80) != 0 ? -v : v
    }

    /// Float → E4M3, round to nearest even, saturating at ±448 the way `scaled_fp8_quant`
    /// (vLLM) and `torch.clamp(...).to(torch.float8_e4m3fn)` do before the cast.
    @inline(__always)
    public static func floatToE4M3(_ x: Float) -> UInt8 {
        if x.isNaN { return 0x7F }
        let sign: UInt8 = x.sign == .minus ? 0x80 : 0
        let a = min(abs(x), 448)
        let code: UInt32
        if a < 0x1p-6 {
            // Subnormal range: multiples of 2^-9; 8·2^-9 rounds up into the smallest normal (0x08).
            code = UInt32((a * 0x1p9).rounded(.toNearestOrEven))
        } else {
            let f = a.bitPattern
            let r = f &+ 0x7_FFFF &+ ((f >> 20) & 1)  // round mantissa to 3 bits
            code = (r >> 20) &- (120 << 3)
        }
        return UInt8(truncatingIfNeeded: code) | sign
    }

    /// Largest finite E4M3 value.
    public static let e4m3Max: Float = 448
}
