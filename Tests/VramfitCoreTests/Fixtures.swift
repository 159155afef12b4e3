@testable import VramfitCore

/// Small, hand-written catalog values for tests (config.json figures), independent of catalogs/.
enum Fixtures {
    static let llama31_8b = Model(
        id: "llama-3.1-8b", name: "Llama-3.1-8B", family: "llama-3.1", vocabSize: 128256, hiddenSize: 4096,
        intermediateSize: 14336, numLayers: 32, numAttentionHeads: 32, numKVHeads: 8, maxContext: 131072,
        publishedParams: 8_030_261_248)

    static let llama31_405b = Model(
        id: "llama-3.1-405b", name: "Llama-3.1-405B", family: "llama-3.1", vocabSize: 128256, hiddenSize: 16384,
        intermediateSize: 53248, numLayers: 126, numAttentionHeads: 128, numKVHeads: 8, maxContext: 131072,
        publishedParams: 405_853_388_800)

    static let deepseekV3 = Model(
        id: "deepseek-v3", name: "DeepSeek-V3", family: "deepseek", vocabSize: 129280, hiddenSize: 7168,
        intermediateSize: 18432, numLayers: 61, numAttentionHeads: 128, numKVHeads: 128,
        moe: .init(numExperts: 256, expertsPerToken: 8, expertIntermediateSize: 2048, sharedExperts: 1, firstDenseLayers: 3,
                   routerCorrectionBias: true),
        mla: .init(kvLoraRank: 512, qLoraRank: 1536, qkRopeHeadDim: 64, qkNopeHeadDim: 128, vHeadDim: 128),
        maxContext: 163840, publishedParams: 671_000_000_000)

    static let gemma2_9b = Model(
        id: "gemma-2-9b", name: "gemma-2-9b", family: "gemma-2", vocabSize: 256000, hiddenSize: 3584, intermediateSize: 14336,
        numLayers: 42, numAttentionHeads: 16, numKVHeads: 8, headDimOverride: 256, tieWordEmbeddings: true, normsPerLayer: 4,
        slidingWindow: .init(window: 4096, pattern: [true, false]), maxContext: 8192, publishedParams: 9_241_705_984)

    static let bf16 = QuantScheme(id: "bf16", name: "bf16", storage: .dense(bytesPerElement: 2), keepUnquantized: [],
                                  unquantizedDType: .bf16, engines: ["vllm", "transformers"])
    static let q8_0 = QuantScheme(id: "q8_0", name: "Q8_0", storage: .ggml(.q8_0), keepUnquantized: [], engines: ["llama.cpp"])

    static let kvTypes = [
        KVCacheType(id: "fp16", name: "fp16", blockBytes: 2, blockSize: 1, engines: []),
        KVCacheType(id: "bf16", name: "bf16", blockBytes: 2, blockSize: 1, engines: []),
        KVCacheType(id: "f16", name: "f16", blockBytes: 2, blockSize: 1, engines: []),
        KVCacheType(id: "fp8", name: "fp8", blockBytes: 1, blockSize: 1, engines: []),
        KVCacheType(id: "q8_0", name: "q8_0", blockBytes: 34, blockSize: 32, engines: []),
    ]

    /// A GPU with round numbers so budgets can be checked by hand: 80 GiB usable, 400 MiB context.
    static let gpu80 = GPU(id: "test-80", name: "Test 80 GiB", vendor: "NVIDIA", architecture: "Hopper", computeCapability: 90,
                           memory: .gib(Int64(80)), usableMemory: .gib(Int64(80)), bandwidthBytesPerSecond: 3_350_000_000_000,
                           supportsBF16: true, supportsFP8: true, contextOverhead: .mib(400))
    static let gpu24 = GPU(id: "test-24", name: "Test 24 GiB", vendor: "NVIDIA", architecture: "Ada", computeCapability: 89,
                           memory: .gib(Int64(24)), usableMemory: .gib(Int64(24)), bandwidthBytesPerSecond: 1_008_000_000_000,
                           supportsBF16: true, supportsFP8: true, contextOverhead: .mib(400))

    static let transformers = Engine(id: "transformers", name: "transformers", memoryModel: .transformers, version: "test",
                                     settings: EngineSettings(["default_context": 4096]))
    static let vllm = Engine(id: "vllm", name: "vLLM", memoryModel: .vllm, version: "test", settings: EngineSettings([
        "gpu_memory_utilization": 0.9, "max_num_batched_tokens": 8192, "max_num_seqs": 256, "block_size": 16,
        "cuda_graphs": 0, "non_torch_bytes": 0,
    ]))
    static let llamaCpp = Engine(id: "llama.cpp", name: "llama.cpp", memoryModel: .llamaCpp, version: "test", settings: EngineSettings([
        "default_context": 4096, "n_ubatch": 512, "flash_attention": 1,
    ]))

    static func estimate(_ m: Model, scheme s: QuantScheme = bf16, gpu: GPU = gpu80, engine: Engine = transformers,
                         _ w: Workload = Workload()) throws -> Estimate {
        try Estimator.estimate(EstimateRequest(model: m, scheme: s, gpu: gpu, engine: engine, kvCacheTypes: kvTypes, workload: w))
    }
}
