/// What every storage format implements for the CPU kernels: decode a small rectangle of W into
/// fp32. The kernels below turn that into matvec and matmul, so no format ever materialises its
/// whole matrix in fp32 — only one tile (at most 16 rows × 256 columns) at a time, in scratch of
/// the calling thread (`QuantizedKernelScratch.maxBytesPerCall`).
///
/// A decoder is a short-lived view over the format's buffers (raw pointers valid for one call);
/// it holds no mutable state, so any number of threads may decode disjoint row ranges at once.
protocol TileDecoder {
    /// Writes W[r0 + i, k0 + j] into `out[i * rowStride + j * colStride]` for i < nr, j < nk.
    func decode(rows r0: Int, _ nr: Int, cols k0: Int, _ nk: Int,
                into out: UnsafeMutablePointer<Float>, rowStride: Int, colStride: Int)
}

/// How a format's bytes are ordered, which decides the loop order of matvec: formats stored
/// input-dimension-major (AWQ `[K, N/8]`, GPTQ `[K/8, N]`) keep one cache line per k shared by
/// many output rows, so matvec walks k inside a block of 128 rows; row-major formats stream each
/// row front to back.
enum StorageOrder { case rowMajor, inputMajor }

/// The scratch one matvec/matmul call of a quantized format uses, on the calling thread's stack
/// (`withUnsafeTemporaryAllocation`): matmul's 16 × 256 k-major tile plus, for row-major formats,
/// the 16 × 256 row-major rows it is transposed from (2 × 16 KiB); matvec's 4 × 256 rows or
/// 16 × 256 tile and 128 accumulators; a decoder's block or group temporaries (≤ 1 KiB).
/// Working-memory reports add this per worker thread.
public enum QuantizedKernelScratch {
    public static let maxBytesPerCall = 2 * 16 * 256 * 4 + 1024
}

enum TileKernels {
    /// Rows per tile: one SIMD16<Float> accumulator per token covers a tile.
    static let tileRows = 16
    /// Columns per tile: a multiple of every block length (32, 64, 128, 256), so block-aligned
    /// formats never split a block across tiles.
    static let tileCols = 256

    // MARK: dequantizeRow

    static func dequantizeRow<D: TileDecoder>(_ d: D, row: Int, cols: Int, into out: UnsafeMutableBufferPointer<Float>) {
        precondition(out.count >= cols, "dequantizeRow: output holds \(out.count) values, the row has \(cols)")
        guard cols > 0, let base = out.baseAddress else { return }
        d.decode(rows: row, 1, cols: 0, cols, into: base, rowStride: cols, colStride: 1)
    }

    // MARK: matvec

    /// y[r] = Σ_k W[r, k] x[k] for r in `rows`.
    static func matvec<D: TileDecoder>(_ d: D, order: StorageOrder, cols: Int, x: UnsafeBufferPointer<Float>,
                                       y: UnsafeMutableBufferPointer<Float>, rows: Range<Int>) {
        guard !rows.isEmpty else { return }
        precondition(x.count >= cols && y.count >= rows.upperBound, "matvec: x or y too short")
        switch order {
        case .rowMajor: matvecRowMajor(d, cols: cols, x: x.baseAddress!, y: y.baseAddress!, rows: rows)
        case .inputMajor: matvecInputMajor(d, cols: cols, x: x.baseAddress!, y: y.baseAddress!, rows: rows)
        }
    }

    /// Row-major storage: four rows at a time, each decoded 256 columns at a time into a
    /// contiguous scratch row (the decoders' stride-1 paths vectorise) and dotted with x, so the
    /// weights stream front to back in four sequential streams.
    static func matvecRowMajor<D: TileDecoder>(_ d: D, cols: Int, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, rows: Range<Int>) {
        let tc = tileCols, rb = 4
        withUnsafeTemporaryAllocation(of: Float.self, capacity: rb * tc) { scratch in
            let t = scratch.baseAddress!
            t.initialize(repeating: 0, count: rb * tc)
            var r0 = rows.lowerBound
            while r0 < rows.upperBound {
                let nr = min(rb, rows.upperBound - r0)
                var a0 = SIMD16<Float>.zero, a1 = SIMD16<Float>.zero, a2 = SIMD16<Float>.zero, a3 = SIMD16<Float>.zero
                var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
                var k0 = 0
                while k0 < cols {
                    let nk = min(tc, cols - k0)
                    d.decode(rows: r0, nr, cols: k0, nk, into: t, rowStride: tc, colStride: 1)
                    let xk = x + k0
                    var j = 0
                    while j + 16 <= nk {
                        let xv = load16(xk + j)
                        a0 += load16(t + j) * xv
                        a1 += load16(t + tc + j) * xv
                        a2 += load16(t + 2 * tc + j) * xv
                        a3 += load16(t + 3 * tc + j) * xv
                        j += 16
                    }
                    while j < nk {
                        s0 += t[j] * xk[j]; s1 += t[tc + j] * xk[j]; s2 += t[2 * tc + j] * xk[j]; s3 += t[3 * tc + j] * xk[j]
                        j += 1
                    }
                    k0 += nk
                }
                let sums = SIMD4<Float>(a0.sum() + s0, a1.sum() + s1, a2.sum() + s2, a3.sum() + s3)
                for i in 0..<nr { y[r0 + i] = sums[i] }
                r0 += nr
            }
        }
    }

    /// Input-major storage (AWQ, GPTQ): one packed word per k serves several output rows, so the
    /// loop walks k inside blocks of 128 rows, decoding 16-row tiles transposed (16 rows
    /// contiguous per k) and accumulating y[16 rows] += x[k] · tile[k].
    static func matvecInputMajor<D: TileDecoder>(_ d: D, cols: Int, x xp: UnsafePointer<Float>, y yp: UnsafeMutablePointer<Float>, rows: Range<Int>) {
        let tr = tileRows, tc = tileCols
        let blockRows = 8 * tr
        withUnsafeTemporaryAllocation(of: Float.self, capacity: tc * tr + blockRows) { scratch in
            let tile = scratch.baseAddress!
            let acc = tile + tc * tr
            tile.initialize(repeating: 0, count: tc * tr + blockRows)
            var b0 = rows.lowerBound
            while b0 < rows.upperBound {
                // Blocks and tiles sit on multiples of 16 rows (the first may be partial), so
                // packed formats see aligned row groups wherever the caller splits.
                let b1 = min(rows.upperBound, (b0 / blockRows + 1) * blockRows)
                acc.update(repeating: 0, count: blockRows)
                var k0 = 0
                while k0 < cols {
                    let nk = min(tc, cols - k0)
                    var t0 = b0
                    while t0 < b1 {
                        let t1 = min(b1, (t0 / tr + 1) * tr)
                        let nr = t1 - t0
                        d.decode(rows: t0, nr, cols: k0, nk, into: tile, rowStride: 1, colStride: tr)
                        let a = acc + (t0 - b0)
                        var s = SIMD16<Float>.zero
                        var s2 = SIMD16<Float>.zero
                        let xk = xp + k0
                        var j = 0
                        while j + 1 < nk {
                            s += SIMD16<Float>(repeating: xk[j]) * load16(tile + j * tr)
                            s2 += SIMD16<Float>(repeating: xk[j + 1]) * load16(tile + (j + 1) * tr)
                            j += 2
                        }
                        if j < nk { s += SIMD16<Float>(repeating: xk[j]) * load16(tile + j * tr) }
                        add(s + s2, to: a, nr)
                        t0 = t1
                    }
                    k0 += nk
                }
                (yp + b0).update(from: acc, count: b1 - b0)
                b0 = b1
            }
        }
    }

    // MARK: matmul

    /// Y[t, r] = Σ_k W[r, k] X[t, k]; X is `tokens × cols`, Y is `tokens × outRows`, row-major.
    ///
    /// Loop order: 256-column chunks outermost, so the chunk of X every tile multiplies
    /// (tokens × 1 KiB) stays in L2 while all tiles of the row range pass over it; each tile is
    /// decoded once per chunk and reused for every token (3 tokens × 16 rows in registers).
    static func matmul<D: TileDecoder>(_ d: D, order: StorageOrder, cols: Int, outRows: Int, x: UnsafeBufferPointer<Float>, tokens: Int,
                                       y: UnsafeMutableBufferPointer<Float>, rows: Range<Int>) {
        guard !rows.isEmpty, tokens > 0 else { return }
        precondition(x.count >= tokens * cols && y.count >= (tokens - 1) * outRows + rows.upperBound, "matmul: X or Y too short")
        let tr = tileRows, tc = tileCols
        let xp = x.baseAddress!, yp = y.baseAddress!
        for t in 0..<tokens { (yp + t * outRows + rows.lowerBound).update(repeating: 0, count: rows.count) }
        withUnsafeTemporaryAllocation(of: Float.self, capacity: 2 * tc * tr) { scratch in
            let tile = scratch.baseAddress!
            let rowsTmp = tile + tc * tr
            tile.initialize(repeating: 0, count: 2 * tc * tr)
            var k0 = 0
            while k0 < cols {
                let nk = min(tc, cols - k0)
                var t0 = rows.lowerBound
                while t0 < rows.upperBound {
                    let t1 = min(rows.upperBound, (t0 / tr + 1) * tr)
                    let nr = t1 - t0
                    if order == .rowMajor {
                        // Row-major formats decode fastest into contiguous rows (their stride-1
                        // paths vectorise); a transpose then makes the k-major tile.
                        d.decode(rows: t0, nr, cols: k0, nk, into: rowsTmp, rowStride: tc, colStride: 1)
                        transpose(rowsTmp, rows: nr, cols: nk, into: tile)
                    } else {
                        d.decode(rows: t0, nr, cols: k0, nk, into: tile, rowStride: 1, colStride: tr)
                    }
                    var tok = 0
                    while tok + 3 <= tokens {
                        microkernel3(tile: tile, nk: nk, x: xp + tok * cols + k0, ldx: cols,
                                     y: yp + tok * outRows + t0, ldy: outRows, nr: nr)
                        tok += 3
                    }
                    while tok < tokens {
                        microkernel1(tile: tile, nk: nk, x: xp + tok * cols + k0, y: yp + tok * outRows + t0, nr: nr)
                        tok += 1
                    }
                    t0 = t1
                }
                k0 += nk
            }
        }
    }

    /// 3 tokens × 16 rows: per column one tile vector, three broadcasts, three multiply-adds.
    /// Three SIMD16 accumulators are 12 of the 16 SSE registers (the baseline x86-64 target); 4 × 16
    /// spilled and measured 20 % slower, 6 tokens × 8 rows was no faster. Separate multiply and add:
    /// Swift never fuses them, and an explicit fma would become a library call without FMA.
    @inline(__always)
    static func microkernel3(tile: UnsafePointer<Float>, nk: Int, x: UnsafePointer<Float>, ldx: Int,
                             y: UnsafeMutablePointer<Float>, ldy: Int, nr: Int) {
        var a0 = SIMD16<Float>.zero, a1 = SIMD16<Float>.zero, a2 = SIMD16<Float>.zero
        let x0 = x, x1 = x + ldx, x2 = x + 2 * ldx
        for j in 0..<nk {
            let w = load16(tile + j * tileRows)
            a0 += SIMD16<Float>(repeating: x0[j]) * w
            a1 += SIMD16<Float>(repeating: x1[j]) * w
            a2 += SIMD16<Float>(repeating: x2[j]) * w
        }
        add(a0, to: y, nr); add(a1, to: y + ldy, nr); add(a2, to: y + 2 * ldy, nr)
    }

    /// rows × cols (row stride `tileCols`) → cols × 16 (k-major tile), four columns at a time.
    @inline(__always)
    static func transpose(_ src: UnsafePointer<Float>, rows: Int, cols: Int, into dst: UnsafeMutablePointer<Float>) {
        let tc = tileCols, tr = tileRows
        var j = 0
        while j + 4 <= cols {
            for i in 0..<rows {
                let v = UnsafeRawPointer(src + i * tc + j).loadUnaligned(as: SIMD4<Float>.self)
                dst[j * tr + i] = v[0]; dst[(j + 1) * tr + i] = v[1]; dst[(j + 2) * tr + i] = v[2]; dst[(j + 3) * tr + i] = v[3]
            }
            j += 4
        }
        while j < cols {
            for i in 0..<rows { dst[j * tr + i] = src[i * tc + j] }
            j += 1
        }
    }

    @inline(__always)
    static func microkernel1(tile: UnsafePointer<Float>, nk: Int, x: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>, nr: Int) {
        var a = SIMD16<Float>.zero
        for j in 0..<nk { a += SIMD16<Float>(repeating: x[j]) * load16(tile + j * tileRows) }
        add(a, to: y, nr)
    }

    @inline(__always)
    static func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
    }

    @inline(__always)
    static func add(_ v: SIMD16<Float>, to y: UnsafeMutablePointer<Float>, _ nr: Int) {
        if nr == tileRows {
            let raw = UnsafeMutableRawPointer(y)
            raw.storeBytes(of: raw.loadUnaligned(as: SIMD16<Float>.self) + v, as: SIMD16<Float>.self)
        } else {
            for i in 0..<nr { y[i] += v[i] }
        }
    }
}

/// The QuantizedWeight methods every format shares: formats provide a decoder and their order.
protocol TileDecodable: QuantizedWeight {
    associatedtype Decoder: TileDecoder
    var storageOrder: StorageOrder { get }
    /// Runs `body` with a decoder over this weight's buffers.
    func withDecoder<R>(_ body: (Decoder) -> R) -> R
}

extension TileDecodable {
    public func dequantizeRow(_ row: Int, into out: UnsafeMutableBufferPointer<Float>) {
        precondition((0..<rows).contains(row), "row \(row) outside 0..<\(rows)")
        withDecoder { TileKernels.dequantizeRow($0, row: row, cols: cols, into: out) }
    }

    public func matvec(_ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>, rows range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "rows \(range) outside 0..<\(rows)")
        withDecoder { TileKernels.matvec($0, order: storageOrder, cols: cols, x: x, y: y, rows: range) }
    }

    public func matmul(_ x: UnsafeBufferPointer<Float>, tokens: Int, into y: UnsafeMutableBufferPointer<Float>, rows range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= rows, "rows \(range) outside 0..<\(rows)")
        if tokens == 1 { return matvec(x, into: y, rows: range) }
        withDecoder { TileKernels.matmul($0, order: storageOrder, cols: cols, outRows: rows, x: x, tokens: tokens, y: y, rows: range) }
    }
}

/// Formats that compute one token's y fastest when each core takes a slice of the input (whole
/// groups) and sums over every output row (`CPUKernels.projectByInputSlices`): AWQ, whose packed
/// words are input-major.
protocol InputSliceMatvec: QuantizedWeight {
    /// Input groups (the unit a slice is made of).
    var groupCount: Int { get }
    /// Writes into `partial[0..<rows]` (overwriting it) Σ over the input columns of `groups` of W[r, k] x[k].
    func partialMatvec(_ x: UnsafeBufferPointer<Float>, groups: Range<Int>, into partial: UnsafeMutablePointer<Float>)
}

