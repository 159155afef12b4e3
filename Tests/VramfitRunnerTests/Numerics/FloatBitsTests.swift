import Testing
@testable import VramfitRunner

@Suite struct FloatBitsTests {
    /// Hand values: IEEE binary16 encodings from the standard's tables.
    @Test func halfHandValues() {
        #expect(FloatBits.floatToHalf(1) == 0x3C00)
        #expect(FloatBits.floatToHalf(-2) == 0xC000)
        #expect(FloatBits.floatToHalf(65504) == 0x7BFF)           // largest finite half
        #expect(FloatBits.floatToHalf(65520) == 0x7C00)           // rounds to +inf (halfway to 65536, ties to even)
        #expect(FloatBits.floatToHalf(0x1p-24) == 0x0001)         // smallest subnormal
        #expect(FloatBits.floatToHalf(0x1p-25) == 0x0000)         // halfway to zero: ties to even (0)
        #expect(FloatBits.floatToHalf(1 + 0x1p-11) == 0x3C00)     // halfway between 1 and 1+2^-10: ties to even
        #expect(FloatBits.floatToHalf(1 + 3 * 0x1p-11) == 0x3C02) // halfway between odd 0x3C01 and 0x3C02: to even
        #expect(FloatBits.floatToHalf(.nan) & 0x7C00 == 0x7C00 && FloatBits.floatToHalf(.nan) & 0x3FF != 0)
        #expect(FloatBits.halfToFloat(0x3555) == 0.333_251_95)    // 1/3 in half
        #expect(FloatBits.halfToFloat(0x0001) == 0x1p-24)
        #expect(FloatBits.halfToFloat(0xFC00) == -.infinity)
    }

    #if !(os(macOS) && arch(x86_64))
    /// Every half bit pattern against Swift's own Float16 conversion (an independent implementation).
    @Test func halfMatchesFloat16Everywhere() {
        for b in 0...0xFFFF {
            let h = UInt16(b)
            let mine = FloatBits.halfToFloat(h), theirs = Float(Float16(bitPattern: h))
            #expect(mine.bitPattern == theirs.bitPattern || (mine.isNaN && theirs.isNaN))
            if !theirs.isNaN { #expect(FloatBits.floatToHalf(theirs) == h) }
        }
        // Rounding of values between halves.
        var rng = SeededRandom(seed: 3)
        for _ in 0..<100_000 {
            let x = Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()))
            guard x.isFinite else { continue }
            #expect(FloatBits.floatToHalf(x) == Float16(x).bitPattern)
        }
    }
    #endif

    @Test func vectorConversionsEqualScalar() {
        for b in stride(from: 0, through: 0xFFF8, by: 8) {
            let v = SIMD8<UInt16>((0..<8).map { UInt16(b + $0) })
            let h = VectorConvert.halfToFloat(v), f = VectorConvert.bf16ToFloat(v)
            for i in 0..<8 {
                let s = FloatBits.halfToFloat(v[i])
                #expect(h[i].bitPattern == s.bitPattern || (h[i].isNaN && s.isNaN))
                #expect(f[i].bitPattern == FloatBits.bf16ToFloat(v[i]).bitPattern)
            }
        }
    }

    @Test func bf16HandValues() {
        #expect(FloatBits.floatToBF16(1) == 0x3F80)
        #expect(FloatBits.floatToBF16(Float(bitPattern: 0x3F80_8000)) == 0x3F80)  // tie → even
        #expect(FloatBits.floatToBF16(Float(bitPattern: 0x3F81_8000)) == 0x3F82)  // tie → even (up)
        #expect(FloatBits.floatToBF16(Float(bitPattern: 0x3F80_8001)) == 0x3F81)  // above the tie
        #expect(FloatBits.bf16ToFloat(0xC040) == -3)
    }

    /// E4M3 (fn): bias 7, 3 mantissa bits, max 448, no infinities.
    @Test func e4m3HandValues() {
        #expect(FloatBits.floatToE4M3(1) == 0x38)
        #expect(FloatBits.floatToE4M3(448) == 0x7E)
        #expect(FloatBits.floatToE4M3(1e6) == 0x7E)          // saturates
        #expect(FloatBits.floatToE4M3(-1e6) == 0xFE)
        #expect(FloatBits.floatToE4M3(0x1p-9) == 0x01)       // smallest subnormal
        #expect(FloatBits.floatToE4M3(0x1p-6) == 0x08)       // smallest normal
        #expect(FloatBits.floatToE4M3(7 * 0x1p-9) == 0x07)   // largest subnormal
        #expect(FloatBits.floatToE4M3(1.0625) == 0x38)       // tie between 1 and 1.125 → even mantissa
        #expect(FloatBits.floatToE4M3(1.1875) == 0x3A)       // tie between 1.125 and 1.25 → even
        #expect(FloatBits.e4m3ToFloat(0x7F).isNaN)
        #expect(FloatBits.e4m3ToFloat(0x7E) == 448)
        #expect(FloatBits.e4m3ToFloat(0x01) == 0x1p-9)
        #expect(FloatBits.e4m3ToFloat(0xB8) == -1)
        // Round trip of every finite code.
        for c in 0...255 where c & 0x7F != 0x7F {
            let v = FloatBits.e4m3ToFloat(UInt8(c))
            if v == 0 { continue }
            #expect(FloatBits.floatToE4M3(v) == UInt8(c))
        }
    }
}
