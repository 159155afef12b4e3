@testable import VramfitCore

/// A small catalog in code for the check-log tests, independent of catalogs/: model dimensions
/// are the config.json figures of each model (Hugging Face), GPU memory nvidia-smi's totals.
enum CheckLogTestCatalog {
    /// Qwen/Qwen2.5-3B-Instruct config.json: tied embeddings, q/k/v biases.
    static let qwen25_3b = Model(
        id: "qwen2.5-3b-instruct", name: "Qwen2.5-3B-Instruct", hfRepo: "Qwen/Qwen2.5-3B-Instruct", aliases: ["qwen2.5-3b"],
        family: "qwen2.5", vocabSize: 151_936, hiddenSize: 2048, intermediateSize: 11_008, numLayers: 36, numAttentionHeads: 16,
        numKVHeads: 2, tieWordEmbeddings: true, qkvBias: true, maxContext: 32_768, publishedParams: 3_085_938_688)

    /// Qwen/Qwen2.5-14B-Instruct config.json.
    static let qwen25_14b = Model(
        id: "qwen2.5-14b-instruct", name: "Qwen2.5-14B-Instruct", hfRepo: "Qwen/Qwen2.5-14B-Instruct", aliases: ["qwen2.5-14b"],
        family: "qwen2.5", vocabSize: 152_064, hiddenSize: 5120, intermediateSize: 13_824, numLayers: 48, numAttentionHeads: 40,
        numKVHeads: 8, qkvBias: true, maxContext: 32_768, publishedParams: 14_770_033_664)

    static var llama31_8b: Model {
        var m = Fixtures.llama31_8b
        m.hfRepo = "meta-llama/Llama-3.1-8B-Instruct"
        m.aliases = ["Meta-Llama-3.1-8B-Instruct", "llama3.1:8b"]
        return m
    }

    static func gpu(_ id: String, _ name: String, mib: Int64, aliases: [String] = []) -> GPU {
        GPU(id: id, name: name, aliases: aliases, vendor: "NVIDIA", architecture: "test", computeCapability: 89,
            memory: .mib(mib), usableMemory: .mib(mib), bandwidthBytesPerSecond: 1_000_000_000_000,
            supportsBF16: true, supportsFP8: true, contextOverhead: .mib(400))
    }

    static let catalog: Catalog = {
        var c = Catalog()
        c.models = [llama31_8b, qwen25_3b, qwen25_14b]
        c.gpus = [
            gpu("rtx-4090", "NVIDIA GeForce RTX 4090", mib: 24_564, aliases: ["4090"]),
            gpu("rtx-3090", "NVIDIA GeForce RTX 3090", mib: 24_576, aliases: ["3090"]),
            gpu("l40s", "NVIDIA L40S", mib: 46_068),
            gpu("a100-40gb", "NVIDIA A100 40GB SXM4", mib: 40_960, aliases: ["a100"]),
            gpu("a100-80gb", "NVIDIA A100 80GB SXM4", mib: 81_920, aliases: ["a100"]),
            GPU(id: "cpu-64gb", name: "CPU host", vendor: "generic", kind: .cpu, architecture: "x86", computeCapability: nil,
                memory: .gib(Int64(64)), usableMemory: .gib(Int64(58)), bandwidthBytesPerSecond: 80_000_000_000,
                supportsBF16: false, supportsFP8: false, contextOverhead: .zero),
        ]
        c.schemes = [
            Fixtures.bf16,
            QuantScheme(id: "fp16", name: "fp16", storage: .dense(bytesPerElement: 2), keepUnquantized: [], unquantizedDType: .fp16, engines: ["vllm"]),
            Fixtures.q8_0,
            QuantScheme(id: "ggml-q4_k", name: "Q4_K pure", aliases: ["q4_k"], storage: .ggml(.q4_K), keepUnquantized: [], engines: ["llama.cpp"]),
            QuantScheme(id: "awq", name: "AWQ", storage: .groupwise(bits: 4, groupSize: 128, scaleBytes: 2, zeroBits: 4, gIdx: false),
                        keepUnquantized: [.tokenEmbedding, .output], unquantizedDType: .fp16, engines: ["vllm"]),
        ]
        c.kvCacheTypes = Fixtures.kvTypes
        // Engine settings as catalogs/engines/*.yaml state them for the figures these tests touch.
        c.engines = [
            Engine(id: "vllm", name: "vLLM", memoryModel: .vllm, version: "0.11", settings: EngineSettings([
                "gpu_memory_utilization": 0.9, "max_num_batched_tokens": 8192, "max_num_seqs": 256, "block_size": 16,
                "cuda_graphs": 1, "cuda_graph_bytes": 536_870_912, "cuda_graphs_in_budget": 0, "non_torch_bytes": 268_435_456,
                "allocation_granularity": 512, "rope_cache": 1,
            ]), versions: [Engine.Version(id: "v0", description: "V0", settings: EngineSettings(["profile_tokens_follow_context": 1, "max_num_batched_tokens": 2048]))]),
            Engine(id: "sglang", name: "SGLang", memoryModel: .sglang, version: "0.5", settings: EngineSettings([
                "chunked_prefill_size": 8192, "max_num_seqs": 256, "allocation_granularity": 512,
            ])),
            Engine(id: "llama.cpp", name: "llama.cpp", memoryModel: .llamaCpp, version: "b6500", settings: EngineSettings([
                "default_context": 4096, "n_batch": 2048, "n_ubatch": 512, "flash_attention": 1, "kv_padding": 256,
            ]), versions: [Engine.Version(id: "pre-fa-auto", description: "before b6325", settings: EngineSettings(["flash_attention": 0]))]),
            Engine(id: "ollama", name: "Ollama", memoryModel: .ollama, version: "0.12", settings: EngineSettings([
                "num_ctx": 4096, "num_parallel": 1, "n_batch": 512, "n_ubatch": 512, "flash_attention": 0, "kv_padding": 256,
                "minimum_free_bytes": 479_199_232,
            ])),
        ]
        return c
    }()
}
