import Testing
@testable import VramfitCore

/// Names as logs print them → catalog entries; printed quantization → scheme ids.
@Suite struct LogResolverTests {
    let catalog = CheckLogTestCatalog.catalog

    @Test func modelNamesFromPathsCachesAndQuantSuffixes() {
        func id(_ s: String) -> String? { LogModelResolver.lookup(s, in: catalog)?.value.id }
        #expect(id("meta-llama/Llama-3.1-8B-Instruct") == "llama-3.1-8b")
        #expect(id("/models/models--meta-llama--Meta-Llama-3.1-8B-Instruct/snapshots/0e9e39f249a16976918f6564b8830bc894c89659") == "llama-3.1-8b")
        #expect(id("Qwen/Qwen2.5-14B-Instruct-AWQ") == "qwen2.5-14b-instruct")
        #expect(id("Qwen/Qwen2.5-14B-Instruct-GPTQ-Int4") == "qwen2.5-14b-instruct")
        #expect(id("/data/Qwen2.5-3B-Instruct-Q4_K_M.gguf") == "qwen2.5-3b-instruct")
        #expect(id("neuralmagic/Meta-Llama-3.1-8B-Instruct-quantized.w8a8") == "llama-3.1-8b")
        #expect(id("Qwen2.5 14B Instruct") == "qwen2.5-14b-instruct")  // GGUF general.name
        #expect(id("llama3.1:8b") == "llama-3.1-8b")  // an Ollama tag
        #expect(id("totally-unknown-model") == nil)
        #expect(LogModelResolver.suggestions("Qwen2.5-14B-Instrct", in: catalog).contains("qwen2.5-14b-instruct"))
    }

    @Test func schemeHintsFromNames() {
        #expect(LogModelResolver.schemeHint("Qwen/Qwen2.5-7B-Instruct-AWQ") == "awq")
        #expect(LogModelResolver.schemeHint("Qwen/Qwen2.5-7B-Instruct-GPTQ-Int8") == "gptq-int8")
        #expect(LogModelResolver.schemeHint("Qwen/Qwen2.5-7B-Instruct-GPTQ-Int4") == "gptq-int4")
        #expect(LogModelResolver.schemeHint("neuralmagic/Meta-Llama-3.1-70B-Instruct-quantized.w8a8") == "int8")
        #expect(LogModelResolver.schemeHint("RedHatAI/Llama-3.1-8B-Instruct-FP8-dynamic") == "fp8-channel")
        #expect(LogModelResolver.schemeHint("Qwen/Qwen3-235B-A22B-FP8") == "fp8-block")
        #expect(LogModelResolver.schemeHint("unsloth/llama-3-8b-bnb-4bit") == "bnb-nf4")
        #expect(LogModelResolver.schemeHint("Qwen3-8B-Q4_K_M.gguf") == "q4_k_m")
        #expect(LogModelResolver.schemeHint("meta-llama/Llama-3.1-8B-Instruct") == nil)
    }

    /// llama_model_ftype_name strings (src/llama-model-loader.cpp) and LLAMA_FTYPE numbers (llama.h).
    @Test func ggufFileTypes() {
        #expect(LogSchemeResolver.ggufID("Q4_K - Medium") == "q4_k_m")
        #expect(LogSchemeResolver.ggufID("Q5_K - Medium") == "q5_k_m")
        #expect(LogSchemeResolver.ggufID("Q3_K - Medium") == "q3_k_m")
        #expect(LogSchemeResolver.ggufID("Q4_K - Small") == "q4_k_s")
        #expect(LogSchemeResolver.ggufID("Q2_K - Medium") == "q2_k")
        #expect(LogSchemeResolver.ggufID("Q8_0") == "q8_0")
        #expect(LogSchemeResolver.ggufID("F16") == "gguf-f16")
        #expect(LogSchemeResolver.ggufID("BF16") == "gguf-bf16")
        #expect(LogSchemeResolver.ggufID("IQ4_XS - 4.25 bpw") == "iq4_xs")
        #expect(LogSchemeResolver.ggufID("MXFP4 MoE") == "mxfp4_moe")
        #expect(LogSchemeResolver.ggufID("15") == "q4_k_m")
        #expect(LogSchemeResolver.ggufID("Q4_K_M") == "q4_k_m")
    }

    @Test func servingQuantizationMethods() throws {
        #expect(try LogSchemeResolver.servingID(method: "awq_marlin", dtype: "torch.float16", modelName: "x") == "awq")
        #expect(try LogSchemeResolver.servingID(method: "gptq_marlin", dtype: nil, modelName: "Qwen2.5-7B-Instruct-GPTQ-Int8") == "gptq-int8")
        #expect(try LogSchemeResolver.servingID(method: "gptq", dtype: nil, modelName: "model") == "gptq-int4")
        #expect(try LogSchemeResolver.servingID(method: "fp8", dtype: nil, modelName: "meta-llama/Llama-3.1-8B-Instruct") == "fp8")
        #expect(try LogSchemeResolver.servingID(method: "compressed-tensors", dtype: nil, modelName: "x-quantized.w8a8") == "int8")
        #expect(try LogSchemeResolver.servingID(method: "None", dtype: "torch.bfloat16", modelName: "m") == "bf16")
        #expect(try LogSchemeResolver.servingID(method: nil, dtype: "auto", modelName: "m") == nil)
        #expect(throws: LogCheckError.unknownScheme(printed: "compressed-tensors", suggestions: ["int8", "fp8-channel", "gptq-int4"])) {
            try LogSchemeResolver.servingID(method: "compressed-tensors", dtype: nil, modelName: "some-model")
        }
        #expect(LogSchemeResolver.kvCacheID("auto") == nil)
        #expect(LogSchemeResolver.kvCacheID("fp8_e5m2") == "fp8")
        #expect(LogSchemeResolver.kvCacheID("q8_0") == "q8_0")
    }

    @Test func gpusByPrintedName() {
        func id(_ s: String, total: Double? = nil) -> String? {
            LogGPUResolver.byName(s, in: catalog, total: total.map { ByteCount.gib($0) })?.id
        }
        #expect(id("NVIDIA GeForce RTX 4090") == "rtx-4090")
        #expect(id("NVIDIA A100-SXM4-40GB") == "a100-40gb")
        #expect(id("NVIDIA A100-SXM4-80GB") == "a100-80gb")
        #expect(id("NVIDIA A100-SXM4", total: 79.2) == "a100-80gb")
        #expect(id("NVIDIA L40S") == "l40s")
        #expect(id("NVIDIA GeForce RTX 4090 Ti") == nil)  // another product
        #expect(id("NVIDIA GeForce RTX 4080") == nil)
        #expect(LogGPUResolver.byTotal(.gib(23.58), in: catalog).first?.id == "rtx-4090")
        #expect(LogGPUResolver.byFreeMemory(.gib(46.81), in: catalog).isEmpty)  // no 48 GB GPU in this catalog
        #expect(LogGPUResolver.byFreeMemory(.gib(43.5), in: catalog).first?.id == "l40s")
    }

    /// A model rebuilt from llama.cpp's printed dimensions counts the parameters llama.cpp printed.
    @Test func modelFromPrintedDimensions() throws {
        var a = LoggedArchitecture()
        a.arch = "qwen2"; a.name = "Qwen2.5 3B Instruct"; a.vocab = 151_936; a.embedding = 2048; a.layers = 36
        a.heads = 16; a.kvHeads = 2; a.headDimK = 128; a.feedForward = 11_008; a.contextTrain = 32_768
        a.parameters = 3.09e9  // "model params = 3.09 B"
        let m = try LogModelResolver.build(a)
        #expect(m.qkvBias && m.tieWordEmbeddings)  // the tied count (3.086 B) is the one near 3.09 B
        #expect(ParameterCount.total(m) == 3_085_938_688)  // the published count of Qwen2.5-3B
        #expect(m.id == "qwen2.5-3b-instruct")
        a.embedding = nil
        #expect(throws: LogCheckError.incompleteArchitecture("n_embd is not printed")) { try LogModelResolver.build(a) }
    }
}
