@testable import VramfitCore

/// A small catalog built in code, shaped like the real one (ids, aliases, catalog order), so the
/// question tests do not depend on the YAML catalogs. Architecture numbers are placeholders: the
/// parser and resolver only read names, aliases, parameter counts, memory and engine lists.
enum AskTestCatalog {
    static func model(_ id: String, _ name: String, hf: String? = nil, aliases: [String] = [], family: String, params: Int64) -> Model {
        Model(id: id, name: name, hfRepo: hf, aliases: aliases, family: family, vocabSize: 32000, hiddenSize: 4096,
              intermediateSize: 14336, numLayers: 32, numAttentionHeads: 32, numKVHeads: 8, maxContext: 131072,
              publishedParams: params)
    }

    static func gpu(_ id: String, _ name: String, aliases: [String], gib: Int64) -> GPU {
        GPU(id: id, name: name, aliases: aliases, vendor: "NVIDIA", architecture: "test", computeCapability: 89,
            memory: .gib(gib), usableMemory: .gib(gib), bandwidthBytesPerSecond: 1_000_000_000_000,
            supportsBF16: true, supportsFP8: true)
    }

    static func scheme(_ id: String, _ name: String, aliases: [String] = [], storage: WeightStorage, engines: [String]) -> QuantScheme {
        QuantScheme(id: id, name: name, aliases: aliases, storage: storage, keepUnquantized: [.tokenEmbedding, .output], engines: engines)
    }

    static func engine(_ id: String, _ name: String, aliases: [String] = [], _ memoryModel: Engine.MemoryModel) -> Engine {
        Engine(id: id, name: name, aliases: aliases, memoryModel: memoryModel, version: "1", settings: EngineSettings())
    }

    static func kv(_ id: String, _ name: String, aliases: [String] = [], blockBytes: Int64, blockSize: Int64) -> KVCacheType {
        KVCacheType(id: id, name: name, aliases: aliases, blockBytes: blockBytes, blockSize: blockSize, engines: ["vllm", "llama.cpp", "ollama"])
    }

    static let catalog: Catalog = {
        var c = Catalog()
        c.models = [
            model("qwen2.5-7b-instruct", "Qwen2.5-7B-Instruct", hf: "Qwen/Qwen2.5-7B-Instruct",
                  aliases: ["qwen2.5-7b", "qwen2.5 7b", "qwen 2.5 7b", "qwen-7b", "7b"], family: "qwen2.5", params: 7_615_616_512),
            model("qwen2.5-14b-instruct", "Qwen2.5-14B-Instruct", hf: "Qwen/Qwen2.5-14B-Instruct",
                  aliases: ["qwen2.5-14b", "14b"], family: "qwen2.5", params: 14_770_033_664),
            model("qwen3-14b", "Qwen3-14B", hf: "Qwen/Qwen3-14B", aliases: ["qwen3 14b"], family: "qwen3", params: 14_768_307_200),
            model("phi-4", "Phi-4", hf: "microsoft/phi-4", aliases: ["phi4"], family: "phi", params: 14_659_507_200),
            model("llama-3.1-8b-instruct", "Llama-3.1-8B-Instruct", hf: "meta-llama/Llama-3.1-8B-Instruct",
                  aliases: ["llama-3.1-8b", "llama3.1-8b", "8b"], family: "llama-3.1", params: 8_030_261_248),
            model("llama-3.1-70b-instruct", "Llama-3.1-70B-Instruct", hf: "meta-llama/Llama-3.1-70B-Instruct",
                  aliases: ["llama-3.1-70b", "llama3.1-70b", "70b"], family: "llama-3.1", params: 70_553_706_496),
            model("mixtral-8x7b-instruct-v0.1", "Mixtral-8x7B-Instruct-v0.1", hf: "mistralai/Mixtral-8x7B-Instruct-v0.1",
                  aliases: ["mixtral-8x7b", "mixtral"], family: "mixtral", params: 46_702_792_704),
            model("mixtral-8x22b-instruct-v0.1", "Mixtral-8x22B-Instruct-v0.1", hf: "mistralai/Mixtral-8x22B-Instruct-v0.1",
                  aliases: ["mixtral-8x22b", "mixtral"], family: "mixtral", params: 140_620_634_112),
        ]
        c.gpus = [
            gpu("rtx-4090", "NVIDIA GeForce RTX 4090", aliases: ["4090", "RTX 4090", "rtx4090", "geforce rtx 4090", "24GB", "24 GB"], gib: 24),
            gpu("rtx-3090", "NVIDIA GeForce RTX 3090", aliases: ["3090", "RTX 3090", "24GB"], gib: 24),
            gpu("t4", "NVIDIA T4", aliases: ["tesla t4", "16GB"], gib: 16),
            gpu("a100-80gb", "NVIDIA A100 80GB", aliases: ["a100", "A100 80GB", "a100-80", "80GB"], gib: 80),
            gpu("a100-40gb", "NVIDIA A100 40GB", aliases: ["a100", "A100 40GB", "40GB"], gib: 40),
            gpu("h100-sxm", "NVIDIA H100 SXM", aliases: ["h100", "h100 80gb"], gib: 80),
        ]
        c.schemes = [
            scheme("bf16", "bfloat16 (unquantized)", aliases: ["bfloat16", "bf-16"], storage: .dense(bytesPerElement: 2),
                   engines: ["vllm", "sglang", "tgi", "transformers", "llama.cpp"]),
            scheme("fp16", "float16 (unquantized)", aliases: ["float16", "f16", "half"], storage: .dense(bytesPerElement: 2),
                   engines: ["vllm", "sglang", "tgi", "transformers", "llama.cpp"]),
            scheme("awq", "AWQ 4-bit (GEMM, group 128, zero point)", aliases: ["awq-int4", "autoawq", "awq4"],
                   storage: .groupwise(bits: 4, groupSize: 128, scaleBytes: 2, zeroBits: 4, gIdx: false), engines: ["vllm", "sglang", "tgi", "transformers"]),
            scheme("gptq-int4", "GPTQ 4-bit", aliases: ["gptq", "gptq4"],
                   storage: .groupwise(bits: 4, groupSize: 128, scaleBytes: 2, zeroBits: 4, gIdx: true), engines: ["vllm", "sglang", "tgi", "transformers"]),
            scheme("bnb-nf4", "bitsandbytes NF4", aliases: ["bnb-4bit", "bitsandbytes 4bit"], storage: .blockwise4bit(blockSize: 64, doubleQuant: false),
                   engines: ["transformers", "vllm"]),
            scheme("bnb-int8", "bitsandbytes LLM.int8", aliases: ["bnb-8bit", "llm.int8"], storage: .perRow(bitsPerWeight: 8, scaleBytesPerRow: 4),
                   engines: ["transformers"]),
            scheme("fp8", "FP8 W8A8", aliases: ["float8", "fp8-dynamic"], storage: .perRow(bitsPerWeight: 8, scaleBytesPerRow: 4), engines: ["vllm", "sglang"]),
            scheme("q4_k_m", "Q4_K_M", aliases: ["q4km"], storage: .ggml(.q4_K), engines: ["llama.cpp", "ollama"]),
            scheme("q8_0", "Q8_0", storage: .ggml(.q8_0), engines: ["llama.cpp", "ollama"]),
        ]
        c.engines = [
            engine("vllm", "vLLM", .vllm),
            engine("sglang", "SGLang", .sglang),
            engine("tgi", "Text Generation Inference", aliases: ["text-generation-inference"], .tgi),
            engine("llama.cpp", "llama.cpp", aliases: ["llamacpp", "llama-server"], .llamaCpp),
            engine("ollama", "Ollama", .ollama),
            engine("transformers", "Hugging Face transformers", aliases: ["hf transformers"], .transformers),
        ]
        c.kvCacheTypes = [
            kv("fp16", "float16", aliases: ["f16", "float16", "half", "auto"], blockBytes: 2, blockSize: 1),
            kv("bf16", "bfloat16", aliases: ["bfloat16"], blockBytes: 2, blockSize: 1),
            kv("fp8", "fp8 (e4m3)", aliases: ["fp8_e4m3", "float8"], blockBytes: 1, blockSize: 1),
            kv("q8_0", "Q8_0", blockBytes: 34, blockSize: 32),
            kv("q4_0", "Q4_0", blockBytes: 18, blockSize: 32),
        ]
        return c
    }()

    /// Built once for all the tests' questions (`AskIndex`).
    static let index = AskIndex(catalog)

    static func parse(_ text: String) -> Question { QuestionParser.parse(text, index: index) }
    static func resolve(_ text: String) throws -> ResolvedQuestion { try index.resolve(parse(text)) }
}
