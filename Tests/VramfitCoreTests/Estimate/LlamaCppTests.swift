import Testing
@testable import VramfitCore

@Suite struct LlamaCppTests {
    /// llama.cpp pads n_ctx to 256 and sizes the KV buffer for n_ctx: 5000 → 5120 tokens;
    /// Llama-3.1-8B f16: 5120 × 32 layers × 1024 × 2 × 2 B = 640 MiB.
    @Test func kvBufferPadsContext() throws {
        let e = try Fixtures.estimate(Fixtures.llama31_8b, scheme: Fixtures.q8_0, engine: Fixtures.llamaCpp, Workload(context: 5000))
        #expect(e.bytes(.kvCache) == .mib(Int64(640)))
    }

    /// With flash attention the compute buffer is the output layer's f32 tensors of one ubatch:
    /// (n_vocab + n_embd) × n_ubatch × 4 B = (128256 + 4096) × 512 × 4 B = 258.50 MiB, the figure
    /// llama.cpp logs for Llama-3-8B at n_ubatch 512 ("CUDA0 compute buffer size = 258.50 MiB").
    /// The same rule gives TriLM-3.9B's logged 105.00 MiB: (50688 + 3072) × 512 × 4 B.
    @Test func computeBufferMatchesLoggedFigure() throws {
        let e = try Fixtures.estimate(Fixtures.llama31_8b, scheme: Fixtures.q8_0, engine: Fixtures.llamaCpp, Workload(context: 8192))
        let logged = 258.5 * 1_048_576
        #expect(abs(Double(e.bytes(.activation).value) - logged) / logged < 0.001)
    }

    /// token_embd stays in host memory; Q8_0 of a [128256 × 4096] tensor is 128256 × 128 blocks × 34 B.
    @Test func tokenEmbeddingOnHost() throws {
        let e = try Fixtures.estimate(Fixtures.llama31_8b, scheme: Fixtures.q8_0, engine: Fixtures.llamaCpp, Workload(context: 4096))
        let host = e.devices.first { !$0.isAccelerator }!
        #expect(host.bytes(.weights) == ByteCount(Int64(128256 * 128 * 34)))
        // Output buffer: n_vocab × 4 B for one sequence = 0.49 MiB ("CPU output buffer size = 0.49 MiB").
        #expect(host.bytes(.output) == ByteCount(Int64(128256 * 4)))
    }
}
