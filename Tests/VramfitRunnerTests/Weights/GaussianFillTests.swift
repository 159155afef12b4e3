import Foundation
import Testing
@testable import VramfitRunner

@Suite struct GaussianFillTests {
    @Test func sameSeedSameValuesWhateverTheThreads() {
        let n = GaussianFill.chunk * 3 + 17
        let a = GaussianFill.values(n, seed: 9, std: 1)
        // Chunk by chunk on one thread: identical bits.
        var b = [Float](repeating: 0, count: n)
        b.withUnsafeMutableBufferPointer { p in
            for c in 0..<4 {
                let start = c * GaussianFill.chunk
                GaussianFill.fillChunk(p.baseAddress! + start, count: min(GaussianFill.chunk, n - start), seed: GaussianFill.mix(9, UInt64(c)), mean: 0, std: 1)
            }
        }
        #expect(a == b)
        #expect(GaussianFill.values(100, seed: 10, std: 1) != Array(a.prefix(100)))
    }

    @Test func momentsAreThoseOfTheNormal() {
        let v = GaussianFill.values(1 << 20, seed: 5, mean: 1, std: 0.05).map(Double.init)
        let mean = v.reduce(0, +) / Double(v.count)
        let variance = v.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(v.count)
        #expect(abs(mean - 1) < 0.0005)                     // 5 standard errors (0.05 / 1024)
        #expect(abs(variance.squareRoot() - 0.05) < 0.0005)
        // Fraction within one sigma: 68.27 % for a normal.
        let inside = Double(v.filter { abs($0 - 1) < 0.05 }.count) / Double(v.count)
        #expect(abs(inside - 0.6827) < 0.003)
    }

    @Test func portableLogMatchesLibm() {
        for x in stride(from: 1e-12, to: 1.0, by: 0.000_97) {
            #expect(abs(GaussianFill.portableLog(x) - Foundation.log(x)) <= 1e-12 * max(1, abs(Foundation.log(x))))
        }
    }
}
