import Testing
@testable import VramfitCore

/// Real logs through the whole check with a catalog written in the test: every predicted figure
/// asserted here is also computed by hand from the model's config.json, so a wrong formula and a
/// wrong log reading both fail.
@Suite struct LogCheckerTests {
    let catalog = CheckLogTestCatalog.catalog
    static let mib = 1_048_576.0

    func row(_ c: LogCheck, _ name: String) throws -> ComponentComparison {
        try #require(c.comparisons.first { $0.name == name }, "no row '\(name)' in \(c.comparisons.map(\.name))")
    }

    /// LLamaSharp #1099 (llama.cpp b4701), Qwen2.5-3B at n_ctx 4096:
    /// KV = 4096 × 36 layers × (256 + 256) × 2 B = 144 MiB;
    /// output = 151,936 × 4 B = 593.5 KiB ("0.58 MiB");
    /// compute = the output phase (151,936 + 2048) × 512 × 4 B = 300.75 MiB (llama.cpp's logits and
    /// last hidden state for one ubatch; the f16 attention phase is smaller at this context).
    @Test func llamaCppBuffersByHand() throws {
        let c = try LogChecker.check(CheckLogExcerpts.llamaSharpQwen3B, catalog: catalog,
                                     options: LogCheckOptions(model: "qwen2.5-3b", gpu: "rtx-4090", quant: "q8_0"))
        #expect(c.estimate.context == 4096)  // llama.cpp's default n_ctx: the excerpt starts after it
        let kv = try row(c, "KV cache")
        #expect(kv.predicted == Double(4096 * 36 * 512 * 2))
        #expect(kv.logged == 144 * Self.mib && kv.withinRounding)
        let compute = try row(c, "compute buffer, GPU")
        #expect(compute.predicted == Double((151_936 + 2048) * 512 * 4))
        #expect(compute.logged == 300.75 * Self.mib && compute.withinRounding)
        let out = try row(c, "output buffer (logits)")
        #expect(out.predicted == Double(151_936 * 4))
        #expect(out.withinRounding)  // 0.58 MiB printed = 593.92 KiB ± 5.12 KiB
        let host = try row(c, "compute buffer, host")
        #expect(host.predicted == nil)
        #expect(c.summary?.max == 0)
    }

    /// Ollama #9091, qwen2.5 14B (n_seq_max 4 × 2048): the host buffer is token_embd alone, kept
    /// on the CPU: 152,064 × 5120 / 256 blocks × 144 B (Q4_K) = 437,944,320 B = 417.66 MiB, as
    /// printed. KV = 8192 × 48 × (1024 + 1024) × 2 B = 1536 MiB.
    @Test func hostEmbeddingAndSharedContext() throws {
        let c = try LogChecker.check(CheckLogExcerpts.llamaQwen14B, catalog: catalog,
                                     options: LogCheckOptions(model: "Qwen/Qwen2.5-14B-Instruct", gpu: "4090", quant: "ggml-q4_k"))
        #expect(c.estimate.context == 2048 && c.estimate.batch == 4)
        let host = try row(c, "model buffer, host")
        #expect(host.predicted == 437_944_320)
        #expect(host.withinRounding)
        let kv = try row(c, "KV cache")
        #expect(kv.predicted == Double(8192 * 48 * 2048 * 2) && kv.withinRounding)
        #expect(c.settings.contains { $0.name == "n_seq_max" && $0.value == "4" && $0.line == 9 })
    }

    /// vLLM #17122, Llama-3.1-8B bf16: 8,030,261,248 × 2 B plus the rotary cos/sin cache of
    /// 131,072 positions × 128 × 2 B = 32 MiB is 14.9889 GiB, the printed figure; tensors rounded
    /// to 512 B add at most 512 B each.
    @Test func vllmWeightsByHand() throws {
        let c = try LogChecker.check(CheckLogExcerpts.vllmL40S, catalog: catalog, options: LogCheckOptions(model: "llama-3.1-8b", gpu: "l40s"))
        let w = try row(c, "weights per GPU")
        let hand = Double(8_030_261_248 * 2 + 131_072 * 128 * 2)
        let p = try #require(w.predicted)
        #expect(p >= hand && p < hand + 512 * 300)
        #expect(abs(try #require(w.relativeError)) < 0.0001)
        #expect(c.estimate.context == 32_768)  // from "Maximum concurrency for 32,768 tokens per request"
        #expect(c.log.vllmV0?.value == false)
        // Capacity rows are compared, not hidden, whatever their error.
        #expect(c.comparisons.contains { $0.kind == .kvTokens && $0.logged == 158_656 && $0.predicted != nil })
    }

    /// The GPU total vLLM logged replaces the catalog's in the budget; the difference is a row.
    @Test func vllmUsesLoggedTotal() throws {
        let c = try LogChecker.check(CheckLogExcerpts.vllm3090At20k, catalog: catalog, options: LogCheckOptions(model: "llama-3.1-8b", gpu: "3090"))
        #expect(c.estimate.gpu.usableMemory == ByteCount(fromDouble: 23.58 * 1_073_741_824))
        let total = try row(c, "GPU total memory (catalog rtx-3090)")
        #expect(total.predicted == Double(24_576) * Self.mib)
        #expect(c.estimate.engine.id == "vllm" && c.estimate.context == 20_000)
        #expect(c.settings.contains { $0.name == "engine" && $0.value == "V0" })
        #expect(c.notes.contains { $0.hasPrefix("capacity: the log's total GPU memory 23.58 GiB") })
    }

    @Test func modelFromTheLogAndDidYouMean() throws {
        let named = CheckLogExcerpts.vllmConfigLine.replacingFirst("Qwen/Qwen2.5-0.5B-Instruct-AWQ", with: "Qwen/Qwen2.5-14B-Instruct-AWQ")
            + "\nINFO 04-06 18:44:10 [gpu_model_runner.py:1] Model loading took 9.3 GiB and 3 seconds\n"
        let c = try LogChecker.check(named, catalog: catalog, options: LogCheckOptions(gpu: "4090"))
        #expect(c.estimate.model.id == "qwen2.5-14b-instruct" && c.modelSource == "catalog")
        #expect(c.estimate.scheme.id == "awq")
        #expect(c.estimate.context == 512)
        let typo = named.replacingFirst("Qwen/Qwen2.5-14B-Instruct-AWQ", with: "Qwen/Qwen2.5-14B-Instrct-AWQ")
        #expect {
            try LogChecker.check(typo, catalog: catalog, options: LogCheckOptions(gpu: "4090"))
        } throws: { e in
            guard case LogCheckError.unknownModel(let name, let s)? = e as? LogCheckError else { return false }
            return name.contains("Instrct") && s.contains("qwen2.5-14b-instruct")
        }
    }

    @Test func typedErrorsForWhatTheLogLacks() throws {
        #expect(throws: LogCheckError.noModel(engine: .vllm)) {
            try LogChecker.check(CheckLogExcerpts.vllmL40S, catalog: catalog, options: LogCheckOptions(gpu: "l40s"))
        }
        #expect(throws: LogCheckError.noGPU(engine: .vllm)) {
            try LogChecker.check(CheckLogExcerpts.vllmL40S, catalog: catalog, options: LogCheckOptions(model: "llama-3.1-8b"))
        }
        #expect(throws: LookupError.self) {
            try LogChecker.check(CheckLogExcerpts.vllmL40S, catalog: catalog, options: LogCheckOptions(model: "llama-9", gpu: "l40s"))
        }
        #expect(throws: LogCheckError.unknownScheme(printed: "(no file type printed)", suggestions: ["q4_k_m", "q8_0", "gguf-f16"])) {
            try LogChecker.check(CheckLogExcerpts.llamaSharpQwen3B, catalog: catalog, options: LogCheckOptions(model: "qwen2.5-3b", gpu: "4090"))
        }
    }

    /// A synthetic CPU-only llama.cpp log (print_info lines in b5500's format, a name the catalog
    /// lacks): the model is found by its dimensions, the target is the catalog's CPU host.
    @Test func cpuRunWithRebuiltModel() throws {
        let text = """
            print_info: file type   = Q8_0
            print_info: arch             = qwen2
            print_info: n_ctx_train      = 32768
            print_info: n_embd           = 2048
            print_info: n_layer          = 36
            print_info: n_head           = 16
            print_info: n_head_kv        = 2
            print_info: n_embd_head_k    = 128
            print_info: n_ff             = 11008
            print_info: model params     = 3.09 B
            print_info: general.name     = My Finetune 3B
            print_info: n_vocab          = 151936
            load_tensors:   CPU_Mapped model buffer size =  3127.61 MiB
            llama_context: n_ctx         = 4096
            llama_kv_cache_unified:        CPU KV buffer size =   144.00 MiB
            """
        let c = try LogChecker.check(text, catalog: catalog)
        #expect(c.modelSource == "catalog (matched by the log's dimensions)")
        #expect(c.estimate.model.id == "qwen2.5-3b-instruct")
        #expect(c.estimate.gpu.id == "cpu-64gb")
        #expect(try row(c, "KV cache").predicted == Double(4096 * 36 * 512 * 2))
        #expect(try row(c, "parameters").predicted == 3_085_938_688)
        // The buffer figure is made up for this synthetic log; only that it is compared is checked.
        #expect(try row(c, "model buffers, all devices").predicted != nil)
    }
}

extension String {
    func replacingFirst(_ a: String, with b: String) -> String {
        guard let r = firstRange(of: a) else { return self }
        return String(self[..<r.lowerBound]) + b + String(self[r.upperBound...])
    }
}
