/// A number of bytes. Always an integer: memory is allocated in bytes, and every figure the
/// estimator prints is a sum of exact tensor sizes before it is rounded for display.
///
/// Arithmetic saturates at `Int64.max` (8 EiB) instead of trapping, so a trillion-parameter model
/// at millions of tokens and hundreds of sequences yields "far too big", never a crash.
public struct ByteCount: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public var value: Int64

    public init(_ value: Int64) { self.value = value }
    public init(_ value: Int) { self.value = Int64(value) }

    public static let zero = ByteCount(Int64(0))
    public static let max = ByteCount(Int64.max)

    public static func kib(_ n: Int64) -> ByteCount { ByteCount(n) * 1024 }
    public static func mib(_ n: Int64) -> ByteCount { ByteCount(n) * (1 << 20) }
    public static func gib(_ n: Int64) -> ByteCount { ByteCount(n) * (1 << 30) }
    /// Decimal gigabytes (10⁹), the unit of GPU spec sheets.
    public static func gb(_ n: Int64) -> ByteCount { ByteCount(n) * 1_000_000_000 }

    /// Bytes for a fractional GiB figure, rounded to the nearest byte (for catalog values such as 79.15 GiB).
    public static func gib(_ n: Double) -> ByteCount { ByteCount(fromDouble: n * 1_073_741_824) }

    public init(fromDouble d: Double) {
        if !d.isFinite || d >= 9.2e18 { value = d < 0 ? 0 : Int64.max } else if d <= 0 { value = 0 } else { value = Int64(d.rounded()) }
    }

    public var isSaturated: Bool { value == Int64.max }
    public var gib: Double { Double(value) / 1_073_741_824 }
    public var gb: Double { Double(value) / 1_000_000_000 }
    public var mib: Double { Double(value) / 1_048_576 }

    public static func < (a: ByteCount, b: ByteCount) -> Bool { a.value < b.value }

    public static func + (a: ByteCount, b: ByteCount) -> ByteCount {
        let (r, o) = a.value.addingReportingOverflow(b.value)
        return ByteCount(o ? (b.value > 0 ? Int64.max : Int64.min) : r)
    }
    public static func - (a: ByteCount, b: ByteCount) -> ByteCount {
        if a.isSaturated { return a }
        let (r, o) = a.value.subtractingReportingOverflow(b.value)
        return ByteCount(o ? Int64.min : r)
    }
    public static func * (a: ByteCount, n: Int64) -> ByteCount {
        let (r, o) = a.value.multipliedReportingOverflow(by: n)
        return ByteCount(o ? ((a.value < 0) != (n < 0) ? Int64.min : Int64.max) : r)
    }
    public static func * (a: ByteCount, n: Int) -> ByteCount { a * Int64(n) }
    public static func += (a: inout ByteCount, b: ByteCount) { a = a + b }
    public static func -= (a: inout ByteCount, b: ByteCount) { a = a - b }

    /// Integer division rounding down; used for "how many tokens fit in this many bytes".
    public static func / (a: ByteCount, b: ByteCount) -> Int64 {
        b.value <= 0 ? 0 : a.value / b.value
    }

    /// Scales by a fraction (utilization, ratios), rounding down the way engines do (`int(total * f)`).
    public func scaled(by f: Double) -> ByteCount { ByteCount(fromDouble: (Double(value) * f).rounded(.down)) }

    public var description: String { ByteFormat.binary(self) }
}

/// Display of byte figures. Every printed figure names its unit: GiB (2³⁰) is the unit engines log
/// (vLLM, llama.cpp, PyTorch), GB (10⁹) the unit of spec sheets and file listings.
public enum ByteFormat {
    public static func binary(_ b: ByteCount) -> String {
        if b.isSaturated { return "> 8 EiB" }
        let v = Double(b.value), a = abs(v)
        if a >= 1_099_511_627_776 * 1024 { return String(format2: v / 1_125_899_906_842_624) + " PiB" }
        if a >= 1_099_511_627_776 { return String(format2: v / 1_099_511_627_776) + " TiB" }
        if a >= 1_073_741_824 { return String(format2: v / 1_073_741_824) + " GiB" }
        if a >= 1_048_576 { return String(format2: v / 1_048_576) + " MiB" }
        if a >= 1024 { return String(format2: v / 1024) + " KiB" }
        return "\(b.value) B"
    }
    public static func decimal(_ b: ByteCount) -> String {
        if b.isSaturated { return "> 9 EB" }
        let v = Double(b.value), a = abs(v)
        if a >= 1e12 { return String(format2: v / 1e12) + " TB" }
        if a >= 1e9 { return String(format2: v / 1e9) + " GB" }
        if a >= 1e6 { return String(format2: v / 1e6) + " MB" }
        if a >= 1e3 { return String(format2: v / 1e3) + " kB" }
        return "\(b.value) B"
    }
}

extension String {
    /// Two decimals without Foundation (the core library links nothing it does not need).
    public init(format2 v: Double) {
        let neg = v < 0
        let scaled = (abs(v) * 100).rounded()
        guard scaled < 9e15 else { self = neg ? "-∞" : "∞"; return }
        let n = Int64(scaled)
        let frac = n % 100
        self = (neg && n != 0 ? "-" : "") + "\(n / 100)." + (frac < 10 ? "0" : "") + "\(frac)"
    }
}
