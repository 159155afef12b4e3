/// Inner products for the decode path (matrix × one vector), where every weight byte is read once
/// and the loop should run at memory speed: eight lanes, two accumulators, no bounds checks.
///
/// Multiplies and adds are separate operations on purpose: `addingProduct` on SIMD types lowers to
/// `llvm.fma`, which becomes a per-lane library call on x86-64 builds without FMA enabled.
public enum DotKernels {
    /// Σ a[i]·b[i] over `count` Floats.
    @inline(__always)
    public static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
        var i = 0
        while i &+ 16 <= count {
            acc0 = acc0 + load8(a + i) * load8(b + i)
            acc1 = acc1 + load8(a + (i &+ 8)) * load8(b + (i &+ 8))
            i &+= 16
        }
        if i &+ 8 <= count { acc0 = acc0 + load8(a + i) * load8(b + i); i &+= 8 }
        var s = (acc0 + acc1).sum()
        while i < count { s += a[i] * b[i]; i &+= 1 }
        return s
    }

    /// Σ half(w[i])·x[i]: an fp16 row against a Float vector, converting in registers.
    @inline(__always)
    public static func dotHalf(_ w: UnsafePointer<UInt16>, _ x: UnsafePointer<Float>, count: Int) -> Float {
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
        var i = 0
        while i &+ 16 <= count {
            acc0 = acc0 + VectorConvert.halfToFloat(load8u16(w + i)) * load8(x + i)
            acc1 = acc1 + VectorConvert.halfToFloat(load8u16(w + (i &+ 8))) * load8(x + (i &+ 8))
            i &+= 16
        }
        var s = (acc0 + acc1).sum()
        while i < count { s += FloatBits.halfToFloat(w[i]) * x[i]; i &+= 1 }
        return s
    }

    /// Σ bf16(w[i])·x[i].
    @inline(__always)
    public static func dotBF16(_ w: UnsafePointer<UInt16>, _ x: UnsafePointer<Float>, count: Int) -> Float {
        var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>()
        var i = 0
        while i &+ 16 <= count {
            acc0 = acc0 + VectorConvert.bf16ToFloat(load8u16(w + i)) * load8(x + i)
            acc1 = acc1 + VectorConvert.bf16ToFloat(load8u16(w + (i &+ 8))) * load8(x + (i &+ 8))
            i &+= 16
        }
        var s = (acc0 + acc1).sum()
        while i < count { s += FloatBits.bf16ToFloat(w[i]) * x[i]; i &+= 1 }
        return s
    }

    /// y[i] += a · x[i] over `count` Floats.
    @inline(__always)
    public static func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        let av = SIMD8<Float>(repeating: a)
        var i = 0
        while i &+ 8 <= count {
            store8(load8(y + i) + av * load8(x + i), y + i)
            i &+= 8
        }
        while i < count { y[i] += a * x[i]; i &+= 1 }
    }

    @inline(__always) static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }
    @inline(__always) static func load8(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }
    @inline(__always) static func load8u16(_ p: UnsafePointer<UInt16>) -> SIMD8<UInt16> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<UInt16>.self)
    }
    @inline(__always) static func store8(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self)
    }
}
