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

    /// validation/models.yaml's tiny Qwen2-MoE (16 experts, 4 used, one shared expert, n_embd 1024,
    /// n_vocab 32000), as llama.cpp (llama-cpp-python 0.3.36) logged it on a CPU host.
    static let tinyMoE = Model(
        id: "tiny-qwen2moe", name: "tiny Qwen2-MoE", family: "qwen1.5", vocabSize: 32000, hiddenSize: 1024,
        intermediateSize: 2816, numLayers: 8, numAttentionHeads: 16, numKVHeads: 16, qkvBias: true,
        moe: .init(numExperts: 16, expertsPerToken: 4, expertIntermediateSize: 704, sharedExperts: 1,
                   sharedExpertIntermediateSize: 2816, sharedExpertGate: true),
        maxContext: 32768, publishedParams: 445_301_760)
    static let cpuHost = GPU(id: "test-cpu", name: "Test CPU", vendor: "Intel", kind: .cpu, architecture: "x86-64",
                             computeCapability: nil, memory: .gib(Int64(64)), usableMemory: .gib(Int64(64)),
                             bandwidthBytesPerSecond: 100_000_000_000, supportsBF16: false, supportsFP8: false, contextOverhead: .zero)

    /// The MoE graph's compute buffer, against the logged "CPU compute buffer size" of
    /// validation/data/llamacpp-cpu.jsonl: with flash attention 78.57 MiB at n_ubatch 512 and 314.29 MiB
    /// at 2048. By hand, per ubatch token in f32: logits 32000 + result norm 1024 + input embeddings
    /// 1024 + the MoE blocks below them (routed experts' output 4 × 1024, router probabilities and
    /// argsort 2 × 16, selected weights 4, MoE and shared-expert outputs 2 × 1024) = 40,228 floats;
    /// × 512 × 4 B = 78.57 MiB. Without flash attention at n_ctx 4096: the f32 KQ and mask
    /// 4096 × 17, q/k/v/out 4 × 1024, the two embedding rows 2 × 1024, the routed residue 4132 =
    /// 79,908 floats → 156.07 MiB at n_ubatch 512 (logged 156.08).
    @Test func moeComputeBufferMatchesLoggedFigures() throws {
        let flash = try Fixtures.estimate(Self.tinyMoE, scheme: Fixtures.q8_0, gpu: Self.cpuHost, engine: Fixtures.llamaCpp,
                                          Workload(context: 4096))
        #expect(flash.bytes(.activation) == ByteCount(Int64(40_228 * 512 * 4)))
        #expect(abs(Double(flash.bytes(.activation).value) / 1_048_576 - 78.57) < 0.005)
        var noFlash = Fixtures.llamaCpp
        noFlash.settings = EngineSettings(["default_context": 4096, "n_ubatch": 512, "flash_attention": 0])
        let off = try Fixtures.estimate(Self.tinyMoE, scheme: Fixtures.q8_0, gpu: Self.cpuHost, engine: noFlash, Workload(context: 4096))
        #expect(off.bytes(.activation) == ByteCount(Int64(79_908 * 512 * 4)))
        #expect(abs(Double(off.bytes(.activation).value) / 1_048_576 - 156.08) < 0.02)
    }

    /// A dense model keeps the rule above: no MoE residue (Llama-3-8B's logged 258.50 MiB, as before).
    @Test func denseComputeBufferHasNoMoEResidue() throws {
        let e = try Fixtures.estimate(Fixtures.llama31_8b, scheme: Fixtures.q8_0, engine: Fixtures.llamaCpp, Workload(context: 4096))
        #expect(e.bytes(.activation) == ByteCount(Int64((128256 + 4096) * 512 * 4)))
    }
}
