import VramfitCore

/// How a backend stores K and V. Each position's K (and V) for one layer is one row of
/// `kvHeads × headDim` values; block types quantize that row in blocks of 32 consecutive values,
/// the layout llama.cpp uses for `--cache-type-k/-v q8_0|q4_0` (ggml-common.h `block_q8_0`:
/// fp16 d + 32 int8; `block_q4_0`: fp16 d + 16 bytes of nibbles).
///
/// fp8 is E4M3 with a scale of 1.0: vLLM's `--kv-cache-dtype fp8` without calibrated scales uses
/// k_scale = v_scale = 1.0 (vllm/attention/layer.py `_k_scale` default), i.e. values stored as
/// `float8_e4m3fn` directly, saturated at ±448.
public enum KVCacheStorage: String, Sendable, CaseIterable {
    case fp32, fp16, bf16, fp8, q8_0, q4_0

    /// From a catalog `KVCacheType` id or alias (fp16, f16, bf16, fp8, fp8_e4m3, q8_0, q4_0, …).
    public init?(catalogId id: String) {
        switch id.lowercased() {
        case "fp32", "f32", "float32": self = .fp32
        case "fp16", "f16", "float16", "half", "auto": self = .fp16
        case "bf16", "bfloat16": self = .bf16
        case "fp8", "fp8_e4m3", "fp8-e4m3", "fp8_e4m3fn", "e4m3", "float8": self = .fp8
        case "q8_0", "q8": self = .q8_0
        case "q4_0", "q4": self = .q4_0
        default: return nil
        }
    }

    /// The catalog id (catalogs/quant/kv-cache.yaml) of this storage.
    public var catalogId: String { rawValue }

    public var blockSize: Int { self == .q8_0 || self == .q4_0 ? 32 : 1 }
    public var blockBytes: Int {
        switch self {
        case .fp32: 4
        case .fp16, .bf16: 2
        case .fp8: 1
        case .q8_0: 34
        case .q4_0: 18
        }
    }

    /// Bytes of one row of `n` values (whole blocks).
    public func bytes(forValues n: Int) -> Int { (n + blockSize - 1) / blockSize * blockBytes }

    // MARK: encoding

    /// Stores `count` values from `src` as one row at `dst` (`bytes(forValues: count)` bytes).
    public func encode(_ src: UnsafePointer<Float>, count: Int, into dst: UnsafeMutableRawPointer) {
        switch self {
        case .fp32:
            dst.copyMemory(from: src, byteCount: count * 4)
        case .fp16:
            let d = dst.assumingMemoryBound(to: UInt16.self)
            for i in 0..<count { d[i] = FloatBits.floatToHalf(src[i]) }
        case .bf16:
            let d = dst.assumingMemoryBound(to: UInt16.self)
            for i in 0..<count { d[i] = FloatBits.floatToBF16(src[i]) }
        case .fp8:
            let d = dst.assumingMemoryBound(to: UInt8.self)
            for i in 0..<count { d[i] = FloatBits.floatToE4M3(src[i]) }
        case .q8_0:
            var b = 0
            while b * 32 < count {
                Self.encodeQ8_0(src + b * 32, count: min(32, count - b * 32), into: dst + b * 34)
                b += 1
            }
        case .q4_0:
            var b = 0
            while b * 32 < count {
                Self.encodeQ4_0(src + b * 32, count: min(32, count - b * 32), into: dst + b * 18)
                b += 1
            }
        }
    }

    /// ggml `quantize_row_q8_0_ref`: d = amax / 127 (stored fp16), q = round(x / d) half away from zero.
    static func encodeQ8_0(_ x: UnsafePointer<Float>, count: Int, into dst: UnsafeMutableRawPointer) {
        var amax: Float = 0
        for i in 0..<count { amax = max(amax, abs(x[i])) }
        let d = amax / 127
        let id: Float = d != 0 ? 1 / d : 0
        dst.storeBytes(of: FloatBits.floatToHalf(d), toByteOffset: 0, as: UInt16.self)
        let q = (dst + 2).assumingMemoryBound(to: Int8.self)
        for i in 0..<32 { q[i] = i < count ? Int8((x[i] * id).rounded(.toNearestOrAwayFromZero)) : 0 }
    }

    /// ggml `quantize_row_q4_0_ref`: the value of largest magnitude (with its sign) maps to −8,
    /// d = max / −8, q = min(15, Int8(x / d + 8.5)); byte j holds q[j] (low nibble) and q[j + 16].
    static func encodeQ4_0(_ x: UnsafePointer<Float>, count: Int, into dst: UnsafeMutableRawPointer) {
        var amax: Float = 0, mx: Float = 0
        for i in 0..<count where amax < abs(x[i]) { amax = abs(x[i]); mx = x[i] }
        let d = mx / -8
        let id: Float = d != 0 ? 1 / d : 0
        dst.storeBytes(of: FloatBits.floatToHalf(d), toByteOffset: 0, as: UInt16.self)
        let q = (dst + 2).assumingMemoryBound(to: UInt8.self)
        func code(_ i: Int) -> UInt8 {
            guard i < count else { return 8 }
            return UInt8(min(15, Int8(truncatingIfNeeded: Int(x[i] * id + 8.5))))
        }
        for j in 0..<16 { q[j] = code(j) | (code(j + 16) << 4) }
    }

    // MARK: decoding

    /// Reads values `range` of a row stored at `src` into `dst[0 ..< range.count]`.
    @inline(__always)
    public func decode(_ src: UnsafeRawPointer, range: Range<Int>, into dst: UnsafeMutablePointer<Float>) {
        switch self {
        case .fp32:
            UnsafeMutableRawPointer(dst).copyMemory(from: src + range.lowerBound * 4, byteCount: range.count * 4)
        case .fp16:
            VectorConvert.halfToFloat(src.assumingMemoryBound(to: UInt16.self) + range.lowerBound, dst, count: range.count)
        case .bf16:
            VectorConvert.bf16ToFloat(src.assumingMemoryBound(to: UInt16.self) + range.lowerBound, dst, count: range.count)
        case .fp8:
            let s = src.assumingMemoryBound(to: UInt8.self) + range.lowerBound
            for i in 0..<range.count { dst[i] = FloatBits.e4m3ToFloat(s[i]) }
        case .q8_0:
            var i = range.lowerBound
            while i < range.upperBound {
                let block = i / 32
                let base = src + block * 34
                let d = FloatBits.halfToFloat(base.loadUnaligned(as: UInt16.self))
                let q = (base + 2).assumingMemoryBound(to: Int8.self)
                let end = min(range.upperBound, (block + 1) * 32)
                for j in i..<end { dst[j - range.lowerBound] = Float(q[j - block * 32]) * d }
                i = end
            }
        case .q4_0:
            var i = range.lowerBound
            while i < range.upperBound {
                let block = i / 32
                let base = src + block * 18
                let d = FloatBits.halfToFloat(base.loadUnaligned(as: UInt16.self))
                let q = (base + 2).assumingMemoryBound(to: UInt8.self)
                let end = min(range.upperBound, (block + 1) * 32)
                for j in i..<end {
                    let k = j - block * 32
                    let nibble = k < 16 ? q[k] & 0x0F : q[k - 16] >> 4
                    dst[j - range.lowerBound] = Float(Int(nibble) - 8) * d
                }
                i = end
            }
        }
    }

    /// `values` after a round trip through this storage (what attention will read back).
    public func roundTrip(_ values: [Float]) -> [Float] {
        let n = values.count
        var raw = [UInt8](repeating: 0, count: bytes(forValues: n))
        var out = [Float](repeating: 0, count: n)
        values.withUnsafeBufferPointer { v in
            raw.withUnsafeMutableBytes { r in encode(v.baseAddress!, count: n, into: r.baseAddress!) }
        }
        raw.withUnsafeBytes { r in out.withUnsafeMutableBufferPointer { o in decode(r.baseAddress!, range: 0..<n, into: o.baseAddress!) } }
        return out
    }
}
