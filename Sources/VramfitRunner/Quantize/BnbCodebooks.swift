/// The code books bitsandbytes quantizes with, built the way bitsandbytes builds them
/// (bitsandbytes/functional.py at bitsandbytes-foundation/bitsandbytes@95f9af3:
/// `get_4bit_type`, `create_dynamic_map`), in float32 like the torch tensors they become.
enum BnbCodebooks {
    /// NF4 (`get_4bit_type("nf4")`): quantiles of N(0, 1) normalised to [−1, 1], ascending; code i
    /// is the 4-bit value i.
    static let nf4: [Float] = [
        -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
        -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
        0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
        0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0,
    ]

    /// FP4 (`get_4bit_type("fp4")`): an E2M1-like format with bit 3 the sign, values
    /// [0, 0.0625, 8, 12, 4, 6, 2, 3, −0, −0.0625, −8, −12, −4, −6, −2, −3] / 12.
    static let fp4: [Float] = [0, 0.0625, 8, 12, 4, 6, 2, 3, -0.0, -0.0625, -8, -12, -4, -6, -2, -3].map { Float($0) / 12 }

    /// Byte → (value of its high nibble, value of its low nibble): the decoders' one-load-per-byte
    /// tables (element order within a byte: high nibble first).
    static let nf4Pairs: [SIMD2<Float>] = (0..<256).map { SIMD2(nf4[$0 >> 4], nf4[$0 & 15]) }
    static let fp4Pairs: [SIMD2<Float>] = (0..<256).map { SIMD2(fp4[$0 >> 4], fp4[$0 & 15]) }

    /// Decision thresholds of bitsandbytes' `dQuantizeNF4` tree: the midpoints of adjacent NF4
    /// values; code = number of thresholds strictly below x (a value on a midpoint rounds down,
    /// as the tree's `x > t` tests do).
    static let nf4Thresholds: [Float] = (0..<15).map { Float((Double(nf4[$0]) + Double(nf4[$0 + 1])) / 2) }

    /// `dQuantizeFP4` works on |x| with the sign in bit 3; its thresholds (midpoints of the
    /// sorted magnitudes) and the code of each interval.
    static let fp4Thresholds: [Float] = [0.00260417, 0.0859375, 0.20833333, 0.29166667, 0.4166667, 0.583333, 0.8333333]
    static let fp4CodeOfInterval: [UInt8] = [0b000, 0b001, 0b110, 0b111, 0b100, 0b101, 0b010, 0b011]

    /// The 4-bit code of x (already divided by the block's absmax).
    @inline(__always)
    static func nf4Code(_ x: Float) -> UInt8 {
        var c: UInt8 = 0
        for t in nf4Thresholds where x > t { c += 1 }
        return c
    }

    @inline(__always)
    static func fp4Code(_ x: Float) -> UInt8 {
        let a = abs(x)
        var i = 0
        for t in fp4Thresholds where a > t { i += 1 }
        return fp4CodeOfInterval[i] | (x < 0 ? 0b1000 : 0)
    }

    /// `create_dynamic_map(signed=True, max_exponent_bits=7, total_bits=8)`: the 256-entry code
    /// double quantization stores the absmax values with. For i in 0..<7, 2^i values
    /// 10^(i−6) · midpoints of linspace(0.1, 1, 2^i + 1) and their negatives, plus 0 and 1,
    /// sorted ascending.
    static let dynamic: [Float] = {
        var data: [Float] = []
        for i in 0..<7 {
            let steps = (1 << i) + 1
            let b = linspace(0.1, 1, steps)
            let scale = Float(pow10(i - 6))
            for j in 0..<(steps - 1) {
                let mean = (b[j] + b[j + 1]) / 2
                data.append(scale * mean)
                data.append(-(scale * mean))
            }
        }
        data.append(0)
        data.append(1)
        return data.sorted()
    }()

    /// torch.linspace in float32 (ATen's kernel: start + step·i for the first half, end − step·(n−1−i) after).
    static func linspace(_ start: Float, _ end: Float, _ steps: Int) -> [Float] {
        let step = (end - start) / Float(steps - 1)
        let half = steps / 2
        return (0..<steps).map { i in i < half ? start + step * Float(i) : end - step * Float(steps - i - 1) }
    }

    static func pow10(_ e: Int) -> Double {
        var v = 1.0
        for _ in 0..<abs(e) { v *= 10 }
        return e < 0 ? 1 / v : v
    }

    /// Index of the code value nearest to x in an ascending code book (ties: the lower one),
    /// what bitsandbytes' `dQuantize` binary search returns.
    static func nearest(_ x: Float, in code: UnsafeBufferPointer<Float>) -> UInt8 {
        var lo = 0, hi = code.count - 1
        if x <= code[lo] { return 0 }
        if x >= code[hi] { return UInt8(hi) }
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if code[mid] < x { lo = mid } else { hi = mid }
        }
        return UInt8(x - code[lo] <= code[hi] - x ? lo : hi)
    }
}
