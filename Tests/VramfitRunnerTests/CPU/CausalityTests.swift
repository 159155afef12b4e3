import Testing
import VramfitCore
@testable import VramfitRunner

/// The KV cache and the causal mask: what the future holds must not change the past, and a decode
/// step must give what a longer prefill gives for its last position.
@Suite struct CausalityTests {
    let model = RunnerFixtures.model()

    @Test(arguments: [KVCacheStorage.fp16, .fp8, .q8_0])
    func decodeAfterPrefillEqualsLongerPrefill(_ kv: KVCacheStorage) throws {
        let n = 12, h = Int(model.hiddenSize)
        let (layer, input) = try RunnerFixtures.layer(model, positions: n)
        let long = try RunnerFixtures.prefill(layer, input, positions: n, kv: kv)
        let session = try RunnerFixtures.cpu().load(layer).makeSession(kvCache: kv, capacity: n)
        _ = try session.prefill(Array(input[0..<((n - 2) * h)]), tokens: n - 2)
        let d1 = try session.decode(Array(input[((n - 2) * h)..<((n - 1) * h)])).output
        let d2 = try session.decode(Array(input[((n - 1) * h)...])).output
        #expect(session.position == n)
        // Different kernels (matrix × vector vs the blocked matmul): fp32 rounding apart, no more.
        #expect(OutputError.compare(d1, long[((n - 2) * h)..<((n - 1) * h)].map(Double.init)).relativeL2 < 1e-6)
        #expect(OutputError.compare(d2, long[((n - 1) * h)...].map(Double.init)).relativeL2 < 1e-6)
    }

    @Test func laterTokensDoNotChangeEarlierOutputs() throws {
        let n = 9, h = Int(model.hiddenSize)
        let (layer, input) = try RunnerFixtures.layer(model, positions: n)
        var changed = input
        for i in (6 * h)..<(n * h) { changed[i] += 3 }
        let a = try RunnerFixtures.prefill(layer, input, positions: n), b = try RunnerFixtures.prefill(layer, changed, positions: n)
        #expect(Array(a[0..<(6 * h)]) == Array(b[0..<(6 * h)]))
        #expect(Array(a[(6 * h)...]) != Array(b[(6 * h)...]))
    }

    @Test func slidingWindowForgetsOldTokens() throws {
        let m = RunnerFixtures.model(sliding: .init(window: 3, pattern: []))
        let n = 8, h = Int(m.hiddenSize)
        let (layer, input) = try RunnerFixtures.layer(m, positions: n)
        var changed = input
        for i in 0..<h { changed[i] -= 2 }  // position 0: outside the window of positions ≥ 3
        let a = try RunnerFixtures.prefill(layer, input, positions: n), b = try RunnerFixtures.prefill(layer, changed, positions: n)
        #expect(Array(a[(3 * h)...]) == Array(b[(3 * h)...]))
        #expect(Array(a[(2 * h)..<(3 * h)]) != Array(b[(2 * h)..<(3 * h)]))
    }

    @Test func cacheFullAndWrongInputAreErrors() throws {
        let (layer, input) = try RunnerFixtures.layer(model, positions: 4)
        let s = try RunnerFixtures.cpu().load(layer).makeSession(kvCache: .fp16, capacity: 3)
        #expect(throws: RunnerError.cacheFull(capacity: 3, position: 0, tokens: 4)) { try s.prefill(input, tokens: 4) }
        #expect(throws: RunnerError.wrongInputSize(expected: 64, got: 3)) { try s.decode([1, 2, 3]) }
    }

    /// The working memory the session reports is the sum of its buffers at the peak, and within
    /// the backend's stated bound.
    @Test func workingMemoryIsTheSumOfLiveBuffers() throws {
        let n = 20
        let wide = RunnerFixtures.model(intermediate: 1024)
        let (layer, input) = try RunnerFixtures.layer(wide, positions: n)
        let backend = RunnerFixtures.cpu()
        let s = try backend.load(layer).makeSession(kvCache: .fp16, capacity: n)
        _ = try s.prefill(input, tokens: n)
        let m = s.memory
        #expect(m.peak == m.buffersAtPeak.reduce(.zero) { $0 + $1.bytes })
        #expect(m.peak <= backend.workingMemoryBound(layer.shape, tokens: n, context: n))
        // Dense MLP phase by hand: residual + normed (2·64) + gate + up (2·1024) floats per token
        // (the attention phase, 4·64 per token plus a few KiB of scratch, is smaller).
        #expect(m.phase == "prefill: mlp" && m.peak.value == Int64(n * (2 * 64 + 2 * 1024) * 4))
    }
}
