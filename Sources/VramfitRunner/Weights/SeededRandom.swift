/// A seeded, platform-independent random source (xoshiro256**, seeded through SplitMix64), so a
/// layer filled "with seed 42" holds the same weights on every machine and every run — tests,
/// the float64 reference and the CUDA backend all start from identical numbers.
///
/// Why not `SystemRandomNumberGenerator` or `Float.random(in:using:)`: the first is not seedable
/// and the second's mapping from bits to floats is not specified across Swift versions. Here every
/// step is spelled out (Blackman & Vigna, "Scrambled linear pseudorandom number generators", 2018;
/// SplitMix64 from Steele, Lea & Flood 2014).
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    public init(seed: UInt64) {
        var z = seed
        func splitMix() -> UInt64 {
            z &+= 0x9E37_79B9_7F4A_7C15
            var x = z
            x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
            x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
            return x ^ (x >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextUnitDouble() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Standard normal N(0, 1) by the Box–Muller transform (one value per call; the pair's second
    /// value is dropped so the stream stays a pure function of the call count).
    public mutating func nextGaussian() -> Double {
        let u1 = 1 - nextUnitDouble()          // (0, 1]: log is finite
        let u2 = nextUnitDouble()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }

    /// `count` values from N(0, std²), as Float.
    public mutating func gaussians(_ count: Int, std: Double = 1) -> [Float] {
        (0..<count).map { _ in Float(nextGaussian() * std) }
    }
}

// log and cos written out in plain IEEE arithmetic rather than taken from the platform's libm:
// glibc and Apple's libm may differ in the last ulp, which would make "seed 42" mean slightly
// different weights on Linux and macOS. Swift never contracts a*b+c into an FMA on its own, so
// these give the same bits everywhere.
@inline(__always) private func _log(_ x: Double) -> Double { x.logarithm }
@inline(__always) private func _cos(_ x: Double) -> Double { x.cosine }

private extension Double {
    /// Natural log via frexp-style decomposition and a 20-term atanh series: |error| < 1 ulp·8
    /// over (0, 1], ample for sampling.
    var logarithm: Double {
        precondition(self > 0)
        let e = Double(exponent)               // self = m · 2^e, m in [1, 2)
        let m = significand
        let t = (m - 1) / (m + 1)              // log m = 2·atanh(t), t in [0, 1/3)
        let t2 = t * t
        var term = t, sum = 0.0
        var k = 1.0
        for _ in 0..<20 { sum += term / k; term *= t2; k += 2 }
        return 2 * sum + e * 0.693_147_180_559_945_309_417_232_121_458_176_568
    }

    /// cos by range reduction to [-π, π] and a Taylor series (|error| ~ 1e-16).
    var cosine: Double {
        var x = self.truncatingRemainder(dividingBy: 2 * Double.pi)
        if x > Double.pi { x -= 2 * Double.pi } else if x < -Double.pi { x += 2 * Double.pi }
        let x2 = x * x
        var term = 1.0, sum = 1.0
        for i in 1...20 {
            term *= -x2 / Double((2 * i - 1) * (2 * i))
            sum += term
        }
        return sum
    }
}
