/// The prefill matrix multiply every weight format shares: Y[t, r] = Σ_k W[r, k] · X[t, k], with W
/// supplied a piece at a time by the format's own dequantizer, so no format ever materialises its
/// matrix in fp32 (the storage stays quantized; only an 8 × 256 tile exists as Float at a time).
///
/// Blocking (after BLIS / GotoBLAS): for each 256-wide slice of the input dimension, each panel of
/// 8 weight rows is dequantized once, transposed k-major, and multiplied against every token in
/// register blocks of 6 tokens × 8 rows (12 of the 16 SSE registers hold accumulators). The X slice
/// (tokens × 256 Floats, 512 KiB at 512 tokens) stays in L2 across all panels of the slice, and
/// each weight is dequantized exactly once per call, whatever the token count.
///
/// Callers split `rows` across cores; ranges that start on a multiple of 8 keep panels aligned
/// with packed formats (AWQ packs 8 output columns per int32).
public enum PanelGEMM {
    /// Weight rows per panel (the SIMD width of the accumulators).
    public static let panelRows = 8
    /// Tokens per register block.
    public static let tokenBlock = 6
    /// Input-dimension slice dequantized at a time. A multiple of every block size in use
    /// (32 for ggml legacy blocks, 64 for bitsandbytes, 128 for AWQ/GPTQ groups, 256 for K-quants).
    public static let depth = 256

    /// Floats of scratch one call allocates (the row-major tile and its transposed panel).
    public static let scratchFloats = 2 * 8 * 256

    /// Computes Y[t, r] for every token t < `tokens` and every r in `rows`; Y is row-major with
    /// leading dimension `ldy` (the weight's full row count). `load(row, k0, count, into)` must
    /// write W[row, k0 ..< k0 + count] as Float to `into`; `count` ≤ `depth` and k0 is a multiple
    /// of `depth`.
    public static func multiply(
        x: UnsafePointer<Float>, tokens: Int, cols: Int,
        y: UnsafeMutablePointer<Float>, ldy: Int, rows: Range<Int>,
        load: (_ row: Int, _ k0: Int, _ count: Int, _ into: UnsafeMutablePointer<Float>) -> Void
    ) {
        guard !rows.isEmpty, tokens > 0 else { return }
        let tile = UnsafeMutablePointer<Float>.allocate(capacity: panelRows * depth)
        let panel = UnsafeMutablePointer<Float>.allocate(capacity: panelRows * depth)
        defer { tile.deallocate(); panel.deallocate() }
        if cols == 0 {
            for t in 0..<tokens { for r in rows { y[t &* ldy &+ r] = 0 } }
            return
        }
        var k0 = 0
        while k0 < cols {
            let kn = min(depth, cols &- k0)
            var r0 = rows.lowerBound
            while r0 < rows.upperBound {
                let rn = min(panelRows, rows.upperBound &- r0)
                for i in 0..<rn { load(r0 &+ i, k0, kn, tile + i &* depth) }
                // k-major panel, zero-padded to 8 rows so the kernel never branches on rn.
                for k in 0..<kn {
                    let dst = panel + k &* panelRows
                    for i in 0..<rn { dst[i] = tile[i &* depth &+ k] }
                    for i in rn..<panelRows { dst[i] = 0 }
                }
                var t0 = 0
                let xk = x + k0
                let yr = y + r0
                while t0 &+ tokenBlock <= tokens {
                    kernel6(panel: panel, kn: kn, x: xk + t0 &* cols, ldx: cols, y: yr + t0 &* ldy, ldy: ldy, rn: rn, accumulate: k0 > 0)
                    t0 &+= tokenBlock
                }
                while t0 < tokens {
                    kernel1(panel: panel, kn: kn, x: xk + t0 &* cols, y: yr + t0 &* ldy, rn: rn, accumulate: k0 > 0)
                    t0 &+= 1
                }
                r0 &+= rn
            }
            k0 &+= kn
        }
    }

    @inline(__always)
    static func loadY(_ p: UnsafeMutablePointer<Float>, _ rn: Int, _ accumulate: Bool) -> SIMD8<Float> {
        guard accumulate else { return SIMD8<Float>() }
        if rn == 8 { return UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }
        var v = SIMD8<Float>()
        for i in 0..<rn { v[i] = p[i] }
        return v
    }

    @inline(__always)
    static func storeY(_ v: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>, _ rn: Int) {
        if rn == 8 { UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self); return }
        for i in 0..<rn { p[i] = v[i] }
    }

    /// 6 tokens × 8 rows over `kn` input values.
    @inline(__always)
    static func kernel6(panel: UnsafePointer<Float>, kn: Int, x: UnsafePointer<Float>, ldx: Int,
                        y: UnsafeMutablePointer<Float>, ldy: Int, rn: Int, accumulate: Bool) {
        var a0 = loadY(y, rn, accumulate)
        var a1 = loadY(y + ldy, rn, accumulate)
        var a2 = loadY(y + 2 &* ldy, rn, accumulate)
        var a3 = loadY(y + 3 &* ldy, rn, accumulate)
        var a4 = loadY(y + 4 &* ldy, rn, accumulate)
        var a5 = loadY(y + 5 &* ldy, rn, accumulate)
        let x0 = x, x1 = x + ldx, x2 = x + 2 &* ldx, x3 = x + 3 &* ldx, x4 = x + 4 &* ldx, x5 = x + 5 &* ldx
        var p = panel
        for k in 0..<kn {
            let w = UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
            a0 = a0 + w * x0[k]
            a1 = a1 + w * x1[k]
            a2 = a2 + w * x2[k]
            a3 = a3 + w * x3[k]
            a4 = a4 + w * x4[k]
            a5 = a5 + w * x5[k]
            p += 8
        }
        storeY(a0, y, rn)
        storeY(a1, y + ldy, rn)
        storeY(a2, y + 2 &* ldy, rn)
        storeY(a3, y + 3 &* ldy, rn)
        storeY(a4, y + 4 &* ldy, rn)
        storeY(a5, y + 5 &* ldy, rn)
    }

    /// 1 token × 8 rows (the remainder when tokens is not a multiple of 6). Same summation order
    /// as `kernel6`, so a token's result does not depend on where it falls in the blocking.
    @inline(__always)
    static func kernel1(panel: UnsafePointer<Float>, kn: Int, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, rn: Int, accumulate: Bool) {
        var a0 = loadY(y, rn, accumulate)
        var p = panel
        for k in 0..<kn {
            a0 = a0 + UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) * x[k]
            p += 8
        }
        storeY(a0, y, rn)
    }
}
