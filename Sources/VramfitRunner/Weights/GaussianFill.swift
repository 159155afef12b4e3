/// Fills large buffers with seeded N(mean, std²) values fast and reproducibly: a 7B-sized layer
/// holds ~233 M weights, so the draw must cost a few nanoseconds per value on 2 cores.
///
/// The buffer is cut into fixed chunks of 65 536 values; chunk c draws from its own
/// `SeededRandom(seed: mix(seed, c))` stream. The values therefore depend only on (seed, index),
/// never on how many threads ran or in which order. Normals come from Marsaglia's polar method
/// (two values per accepted pair, no trigonometry) with a log written out in IEEE arithmetic, so
/// the same seed gives the same bits on every platform (see SeededRandom for why libm is avoided).
public enum GaussianFill {
    public static let chunk = 1 << 16

    /// Fills `out` with N(mean, std²) from `seed`, using all cores.
    public static func fill(_ out: UnsafeMutableBufferPointer<Float>, seed: UInt64, mean: Float = 0, std: Float) {
        let n = out.count
        guard n > 0, let base = out.baseAddress else { return }
        let chunks = (n + chunk - 1) / chunk
        let p = SendablePointer(base)
        Parallel.forEach(chunks) { c in
            let start = c * chunk, count = min(chunk, n - start)
            fillChunk(p.pointer + start, count: count, seed: mix(seed, UInt64(c)), mean: mean, std: std)
        }
    }

    public static func values(_ count: Int, seed: UInt64, mean: Float = 0, std: Float) -> [Float] {
        var v = [Float](repeating: 0, count: count)
        v.withUnsafeMutableBufferPointer { fill($0, seed: seed, mean: mean, std: std) }
        return v
    }

    /// A 64-bit seed for a named stream (tensor name, layer, purpose) under a run's seed:
    /// FNV-1a over the UTF-8 bytes, then mixed with the seed.
    public static func seed(_ runSeed: UInt64, _ name: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in name.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        return mix(runSeed, h)
    }

    static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var z = a &+ 0x9E37_79B9_7F4A_7C15 &* (b &+ 1)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func fillChunk(_ p: UnsafeMutablePointer<Float>, count: Int, seed: UInt64, mean: Float, std: Float) {
        var rng = SeededRandom(seed: seed)
        let s = Double(std), m = Double(mean)
        var i = 0
        while i < count {
            // Polar method: (u, v) uniform in the unit disc; u·√(−2 ln r / r) and v·√(…) are independent N(0, 1).
            let bits = rng.next()
            let u = Double(Int32(truncatingIfNeeded: bits)) * 0x1p-31
            let v = Double(Int32(truncatingIfNeeded: bits >> 32)) * 0x1p-31
            let r = u * u + v * v
            if r >= 1 || r == 0 { continue }
            let f = (-2 * portableLog(r) / r).squareRoot()
            p[i] = Float(m + s * u * f)
            if i + 1 < count { p[i + 1] = Float(m + s * v * f) }
            i += 2
        }
    }

    /// ln x for x in (0, 1): x = m·2^e with m in [√½, √2), ln m = 2·atanh(t), t = (m−1)/(m+1),
    /// |t| < 0.172, seven terms of the series (relative error < 1e-13). Plain IEEE operations in
    /// a fixed order, so every platform produces the same bits.
    @inline(__always)
    static func portableLog(_ x: Double) -> Double {
        var e = Double(x.exponent)
        var m = x.significand  // [1, 2)
        if m > 1.414_213_562_373_095_1 { m *= 0.5; e += 1 }
        let t = (m - 1) / (m + 1)
        let t2 = t * t
        let series = t * (1 + t2 * (1.0 / 3 + t2 * (1.0 / 5 + t2 * (1.0 / 7 + t2 * (1.0 / 9 + t2 * (1.0 / 11 + t2 * (1.0 / 13)))))))
        return 2 * series + e * 0.693_147_180_559_945_309_417_232_121_458_176_568
    }
}
