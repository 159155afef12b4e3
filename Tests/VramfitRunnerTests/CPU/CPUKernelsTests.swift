import Foundation
import Testing
@testable import VramfitRunner

/// The element-wise kernels against hand-computed values.
@Suite struct CPUKernelsTests {
    @Test func rmsNormByHand() {
        // x = [3, 4]: mean square 12.5, 1/√12.5 = 0.282843; weights [1, 2].
        let x: [Float] = [3, 4]
        var out = [Float](repeating: 0, count: 2)
        out.withUnsafeMutableBufferPointer { CPUKernels.rmsNorm(x, rows: 1, width: 2, weight: [1, 2], eps: 0, into: $0.baseAddress!) }
        #expect(abs(out[0] - 0.848_528) < 1e-5 && abs(out[1] - 2.262_742) < 1e-5)
        let r = ReferenceLayer.rmsNorm([3, 4], rows: 1, width: 2, weight: [1, 2], eps: 0)
        #expect(abs(r[0] - 0.848_528_137) < 1e-8 && abs(r[1] - 2.262_741_700) < 1e-8)
    }

    /// Head dim 4, θ = 10000: inverse frequencies 1 and 0.01; rotate-half pairs (x0, x2) and (x1, x3).
    @Test func ropeByHand() {
        #expect(CPUKernels.inverseFrequencies(headDim: 4, theta: 10_000) == [1, 0.01])
        var x: [Float] = [1, 2, 3, 4]
        x.withUnsafeMutableBufferPointer { CPUKernels.rope($0.baseAddress!, rows: 1, heads: 1, headDim: 4, start: 1, invFreq: [1, 0.01]) }
        let c1 = cos(1.0), s1 = sin(1.0), c2 = cos(0.01), s2 = sin(0.01)
        let want = [1 * c1 - 3 * s1, 2 * c2 - 4 * s2, 3 * c1 + 1 * s1, 4 * c2 + 2 * s2]
        for i in 0..<4 { #expect(abs(Double(x[i]) - want[i]) < 1e-6) }
        var r: [Double] = [1, 2, 3, 4]
        ReferenceLayer.rope(&r, positions: [1], heads: 1, headDim: 4, theta: 10_000)
        for i in 0..<4 { #expect(abs(r[i] - want[i]) < 1e-12) }
        // Position 0 is the identity.
        var z: [Float] = [1, 2, 3, 4]
        z.withUnsafeMutableBufferPointer { CPUKernels.rope($0.baseAddress!, rows: 1, heads: 1, headDim: 4, start: 0, invFreq: [1, 0.01]) }
        #expect(z == [1, 2, 3, 4])
    }

    @Test func siluTimesUpByHand() {
        var g: [Float] = [1, 0, -2]
        let u: [Float] = [2, 5, 1]
        g.withUnsafeMutableBufferPointer { CPUKernels.siluMul($0.baseAddress!, u, count: 3) }
        // silu(1) = 1/(1 + e^-1) = 0.7310586; silu(-2) = −2/(1 + e^2) = −0.2384058.
        #expect(abs(g[0] - 1.462_117) < 1e-5 && g[1] == 0 && abs(g[2] + 0.238_406) < 1e-5)
    }

    /// Softmax of [0, ln 2, ln 3] is [1/6, 2/6, 3/6]; top-2 is experts 2 and 1; renormalised 0.6 / 0.4.
    @Test func routingByHand() {
        let logits: [Float] = [0, Float(log(2.0)), Float(log(3.0))]
        let raw = MoERouting.route(logits, topK: 2, normalize: false)
        #expect(raw.map(\.expert) == [2, 1])
        #expect(abs(raw[0].weight - 0.5) < 1e-6 && abs(raw[1].weight - 1.0 / 3) < 1e-6)
        let norm = MoERouting.route(logits, topK: 2, normalize: true)
        #expect(abs(norm[0].weight - 0.6) < 1e-6 && abs(norm[1].weight - 0.4) < 1e-6)
        // Ties go to the lower index.
        #expect(MoERouting.route([1, 1, 1], topK: 1, normalize: true).map(\.expert) == [0])
    }
}
