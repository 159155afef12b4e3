import Testing
@testable import VramfitRunner

@Suite struct ErrorMetricsTests {
    /// y = [1, 0] against r = [1, 1]: ‖y − r‖/‖r‖ = 1/√2, cos = 1/√2.
    @Test func byHand() {
        let e = OutputError.compare([1, 0] as [Float], [1, 1])
        #expect(abs(e.relativeL2 - 0.707_106_781) < 1e-9 && abs(e.cosine - 0.707_106_781) < 1e-9 && e.maxAbs == 1)
        #expect(abs(OutputError.compare([2, 4] as [Float], [1, 2]).cosine - 1) < 1e-15)
    }

    @Test func weightErrorOfAKnownPerturbation() throws {
        let r = try DenseWeight(rows: 2, cols: 2, storage: .fp32, values: [3, 0, 0, 4])
        let q = try DenseWeight(rows: 2, cols: 2, storage: .fp32, values: [3, 0, 0, 5])
        #expect(abs(WeightError.relativeRMS([(q, r)]) - 0.2) < 1e-12)   // ‖(0,0,0,1)‖ / ‖(3,0,0,4)‖
    }

    @Test func bandwidthIsAPlausibleRate() {
        // Debug builds on a loaded machine are slow: only finite, positive and below any real memory.
        let b = MemoryBandwidth.measure(arrayBytes: 16 << 20, repetitions: 2)
        #expect(b.readBytesPerSecond > 1e5 && b.readBytesPerSecond < 1e13)
        #expect(b.copyBytesPerSecond > 1e5 && b.copyBytesPerSecond < 1e13)
        #expect(b.arrayBytes == 16 << 20 && b.repetitions == 2)
    }
}
