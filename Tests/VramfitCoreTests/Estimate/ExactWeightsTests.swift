import Testing
@testable import VramfitCore

@Suite struct ExactWeightsTests {
    /// Scaling keeps the per-layer shares and makes the total exactly the file's.
    @Test func scaledBreakdownHitsTheTotalAndKeepsShares() {
        let w = WeightBreakdown(model: Fixtures.llama31_8b, scheme: Fixtures.bf16, engine: nil)
        let target = ByteCount(w.total.value + 123_457)
        let s = w.scaled(toTotal: target)
        #expect(s.total == target)
        let before = Double(w.layer(3).value) / Double(w.total.value)
        let after = Double(s.layer(3).value) / Double(s.total.value)
        #expect(abs(before - after) < 1e-6)
        #expect(w.scaled(toTotal: nil).total == w.total)
    }

    /// The estimate's weights follow `exactWeights` (transformers: weights are one component per stage).
    @Test func estimateUsesExactWeights() throws {
        var r = EstimateRequest(model: Fixtures.llama31_8b, scheme: Fixtures.bf16, gpu: Fixtures.gpu80, engine: Fixtures.transformers,
                                kvCacheTypes: Fixtures.kvTypes, workload: Workload(context: 4096, pipelineParallel: 2))
        let formula = try Estimator.estimate(r).bytes(.weights)
        r.exactWeights = ByteCount(Int64(10_000_000_000))
        let exact = try Estimator.estimate(r).bytes(.weights)
        #expect(exact != formula)
        #expect(abs(exact.value - 10_000_000_000) < 10_000_000)   // within per-tensor 512-byte block rounding
    }
}
