/// ggml's 32-weight block types, byte for byte as ggml/src/ggml-common.h declares them, with the
/// reference quantizers (`quantize_row_*_ref`) and dequantizers (`dequantize_row_*`) of
/// ggml/src/ggml-quants.c (ggml-org/llama.cpp, read at 01243c5). All multi-byte fields are
/// little-endian; `d`/`m` are fp16.
///
/// | type | bytes | layout (byte offsets)                               | value of element j (0..<32)            |
/// |------|-------|------------------------------------------------------|----------------------------------------|
/// | Q8_0 | 34    | d @0, qs int8[32] @2                                 | d · qs[j]                              |
/// | Q4_0 | 18    | d @0, qs[16] @2                                      | d · (nib(j) − 8)                       |
/// | Q4_1 | 20    | d @0, m @2, qs[16] @4                                | d · nib(j) + m                         |
/// | Q5_0 | 22    | d @0, qh u32 @2, qs[16] @6                           | d · ((nib(j) | hbit(j) << 4) − 16)     |
/// | Q5_1 | 24    | d @0, m @2, qh u32 @4, qs[16] @8                     | d · (nib(j) | hbit(j) << 4) + m        |
///
/// nib(j) = qs[j] & 0xF for j < 16 and qs[j − 16] >> 4 for j ≥ 16 (the two halves of the block
/// share bytes); hbit(j) = (qh >> j) & 1.
enum GGMLLegacyBlocks {
    // MARK: Q8_0

    static func quantizeQ8_0(_ x: UnsafePointer<Float>, _ y: UnsafeMutableRawPointer) {
        var amax: Float = 0
        for j in 0..<32 { amax = max(amax, abs(x[j])) }
        let d = amax / 127
        let id: Float = d != 0 ? 1 / d : 0
        y.storeBytes(of: FloatBits.floatToHalf(d), as: UInt16.self)
        for j in 0..<32 { y.storeBytes(of: Int8((x[j] * id).rounded()), toByteOffset: 2 + j, as: Int8.self) }  // roundf
    }

    @inline(__always)
    static func dequantizeQ8_0(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = b.f16(0)
        let q = (b + 2).assumingMemoryBound(to: Int8.self)
        for j in 0..<32 { y[j] = Float(q[j]) * d }
    }

    // MARK: Q4_0 / Q4_1

    static func quantizeQ4_0(_ x: UnsafePointer<Float>, _ y: UnsafeMutableRawPointer) {
        var amax: Float = 0, mx: Float = 0
        for j in 0..<32 where amax < abs(x[j]) { amax = abs(x[j]); mx = x[j] }
        let d = mx / -8
        let id: Float = d != 0 ? 1 / d : 0
        y.storeBytes(of: FloatBits.floatToHalf(d), as: UInt16.self)
        for j in 0..<16 {
            let a = min(15, truncToInt8(x[j] * id + 8.5)), b = min(15, truncToInt8(x[16 + j] * id + 8.5))
            y.storeBytes(of: UInt8(a) | UInt8(b) << 4, toByteOffset: 2 + j, as: UInt8.self)
        }
    }

    @inline(__always)
    static func dequantizeQ4_0(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = b.f16(0)
        for j in 0..<16 {
            let q = b.u8(2 + j)
            y[j] = Float(Int(q & 0xF) - 8) * d
            y[j + 16] = Float(Int(q >> 4) - 8) * d
        }
    }

    static func quantizeQ4_1(_ x: UnsafePointer<Float>, _ y: UnsafeMutableRawPointer) {
        var lo = Float.greatestFiniteMagnitude, hi = -Float.greatestFiniteMagnitude
        for j in 0..<32 { lo = min(lo, x[j]); hi = max(hi, x[j]) }
        let d = (hi - lo) / 15
        let id: Float = d != 0 ? 1 / d : 0
        y.storeBytes(of: FloatBits.floatToHalf(d), as: UInt16.self)
        y.storeBytes(of: FloatBits.floatToHalf(lo), toByteOffset: 2, as: UInt16.self)
        for j in 0..<16 {
            let a = min(15, truncToInt8((x[j] - lo) * id + 0.5)), b = min(15, truncToInt8((x[16 + j] - lo) * id + 0.5))
            y.storeBytes(of: UInt8(a) | UInt8(b) << 4, toByteOffset: 4 + j, as: UInt8.self)
        }
    }

    @inline(__always)
    static func dequantizeQ4_1(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = b.f16(0), m = b.f16(2)
        for j in 0..<16 {
            let q = b.u8(4 + j)
            y[j] = Float(q & 0xF) * d + m
            y[j + 16] = Float(q >> 4) * d + m
        }
    }

    // MARK: Q5_0 / Q5_1

    static func quantizeQ5_0(_ x: UnsafePointer<Float>, _ y: UnsafeMutableRawPointer) {
        var amax: Float = 0, mx: Float = 0
        for j in 0..<32 where amax < abs(x[j]) { amax = abs(x[j]); mx = x[j] }
        let d = mx / -16
        let id: Float = d != 0 ? 1 / d : 0
        y.storeBytes(of: FloatBits.floatToHalf(d), as: UInt16.self)
        var qh: UInt32 = 0
        for j in 0..<16 {
            let a = UInt8(min(31, truncToInt8(x[j] * id + 16.5))), b = UInt8(min(31, truncToInt8(x[16 + j] * id + 16.5)))
            y.storeBytes(of: (a & 0xF) | (b & 0xF) << 4, toByteOffset: 6 + j, as: UInt8.self)
            qh |= UInt32((a & 0x10) >> 4) << j
            qh |= UInt32((b & 0x10) >> 4) << (j + 16)
        }
        y.storeBytes(of: qh, toByteOffset: 2, as: UInt32.self)
    }

    @inline(__always)
    static func dequantizeQ5_0(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = b.f16(0), qh = b.u32(2)
        for j in 0..<16 {
            let q = b.u8(6 + j)
            let h0 = Int((qh >> UInt32(j)) << 4 & 0x10), h1 = Int((qh >> UInt32(j + 12)) & 0x10)
            y[j] = Float((Int(q & 0xF) | h0) - 16) * d
            y[j + 16] = Float((Int(q >> 4) | h1) - 16) * d
        }
    }

    static func quantizeQ5_1(_ x: UnsafePointer<Float>, _ y: UnsafeMutableRawPointer) {
        var lo = Float.greatestFiniteMagnitude, hi = -Float.greatestFiniteMagnitude
        for j in 0..<32 { lo = min(lo, x[j]); hi = max(hi, x[j]) }
        let d = (hi - lo) / 31
        let id: Float = d != 0 ? 1 / d : 0
        y.storeBytes(of: FloatBits.floatToHalf(d), as: UInt16.self)
        y.storeBytes(of: FloatBits.floatToHalf(lo), toByteOffset: 2, as: UInt16.self)
        var qh: UInt32 = 0
        for j in 0..<16 {
            let a = UInt8(truncToInt8((x[j] - lo) * id + 0.5)), b = UInt8(truncToInt8((x[16 + j] - lo) * id + 0.5))
            y.storeBytes(of: (a & 0xF) | (b & 0xF) << 4, toByteOffset: 8 + j, as: UInt8.self)
            qh |= UInt32((a & 0x10) >> 4) << j
            qh |= UInt32((b & 0x10) >> 4) << (j + 16)
        }
        y.storeBytes(of: qh, toByteOffset: 4, as: UInt32.self)
    }

    @inline(__always)
    static func dequantizeQ5_1(_ b: UnsafeRawPointer, _ y: UnsafeMutablePointer<Float>) {
        let d = b.f16(0), m = b.f16(2), qh = b.u32(4)
        for j in 0..<16 {
            let q = b.u8(8 + j)
            let h0 = Int((qh >> UInt32(j)) << 4 & 0x10), h1 = Int((qh >> UInt32(j + 12)) & 0x10)
            y[j] = Float(Int(q & 0xF) | h0) * d + m
            y[j + 16] = Float(Int(q >> 4) | h1) * d + m
        }
    }

    /// C's `(int8_t)f` for the non-negative, in-range values the reference quantizers produce
    /// (truncation toward zero), clamped at 0 against float rounding just below it.
    @inline(__always)
    static func truncToInt8(_ f: Float) -> Int { max(0, min(127, Int(f.rounded(.towardZero)))) }
}
