/// Eight-wide versions of `FloatBits`' widening conversions, and bulk converters, for the hot
/// loops (dense fp16/bf16 weights, the fp16/bf16 KV cache). Same results as the scalar functions,
/// bit for bit; the tests compare them over every 16-bit pattern.
public enum VectorConvert {
    @inline(__always)
    public static func halfToFloat(_ h: SIMD8<UInt16>) -> SIMD8<Float> {
        let bits = SIMD8<UInt32>(truncatingIfNeeded: h)
        let sign = (bits & 0x8000) &<< 16
        let em = bits & 0x7FFF
        var magnitude = unsafeBitCast(em &<< 13, to: SIMD8<Float>.self) * 0x1p112
        let special = em .>= 0x7C00
        if any(special) {
            magnitude.replace(with: unsafeBitCast(0x7F80_0000 | ((em & 0x3FF) &<< 13), to: SIMD8<Float>.self), where: special)
        }
        return unsafeBitCast(unsafeBitCast(magnitude, to: SIMD8<UInt32>.self) | sign, to: SIMD8<Float>.self)
    }

    @inline(__always)
    public static func bf16ToFloat(_ b: SIMD8<UInt16>) -> SIMD8<Float> {
        unsafeBitCast(SIMD8<UInt32>(truncatingIfNeeded: b) &<< 16, to: SIMD8<Float>.self)
    }

    /// `count` fp16 values at `src` → Float at `dst`.
    public static func halfToFloat(_ src: UnsafePointer<UInt16>, _ dst: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i &+ 8 <= count {
            let v = UnsafeRawPointer(src + i).loadUnaligned(as: SIMD8<UInt16>.self)
            UnsafeMutableRawPointer(dst + i).storeBytes(of: halfToFloat(v), as: SIMD8<Float>.self)
            i &+= 8
        }
        while i < count { dst[i] = FloatBits.halfToFloat(src[i]); i &+= 1 }
    }

    /// `count` bf16 values at `src` → Float at `dst`.
    public static func bf16ToFloat(_ src: UnsafePointer<UInt16>, _ dst: UnsafeMutablePointer<Float>, count: Int) {
        var i = 0
        while i &+ 8 <= count {
            let v = UnsafeRawPointer(src + i).loadUnaligned(as: SIMD8<UInt16>.self)
            UnsafeMutableRawPointer(dst + i).storeBytes(of: bf16ToFloat(v), as: SIMD8<Float>.self)
            i &+= 8
        }
        while i < count { dst[i] = FloatBits.bf16ToFloat(src[i]); i &+= 1 }
    }

    /// Float → fp16 (round to nearest even), `count` values.
    public static func floatToHalf(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<UInt16>, count: Int) {
        for i in 0..<count { dst[i] = FloatBits.floatToHalf(src[i]) }
    }

    /// Float → bf16 (round to nearest even), `count` values.
    public static func floatToBF16(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<UInt16>, count: Int) {
        for i in 0..<count { dst[i] = FloatBits.floatToBF16(src[i]) }
    }
}
