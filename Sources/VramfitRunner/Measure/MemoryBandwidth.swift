import Dispatch

/// This machine's memory bandwidth, measured the way STREAM does (J. McCalpin, stream.c): arrays
/// far larger than the caches, all cores, the best of several repetitions.
///  - read: Σ a[i] over one array — bytes counted = array size. This is what decode does with the
///    weights (a pure read stream), so it is the bandwidth the decode roofline uses on the CPU.
///  - copy: b[i] = a[i] — bytes counted = 2 × array size (read + write, STREAM's convention; the
///    write-allocate traffic is not counted, as in STREAM).
public struct MemoryBandwidth: Sendable, Equatable {
    public var readBytesPerSecond: Double
    public var copyBytesPerSecond: Double
    public var arrayBytes: Int
    public var threads: Int
    public var repetitions: Int

    /// `arrayBytes` per array (default 256 MiB: ≥ 4 × any L3 of this machine class, STREAM's rule).
    public static func measure(arrayBytes: Int = 256 << 20, repetitions: Int = 5) -> MemoryBandwidth {
        let n = arrayBytes / 4 / 64 * 64
        let a = UnsafeMutablePointer<Float>.allocate(capacity: n), b = UnsafeMutablePointer<Float>.allocate(capacity: n)
        defer { a.deallocate(); b.deallocate() }
        let chunks = Parallel.cores * 8
        let parts = Parallel.ranges(n, parts: chunks, align: 64)
        let ap = SendablePointer(a), bp = SendablePointer(b)
        // First touch in parallel (pages land where they are used), non-zero so nothing is special-cased.
        Parallel.forEach(parts.count) { i in
            for j in parts[i] { ap.pointer[j] = Float(j & 1023) * 0.5; bp.pointer[j] = 0 }
        }
        var bestRead = Double.infinity, bestCopy = Double.infinity
        var sink: Float = 0
        for _ in 0..<max(1, repetitions) {
            var sums = [Float](repeating: 0, count: parts.count)
            let t0 = DispatchTime.now().uptimeNanoseconds
            sums.withUnsafeMutableBufferPointer { sb in
                let sp = SendablePointer(sb.baseAddress!)
                Parallel.forEach(parts.count) { i in sp.pointer[i] = sum(ap.pointer, parts[i]) }
            }
            let t1 = DispatchTime.now().uptimeNanoseconds
            Parallel.forEach(parts.count) { i in copy(ap.pointer, bp.pointer, parts[i]) }
            let t2 = DispatchTime.now().uptimeNanoseconds
            sink += sums.reduce(0, +) + bp.pointer[n / 2]
            bestRead = min(bestRead, Double(t1 - t0) / 1e9)
            bestCopy = min(bestCopy, Double(t2 - t1) / 1e9)
        }
        precondition(sink.isFinite)
        let bytes = Double(n * 4)
        return MemoryBandwidth(readBytesPerSecond: bytes / bestRead, copyBytesPerSecond: 2 * bytes / bestCopy,
                               arrayBytes: n * 4, threads: Parallel.cores, repetitions: repetitions)
    }

    @inline(never)
    static func sum(_ a: UnsafeMutablePointer<Float>, _ r: Range<Int>) -> Float {
        var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
        var i = r.lowerBound
        while i + 32 <= r.upperBound {
            s0 = s0 + UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self)
            s1 = s1 + UnsafeRawPointer(a + i + 8).loadUnaligned(as: SIMD8<Float>.self)
            s2 = s2 + UnsafeRawPointer(a + i + 16).loadUnaligned(as: SIMD8<Float>.self)
            s3 = s3 + UnsafeRawPointer(a + i + 24).loadUnaligned(as: SIMD8<Float>.self)
            i += 32
        }
        var s = (s0 + s1 + s2 + s3).sum()
        while i < r.upperBound { s += a[i]; i += 1 }
        return s
    }

    @inline(never)
    static func copy(_ a: UnsafeMutablePointer<Float>, _ b: UnsafeMutablePointer<Float>, _ r: Range<Int>) {
        var i = r.lowerBound
        while i + 16 <= r.upperBound {
            UnsafeMutableRawPointer(b + i).storeBytes(of: UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(b + i + 8).storeBytes(of: UnsafeRawPointer(a + i + 8).loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
            i += 16
        }
        while i < r.upperBound { b[i] = a[i]; i += 1 }
    }
}
