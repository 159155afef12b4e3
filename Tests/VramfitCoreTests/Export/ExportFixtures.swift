@testable import VramfitCore

/// Plans for the exporter tests, made the way the CLI makes them: a request, its estimate, and
/// the settings the estimator resolved. Fixture models get a repo so commands name one.
enum ExportFixtures {
    static var llama8b: Model { var m = Fixtures.llama31_8b; m.hfRepo = "meta-llama/Llama-3.1-8B-Instruct"; return m }

    /// bf16 as the built-in catalog lists it: every engine but Ollama loads it.
    static let bf16 = QuantScheme(id: "bf16", name: "bf16", storage: .dense(bytesPerElement: 2), keepUnquantized: [],
                                  unquantizedDType: .bf16, engines: ["vllm", "sglang", "tgi", "transformers", "llama.cpp"])
    static let bnbNF4 = QuantScheme(id: "bnb-nf4", name: "bitsandbytes NF4", storage: .blockwise4bit(blockSize: 64, doubleQuant: false),
                                    keepUnquantized: [.tokenEmbedding, .output], unquantizedDType: .fp16, engines: ["transformers", "vllm"])
    static let awq = QuantScheme(id: "awq", name: "AWQ 4-bit", storage: .groupwise(bits: 4, groupSize: 128, scaleBytes: 2, zeroBits: 4, gIdx: false),
                                 keepUnquantized: [.tokenEmbedding, .output], unquantizedDType: .fp16, engines: ["vllm", "sglang", "tgi", "transformers"])
    static let fp8 = QuantScheme(id: "fp8", name: "FP8 W8A8", storage: .dense(bytesPerElement: 1, scaleBytesPerTensor: 4),
                                 keepUnquantized: [.tokenEmbedding, .output], unquantizedDType: .bf16, engines: ["vllm", "sglang", "tgi"])
    static let q8_0 = QuantScheme(id: "q8_0", name: "Q8_0", storage: .ggml(.q8_0), keepUnquantized: [], engines: ["llama.cpp", "ollama"])

    static let sglang = Engine(id: "sglang", name: "SGLang", memoryModel: .sglang, version: "0.5", settings: EngineSettings([
        "chunked_prefill_size": 8192, "max_num_seqs": 256, "cuda_graph_bytes": 0,
    ]))
    static let tgi = Engine(id: "tgi", name: "Text Generation Inference", memoryModel: .tgi, version: "3.3", settings: EngineSettings([
        "cuda_memory_fraction": 1.0, "max_num_batched_tokens": 4096, "max_num_seqs": 256, "block_size": 1, "cuda_graphs": 0,
    ]))
    static let ollama = Engine(id: "ollama", name: "Ollama", memoryModel: .ollama, version: "0.12", settings: EngineSettings([
        "num_ctx": 4096, "num_parallel": 1, "n_batch": 512, "n_ubatch": 512, "flash_attention": 0, "kv_padding": 256,
    ]))
    static var vllm: Engine { var e = Fixtures.vllm; e.version = "0.11"; return e }
    static var llamaCpp: Engine { var e = Fixtures.llamaCpp; e.settings["n_batch"] = 2048; return e }

    static func plan(_ m: Model = llama8b, scheme: QuantScheme = bf16, gpu: GPU = Fixtures.gpu80, engine: Engine,
                     _ w: Workload, checkpoint: String? = nil, layers: [Int64]? = nil) throws -> ExportPlan {
        let r = EstimateRequest(model: m, scheme: scheme, gpu: gpu, engine: engine, kvCacheTypes: Fixtures.kvTypes, workload: w)
        return try ExportPlan.from(request: r, estimate: Estimator.estimate(r), layersPerDevice: layers, checkpoint: checkpoint)
    }

    /// The whole config as one text, for golden files: command, environment, files, notes.
    static func render(_ c: LaunchConfig) -> String {
        var out = ["$ " + c.shellCommand]
        for f in c.files { out += ["--- \(f.name) ---", f.text] }
        out += c.notes.map { "note: \($0)" }
        return out.joined(separator: "\n") + "\n"
    }
}
