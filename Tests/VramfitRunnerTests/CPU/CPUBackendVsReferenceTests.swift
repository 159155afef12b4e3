import Testing
import VramfitCore
@testable import VramfitRunner

/// The CPU backend against the float64 reference on the same weights: only arithmetic (fp32 vs
/// Double, blocked vs plain) separates them, so the error must be at fp32 rounding level.
@Suite struct CPUBackendVsReferenceTests {
    func check(_ m: Model, index: Int = 0, positions n: Int = 21, kv: KVCacheStorage = .fp32, tolerance: Double = 1e-6) throws -> OutputError {
        let (layer, input) = try RunnerFixtures.layer(m, index: index, positions: n)
        let got = try RunnerFixtures.prefill(layer, input, positions: n, kv: kv)
        let want = ReferenceLayer(layer, kvRounding: kv).forward(input, positions: n, outputs: Array(0..<n))
        let err = OutputError.compare(got, want.flatMap { $0 })
        #expect(err.relativeL2 < tolerance, "relative L2 \(err.relativeL2) for \(m.id) kv \(kv)")
        #expect(err.cosine > 1 - tolerance)
        return err
    }

    @Test func denseGQA() throws { _ = try check(RunnerFixtures.model()) }

    @Test func multiHeadNoGrouping() throws { _ = try check(RunnerFixtures.model(heads: 4, kvHeads: 4)) }

    @Test func multiQuery() throws { _ = try check(RunnerFixtures.model(heads: 4, kvHeads: 1)) }

    @Test func biasesAndQKNorm() throws {
        _ = try check(RunnerFixtures.model(qkvBias: true, outputBias: true, qkNorm: true, family: "qwen3"))
    }

    @Test func explicitHeadDim() throws { _ = try check(RunnerFixtures.model(hidden: 64, heads: 4, kvHeads: 2, headDim: 32)) }

    @Test func slidingWindow() throws {
        _ = try check(RunnerFixtures.model(sliding: .init(window: 5, pattern: [])), positions: 30)
    }

    @Test func moeWithRenormalisedTopK() throws {
        let moe = Model.MoE(numExperts: 4, expertsPerToken: 2, expertIntermediateSize: 48)
        _ = try check(RunnerFixtures.model(moe: moe, family: "mixtral"))
    }

    @Test func moeWithSharedExpertAndGate() throws {
        let moe = Model.MoE(numExperts: 6, expertsPerToken: 2, expertIntermediateSize: 32, sharedExperts: 1,
                            sharedExpertIntermediateSize: 80, sharedExpertGate: true)
        _ = try check(RunnerFixtures.model(moe: moe, family: "qwen1.5"))
    }

    @Test func longerThanOneKeyBlockAndSeveralQueryBlocks() throws {
        _ = try check(RunnerFixtures.model(hidden: 32, intermediate: 48, heads: 2, kvHeads: 1), positions: 150)
    }

    @Test(arguments: [KVCacheStorage.fp16, .bf16, .fp8, .q8_0, .q4_0])
    func eachKVCacheType(_ kv: KVCacheStorage) throws {
        // The reference rounds K/V through the same storage; what remains is fp32 arithmetic and the
        // rare value landing on the other side of a rounding boundary (measured: ~4e-8).
        let e = try check(RunnerFixtures.model(), kv: kv, tolerance: 1e-5)
        // Without the rounding the reference is the exact cache: the lossy types must show it.
        let (layer, input) = try RunnerFixtures.layer(RunnerFixtures.model(), positions: 21)
        let got = try RunnerFixtures.prefill(layer, input, positions: 21, kv: kv)
        let exact = OutputError.compare(got, ReferenceLayer(layer).forward(input, positions: 21, outputs: Array(0..<21)).flatMap { $0 })
        // (measured without rounding: fp16 2e-6, bf16 2e-5, q8_0 6e-5, fp8 3e-4, q4_0 9e-4)
        #expect(exact.relativeL2 > 10 * e.relativeL2)
    }
}
