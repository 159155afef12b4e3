/// Quantizing a 7B layer (233 M weights; a K-quant scale search costs ~250 flops per weight) is
/// worth every core. Each format splits its matrix into row ranges whose output bytes are
/// disjoint, so the result is the same bytes whatever the core count.
enum QuantizeParallel {
    /// Runs `body` over consecutive ranges covering 0..<count (bounds multiples of `granule`),
    /// on all cores when `count × workPerItem` is large enough to pay for the threads.
    static func ranges(_ count: Int, granule: Int = 1, workPerItem: Int, _ body: @escaping @Sendable (Range<Int>) -> Void) {
        guard count > 0 else { return }
        if count * workPerItem < 1 << 15 || Parallel.cores == 1 { body(0..<count); return }
        let parts = Parallel.ranges(count, parts: 4 * Parallel.cores, align: max(granule, 1))
        Parallel.forEach(parts.count) { body(parts[$0]) }
    }
}

/// A buffer's base address handed to workers that write disjoint parts of it.
struct RawOut: @unchecked Sendable {
    let p: UnsafeMutableRawPointer
    init(_ b: UnsafeMutableRawBufferPointer) { p = b.baseAddress! }
}

/// A read-only view of input floats handed to workers.
struct FloatsIn: @unchecked Sendable {
    let p: UnsafePointer<Float>
    init(_ b: UnsafeBufferPointer<Float>) { p = b.baseAddress! }
}
