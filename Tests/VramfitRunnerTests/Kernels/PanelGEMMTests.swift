import Testing
@testable import VramfitRunner

/// The shared prefill matmul and the decode dot products against a plain Double loop, on shapes
/// that exercise every remainder (rows not a multiple of 8, tokens not of 6, cols not of 256).
@Suite struct PanelGEMMTests {
    func naive(_ w: [Float], rows: Int, cols: Int, _ x: [Float], tokens: Int) -> [Double] {
        var y = [Double](repeating: 0, count: tokens * rows)
        for t in 0..<tokens { for r in 0..<rows {
            var s = 0.0
            for k in 0..<cols { s += Double(w[r * cols + k]) * Double(x[t * cols + k]) }
            y[t * rows + r] = s
        } }
        return y
    }

    @Test(arguments: [(13, 300, 7), (8, 256, 6), (1, 5, 1), (33, 513, 13)])
    func matmulAndMatvecAgreeWithNaive(_ shape: (Int, Int, Int)) throws {
        let (rows, cols, tokens) = shape
        let w = GaussianFill.values(rows * cols, seed: 1, std: 1), x = GaussianFill.values(tokens * cols, seed: 2, std: 1)
        let want = naive(w, rows: rows, cols: cols, x, tokens: tokens)
        let dense = try DenseWeight(rows: rows, cols: cols, storage: .fp32, values: w)
        var y = [Float](repeating: .nan, count: tokens * rows)
        x.withUnsafeBufferPointer { xb in y.withUnsafeMutableBufferPointer { yb in
            // Two row ranges, as the backend splits work across cores.
            dense.matmul(xb, tokens: tokens, into: yb, rows: 0..<(rows / 2))
            dense.matmul(xb, tokens: tokens, into: yb, rows: (rows / 2)..<rows)
        } }
        let e = OutputError.compare(y, want)
        #expect(e.relativeL2 < 1e-6)
        // matvec on each token equals the matmul row.
        for t in 0..<tokens {
            var v = [Float](repeating: .nan, count: rows)
            Array(x[(t * cols)..<((t + 1) * cols)]).withUnsafeBufferPointer { xb in v.withUnsafeMutableBufferPointer { dense.matvec(xb, into: $0, rows: 0..<rows) } }
            #expect(OutputError.compare(v, Array(want[(t * rows)..<((t + 1) * rows)])).relativeL2 < 1e-6)
        }
    }

    @Test func sixTokenBlocksAndRemaindersGiveIdenticalRows() throws {
        // A token's result must not depend on where it falls in the register blocking.
        let rows = 16, cols = 40
        let w = try DenseWeight(rows: rows, cols: cols, storage: .bf16, values: GaussianFill.values(rows * cols, seed: 3, std: 1))
        let x = GaussianFill.values(7 * cols, seed: 4, std: 1)
        var all = [Float](repeating: 0, count: 7 * rows), one = [Float](repeating: 0, count: rows)
        x.withUnsafeBufferPointer { xb in all.withUnsafeMutableBufferPointer { w.matmul(xb, tokens: 7, into: $0, rows: 0..<rows) } }
        Array(x[(6 * cols)...]).withUnsafeBufferPointer { xb in one.withUnsafeMutableBufferPointer { w.matmul(xb, tokens: 1, into: $0, rows: 0..<rows) } }
        #expect(Array(all[(6 * rows)...]) == one)
        var first = [Float](repeating: 0, count: rows)
        Array(x[0..<cols]).withUnsafeBufferPointer { xb in first.withUnsafeMutableBufferPointer { w.matmul(xb, tokens: 1, into: $0, rows: 0..<rows) } }
        #expect(Array(all[0..<rows]) == first)
    }

    @Test func rangesAreAlignedAndCoverEverything() {
        let r = Parallel.ranges(1000, parts: 7, align: 16)
        #expect(r.first?.lowerBound == 0 && r.last?.upperBound == 1000)
        for (a, b) in zip(r, r.dropFirst()) { #expect(a.upperBound == b.lowerBound && b.lowerBound % 16 == 0) }
        #expect(Parallel.ranges(5, parts: 8, align: 16) == [0..<5])
        #expect(Parallel.ranges(0, parts: 8).isEmpty)
    }
}
