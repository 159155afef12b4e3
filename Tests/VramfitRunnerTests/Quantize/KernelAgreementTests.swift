import Testing
@testable import VramfitRunner

/// matvec and matmul read the quantized storage directly; they must equal "dequantize every row,
/// then dot in float64" on shapes that stress the tiling: row counts that are not multiples of
/// the 16-row tile, row ranges that start and end mid-tile (as callers splitting across cores
/// produce), token counts that are not multiples of the 4-token register block, and per format
/// the awkward column counts it allows (bitsandbytes blocks that straddle rows, GPTQ's partial
/// last group and padded last word, act-order g_idx).
@Suite struct KernelAgreementTests {
    struct Case: CustomStringConvertible, Sendable {
        var name: String
        var rows: Int
        var cols: Int
        var make: @Sendable () -> any WeightQuantizer
        var description: String { "\(name) \(rows)×\(cols)" }
    }

    static let cases: [Case] = [
        Case(name: "int8", rows: 37, cols: 300) { RowInt8Quantizer(flavor: .w8a16) },
        Case(name: "llm-int8", rows: 37, cols: 300) { RowInt8Quantizer(flavor: .llmInt8) },
        Case(name: "fp8 tensor", rows: 37, cols: 300) { FP8Quantizer(granularity: .perTensor) },
        Case(name: "fp8 channel", rows: 37, cols: 300) { FP8Quantizer(granularity: .perChannel) },
        Case(name: "fp8 block", rows: 150, cols: 300) { FP8Quantizer(granularity: .block(128)) },
        Case(name: "awq", rows: 40, cols: 384) { AWQQuantizer() },
        // Wider than the fused decode kernel's 32-word block (264 rows = 33 words), 4 groups.
        Case(name: "awq wide", rows: 264, cols: 512) { AWQQuantizer() },
        Case(name: "gptq", rows: 37, cols: 300) { GPTQQuantizer(bits: 4, groupSize: 128) },
        Case(name: "gptq act-order", rows: 37, cols: 300) { GPTQQuantizer(bits: 4, groupSize: 128, actOrder: true) },
        Case(name: "gptq 8-bit", rows: 37, cols: 300) { GPTQQuantizer(bits: 8, groupSize: 128) },
        Case(name: "nf4", rows: 37, cols: 200) { Bnb4bitQuantizer(dataType: .nf4, doubleQuant: false) },
        Case(name: "nf4 dq", rows: 37, cols: 200) { Bnb4bitQuantizer(dataType: .nf4, doubleQuant: true) },
        Case(name: "fp4", rows: 37, cols: 320) { Bnb4bitQuantizer(dataType: .fp4, doubleQuant: false) },
        Case(name: "Q8_0", rows: 37, cols: 288) { GGMLQuantizer(type: .q8_0) },
        Case(name: "Q4_0", rows: 37, cols: 288) { GGMLQuantizer(type: .q4_0) },
        Case(name: "Q4_1", rows: 37, cols: 288) { GGMLQuantizer(type: .q4_1) },
        Case(name: "Q5_0", rows: 37, cols: 288) { GGMLQuantizer(type: .q5_0) },
        Case(name: "Q5_1", rows: 37, cols: 288) { GGMLQuantizer(type: .q5_1) },
        Case(name: "Q4_K", rows: 37, cols: 768) { GGMLQuantizer(type: .q4_K) },
        Case(name: "Q5_K", rows: 37, cols: 768) { GGMLQuantizer(type: .q5_K) },
        Case(name: "Q6_K", rows: 37, cols: 768) { GGMLQuantizer(type: .q6_K) },
    ]

    /// One token through `CPUKernels.project`: AWQ takes the input-slice path (each core sums
    /// whole groups over every row, partials added), which must agree with float64 like matvec.
    @Test(arguments: [(40, 384), (264, 512), (3584, 1024)])
    func awqDecodeByInputSlicesMatchesFloat64(_ shape: (Int, Int)) throws {
        let (rows, cols) = shape
        let w = try AWQQuantizer().quantize(QuantFixtures.gaussian(rows: rows, cols: cols, seed: 21), rows: rows, cols: cols)
        #expect(w is any InputSliceMatvec)
        let dense = QuantFixtures.dequantized(w)
        var x = QuantFixtures.gaussian(rows: 1, cols: cols, seed: 22, std: 1)
        var y = [Float](repeating: .nan, count: rows)
        x.withUnsafeMutableBufferPointer { xb in y.withUnsafeMutableBufferPointer { CPUKernels.project(w, xb, tokens: 1, into: $0) } }
        for r in 0..<rows {
            var s = 0.0, a = 0.0
            for k in 0..<cols { let p = dense[r * cols + k] * Double(x[k]); s += p; a += abs(p) }
            #expect(abs(Double(y[r]) - s) <= a * 1e-5 + 1e-12, "row \(r): \(y[r]) vs \(s)")
        }
    }

    @Test(arguments: cases)
    func matvecAndMatmulMatchFloat64(_ c: Case) throws {
        let w = try c.make().quantize(QuantFixtures.gaussian(rows: c.rows, cols: c.cols, seed: 11), rows: c.rows, cols: c.cols)
        let dense = QuantFixtures.dequantized(w)
        let tokens = 7
        let x = QuantFixtures.gaussian(rows: tokens, cols: c.cols, seed: 12, std: 1)
        // Reference and a bound for float32 accumulation error: Σ|w||x| · 1e-5.
        func expected(_ t: Int, _ r: Int) -> (Double, Double) {
            var s = 0.0, a = 0.0
            for k in 0..<c.cols {
                let p = dense[r * c.cols + k] * Double(x[t * c.cols + k])
                s += p; a += abs(p)
            }
            return (s, a * 1e-5 + 1e-12)
        }
        for range in [0..<c.rows, 3..<(c.rows - 5), 16..<(c.rows - 1)] {
            var y = [Float](repeating: .nan, count: c.rows)
            x.withUnsafeBufferPointer { xb in
                y.withUnsafeMutableBufferPointer { w.matvec(UnsafeBufferPointer(rebasing: xb[0..<c.cols]), into: $0, rows: range) }
            }
            for r in 0..<c.rows {
                if range.contains(r) {
                    let (e, tol) = expected(0, r)
                    #expect(abs(Double(y[r]) - e) <= tol, "\(c) matvec row \(r) of \(range): \(y[r]) vs \(e)")
                } else {
                    #expect(y[r].isNaN, "\(c) matvec wrote row \(r) outside \(range)")
                }
            }
            var ym = [Float](repeating: .nan, count: tokens * c.rows)
            x.withUnsafeBufferPointer { xb in ym.withUnsafeMutableBufferPointer { w.matmul(xb, tokens: tokens, into: $0, rows: range) } }
            for t in 0..<tokens {
                for r in 0..<c.rows {
                    let v = ym[t * c.rows + r]
                    if range.contains(r) {
                        let (e, tol) = expected(t, r)
                        #expect(abs(Double(v) - e) <= tol, "\(c) matmul token \(t) row \(r) of \(range): \(v) vs \(e)")
                    } else {
                        #expect(v.isNaN, "\(c) matmul wrote row \(r) outside \(range)")
                    }
                }
            }
        }
    }

    /// dequantizeRow of every row equals a decode of the whole matrix through the matmul path
    /// with one-hot inputs: the two decoders (row and tile) read the same bytes the same way.
    @Test(arguments: [cases[5], cases[7], cases[10], cases[17]])
    func oneHotColumnsReproduceDequantizedRows(_ c: Case) throws {
        let w = try c.make().quantize(QuantFixtures.gaussian(rows: c.rows, cols: c.cols, seed: 5), rows: c.rows, cols: c.cols)
        let dense = QuantFixtures.dequantized(w)
        let picks = [0, 1, c.cols / 2, c.cols - 1]
        var x = [Float](repeating: 0, count: picks.count * c.cols)
        for (t, k) in picks.enumerated() { x[t * c.cols + k] = 1 }
        var y = [Float](repeating: 0, count: picks.count * c.rows)
        x.withUnsafeBufferPointer { xb in y.withUnsafeMutableBufferPointer { w.matmul(xb, tokens: picks.count, into: $0, rows: 0..<c.rows) } }
        for (t, k) in picks.enumerated() {
            for r in 0..<c.rows { #expect(Double(y[t * c.rows + r]) == dense[r * c.cols + k], "\(c) W[\(r), \(k)]") }
        }
    }
}
