import Testing
import VramfitCore
@testable import VramfitCatalog

/// The built-in quantization schemes and KV-cache types: ids, aliases, and whole-model sizes that
/// must reproduce published figures (so the YAML rules are tested along with the arithmetic).
@Suite struct SchemeCatalogTests {
    /// Empty when the built-in files do not decode; `builtInCatalogDecodes` then reports the error.
    static let catalog: Catalog = (try? CatalogLoader.builtIn()) ?? Catalog()

    struct Missing: Error, CustomStringConvertible { var description: String }

    static func scheme(_ id: String) throws -> QuantScheme {
        guard let s = catalog.schemes.first(where: { $0.id == id }) else { throw Missing(description: "no scheme \(id)") }
        return s
    }

    @Test func builtInCatalogDecodes() throws {
        _ = try CatalogLoader.builtIn()
    }

    /// Llama-3.1-8B (meta-llama/Llama-3.1-8B config.json): vocab 128256, hidden 4096, intermediate
    /// 14336, 32 layers, 32 heads, 8 KV heads, untied; 8,030,261,248 parameters.
    static let llama31_8b = Model(id: "llama-3.1-8b", name: "Llama-3.1-8B", family: "llama-3.1", vocabSize: 128256,
                                  hiddenSize: 4096, intermediateSize: 14336, numLayers: 32, numAttentionHeads: 32,
                                  numKVHeads: 8, maxContext: 131072, dtype: .bf16, publishedParams: 8_030_261_248)

    /// gpt-oss-20b (reference models.yaml): vocab 201088, hidden 2880, 24 layers, 64 heads of 64,
    /// 8 KV heads, q/k/v and o biases, sinks, 32 experts (top-4) of width 2880 with router and
    /// expert biases, untied; 20,914,757,184 parameters.
    static let gptOss20b = Model(id: "gpt-oss-20b", name: "gpt-oss-20b", family: "gpt-oss", vocabSize: 201088,
                                 hiddenSize: 2880, intermediateSize: 2880, numLayers: 24, numAttentionHeads: 64,
                                 numKVHeads: 8, headDimOverride: 64, qkvBias: true, outputBias: true, attentionSinks: true,
                                 moe: .init(numExperts: 32, expertsPerToken: 4, expertIntermediateSize: 2880,
                                            routerBias: true, expertBias: true),
                                 maxContext: 131072, dtype: .bf16, publishedParams: 20_914_757_184)

    static func bitsPerWeight(_ m: Model, _ schemeId: String, engine: String? = nil) throws -> Double {
        let b = WeightBreakdown(model: m, scheme: try scheme(schemeId), engine: engine)
        return Double(b.total.value) * 8 / Double(ParameterCount.total(m))
    }

    static func storage(_ b: WeightBreakdown, _ role: TensorRole, layer: Int64?) -> String? {
        b.entries.first(where: { $0.tensor.role == role && $0.tensor.layer == layer })?.storage
    }

    // MARK: ids and lookups

    @Test func requiredSchemesPresent() throws {
        let ids = Set(Self.catalog.schemes.map(\.id))
        let required = ["fp32", "fp16", "bf16", "fp8", "fp8-channel", "fp8-block", "int8", "bnb-int8", "bnb-nf4", "bnb-nf4-dq",
                        "bnb-fp4", "bnb-fp4-dq", "awq", "gptq-int4", "gptq-int4-actorder", "gptq-int8", "mxfp4",
                        "q2_k", "q3_k_m", "q4_0", "q4_k_m", "q5_k_m", "q6_k", "q8_0",
                        "ggml-q8_0", "ggml-q4_0", "ggml-q4_1", "ggml-q5_0", "ggml-q5_1", "ggml-q6_k", "ggml-q5_k", "ggml-q4_k",
                        "ggml-q3_k", "ggml-q2_k", "ggml-iq4_xs", "gguf-f16"]
        for id in required { #expect(ids.contains(id), "missing scheme \(id)") }
        let kv = Set(Self.catalog.kvCacheTypes.map(\.id))
        for id in ["fp16", "bf16", "f16", "fp32", "fp8", "q8_0", "q4_0"] { #expect(kv.contains(id), "missing KV type \(id)") }
    }

    /// What people type resolves, without an ambiguity note, to what they mean. The GGUF names are
    /// llama.cpp file types (mixes), not single block types.
    @Test(arguments: [
        ("Q4_K_M", "q4_k_m"), ("q4_k_m", "q4_k_m"), ("Q4_K", "q4_k_m"), ("Q5_K_M", "q5_k_m"), ("Q3_K_M", "q3_k_m"),
        ("Q6_K", "q6_k"), ("Q8_0", "q8_0"), ("Q4_0", "q4_0"), ("Q2_K", "q2_k"), ("IQ4_XS", "iq4_xs"),
        ("AWQ", "awq"), ("GPTQ", "gptq-int4"), ("nf4", "bnb-nf4"), ("bnb-4bit", "bnb-nf4"),
        ("load_in_8bit", "bnb-int8"), ("llm.int8", "bnb-int8"), ("load_in_4bit", "bnb-fp4"), ("qlora", "bnb-nf4-dq"), ("FP16", "fp16"), ("float16", "fp16"),
        ("BF16", "bf16"), ("fp8", "fp8"), ("FP8-Dynamic", "fp8-channel"), ("int8", "int8"), ("MXFP4", "mxfp4"),
        ("f16 gguf", "gguf-f16"), ("q6_k pure", "ggml-q6_k"),
    ])
    func schemeAliases(typed: String, id: String) throws {
        let r = try Self.catalog.scheme(typed)
        #expect(r.value.id == id, "'\(typed)' resolved to \(r.value.id)")
        #expect(r.assumption == nil, "'\(typed)': \(r.assumption ?? "")")
    }

    /// Bare precision words name no scheme in the catalog: the question resolver picks one per engine
    /// (AskVocabulary.genericSchemes), which an alias would override.
    @Test(arguments: ["4bit", "4-bit", "int4", "w4a16", "8bit", "8-bit", "16bit"])
    func precisionWordsAreNotAliases(word: String) {
        #expect((try? Self.catalog.scheme(word)) == nil, "'\(word)' resolves to a scheme")
    }

    @Test func kvCacheTypes() throws {
        let c = Self.catalog
        #expect(try c.kvCacheType("auto").value.id == "fp16")
        #expect(try c.kvCacheType("fp8_e4m3").value.id == "fp8")
        #expect(try c.kvCacheType("fp8_e5m2").value.id == "fp8")
        let fp8 = try c.kvCacheType("fp8").value
        #expect(fp8.bytes(forValues: 128).value == 128)
        #expect(fp8.minComputeCapability == nil)       // storage only: works on Ampere too
        let q8 = try c.kvCacheType("q8_0").value
        #expect(q8.bytes(forValues: 128).value == 4 * 34)
        let q4 = try c.kvCacheType("q4_0").value
        #expect(q4.bytes(forValues: 128).value == 4 * 18)
        #expect(q8.engines.contains("ollama") && q4.engines.contains("ollama"))
        #expect(try c.kvCacheType("fp16").value.bytes(forValues: 128).value == 256)
    }

    // MARK: catalog facts

    /// vLLM first for AWQ/GPTQ/FP8, llama.cpp then Ollama for GGUF, transformers first for bitsandbytes;
    /// every engine named exists.
    @Test func enginesInOrderAndKnown() throws {
        for s in Self.catalog.schemes {
            #expect(!s.engines.isEmpty, "\(s.id) has no engine")
            if s.isGGUF { #expect(Array(s.engines.prefix(2)) == ["llama.cpp", "ollama"], "\(s.id): \(s.engines)") }
            if s.id.hasPrefix("bnb-") { #expect(s.engines.first == "transformers", "\(s.id)") }
            if s.id.hasPrefix("awq") || s.id.hasPrefix("gptq") || s.id.hasPrefix("fp8") { #expect(s.engines.first == "vllm", "\(s.id)") }
            #expect(!s.source.isEmpty)
        }
        let problems = CatalogChecks.problems(in: Self.catalog).filter { $0.hasPrefix("scheme") || $0.hasPrefix("kv cache") }
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test func computeCapabilities() throws {
        #expect(try Self.scheme("fp8").minComputeCapability == 89)
        #expect(try Self.scheme("bf16").minComputeCapability == 80)
        #expect(try Self.scheme("awq").minComputeCapability == 75)
        #expect(try Self.scheme("fp16").minComputeCapability == nil)
        #expect(try Self.scheme("q4_k_m").minComputeCapability == nil)
    }

    /// quality_rank is an order: fp32 > bf16 > fp16 > fp8 > q8_0 > int8 > q6_k > q5_k_m > q4_k_m /
    /// awq / gptq > nf4 > q3_k_m > q2_k.
    @Test func qualityOrder() throws {
        let chain = ["fp32", "bf16", "fp16", "fp8", "q8_0", "int8", "q6_k", "q5_k_m", "q4_k_m", "bnb-nf4", "q3_k_m", "q2_k"]
        let ranks = try chain.map { try Self.scheme($0).qualityRank }
        for (a, b) in zip(ranks, ranks.dropFirst()) { #expect(a > b, "\(chain) ranks \(ranks)") }
        for id in ["awq", "gptq-int4"] {
            let r = try Self.scheme(id).qualityRank
            let nf4 = try Self.scheme("bnb-nf4").qualityRank, q5 = try Self.scheme("q5_k_m").qualityRank
            #expect(r >= 75 && r <= 80 && r > nf4 && r < q5, "\(id): \(r)")
        }
    }

    // MARK: whole models against published sizes

    @Test func llama31_8bParameters() throws {
        #expect(ParameterCount.total(Self.llama31_8b) == 8_030_261_248)
    }

    /// llama.cpp tools/quantize/README.md: Q4_K_M of Llama-3.1-8B is 4.8944 bits per weight (4.58 GiB).
    /// By hand: token_embd Q4_K, output Q6_K, 65 F32 norms; every layer Q4_K except attn_v and
    /// ffn_down on the 16 use_more_bits layers (0-3, 6, 9, …, 27, 28-31), which are Q6_K.
    @Test func llama31_8bQ4KM() throws {
        func q4(_ r: Int64, _ c: Int64) -> Int64 { r * c / 256 * 144 }
        func q6(_ r: Int64, _ c: Int64) -> Int64 { r * c / 256 * 210 }
        let layer = q4(4096, 4096) * 2 + q4(1024, 4096) * 2 + q4(14336, 4096) * 3
        let bump = (q6(1024, 4096) - q4(1024, 4096)) + (q6(4096, 14336) - q4(4096, 14336))
        let hand = q4(128256, 4096) + q6(128256, 4096) + 65 * 4096 * 4 + 32 * layer + 16 * bump
        #expect(hand == 4_912_898_048)
        let b = WeightBreakdown(model: Self.llama31_8b, scheme: try Self.scheme("q4_k_m"), engine: "llama.cpp")
        #expect(b.total.value == hand)
        let bpw = Double(b.total.value) * 8 / 8_030_261_248
        #expect(abs(bpw - 4.8944) <= 0.0005, "\(bpw)")
        #expect(abs(b.total.gib - 4.58) < 0.005)
        #expect(Self.storage(b, .attnV, layer: 3) == "Q6_K")
        #expect(Self.storage(b, .attnV, layer: 4) == "Q4_K")
        #expect(Self.storage(b, .ffnDown, layer: 27) == "Q6_K")
        #expect(Self.storage(b, .output, layer: nil) == "Q6_K")
        #expect(Self.storage(b, .tokenEmbedding, layer: nil) == "Q4_K")
    }

    /// README: Q5_K_M 5.7036 bits per weight (5.33 GiB).
    @Test func llama31_8bQ5KM() throws {
        let bpw = try Self.bitsPerWeight(Self.llama31_8b, "q5_k_m")
        #expect(abs(bpw - 5.7036) <= 0.0005, "\(bpw)")
        let b = WeightBreakdown(model: Self.llama31_8b, scheme: try Self.scheme("q5_k_m"), engine: nil)
        #expect(b.total.value == 5_725_151_232)
    }

    /// quantize.cpp lists Q3_K_M at "3.74G" for Llama-3-8B; the figure is GiB (its Q4_K_M "4.58G" is
    /// the README's 4.58 GiB), i.e. 4.01e9 bytes. By hand: Q3_K default; attn_output Q4_K; attn_v Q5_K
    /// in layers 0-1 then Q4_K; ffn_down Q5_K below 32/16 = 2 then Q4_K; output Q6_K.
    @Test func llama31_8bQ3KM() throws {
        let b = WeightBreakdown(model: Self.llama31_8b, scheme: try Self.scheme("q3_k_m"), engine: nil)
        #expect(b.total.value == 4_011_081_728)
        #expect(abs(b.total.gib - 3.74) < 0.005, "\(b.total.gib) GiB")
        #expect(Self.storage(b, .attnV, layer: 1) == "Q5_K")
        #expect(Self.storage(b, .attnV, layer: 2) == "Q4_K")
        #expect(Self.storage(b, .ffnDown, layer: 1) == "Q5_K")
        #expect(Self.storage(b, .ffnDown, layer: 2) == "Q4_K")
        #expect(Self.storage(b, .attnOutput, layer: 9) == "Q4_K")
        #expect(Self.storage(b, .ffnUp, layer: 9) == "Q3_K")
    }

    /// The other file types of the README's Llama-3.1-8B table (bits per weight).
    @Test(arguments: [("q2_k", 3.1593), ("q6_k", 6.5633), ("q8_0", 8.5008), ("iq4_xs", 4.4597), ("gguf-f16", 16.0005)])
    func llama31_8bOtherTypes(id: String, published: Double) throws {
        let bpw = try Self.bitsPerWeight(Self.llama31_8b, id)
        #expect(abs(bpw - published) <= 0.0005, "\(id): \(bpw) vs \(published)")
    }

    /// quantize.cpp (Llama-3-8B, GiB): Q4_0 4.34G, Q5_0 5.21G.
    @Test(arguments: [("q4_0", 4.34), ("q5_0", 5.21)])
    func llama31_8bLegacyTypes(id: String, gib: Double) throws {
        let b = WeightBreakdown(model: Self.llama31_8b, scheme: try Self.scheme(id), engine: nil)
        #expect(abs(b.total.gib - gib) < 0.01, "\(id): \(b.total.gib) GiB")
    }

    /// gpt-oss-20b as shipped: MXFP4 experts (17 bytes per 32 weights) and everything else bf16
    /// (expert biases included) = 13.76 GB, the published safetensors shards (4.79 + 4.80 + 4.17 GB).
    @Test func gptOss20bMXFP4() throws {
        #expect(ParameterCount.total(Self.gptOss20b) == 20_914_757_184)
        let expertWeights: Int64 = 24 * 32 * 3 * 2880 * 2880
        let hand = expertWeights / 32 * 17 + (20_914_757_184 - expertWeights) * 2
        #expect(hand == 13_761_264_768)
        let b = WeightBreakdown(model: Self.gptOss20b, scheme: try Self.scheme("mxfp4"), engine: "vllm")
        #expect(b.total.value == hand)
        #expect(abs(b.total.gb - 13.76) < 0.01)
        // Attention, router, embeddings and head stay bf16 (modules_to_not_convert).
        for role in [TensorRole.attnQ, .attnK, .attnV, .attnOutput, .router] {
            #expect(Self.storage(b, role, layer: 0) == "bfloat16", "\(role)")
        }
        #expect(Self.storage(b, .tokenEmbedding, layer: nil) == "bfloat16")
        #expect(Self.storage(b, .output, layer: nil) == "bfloat16")
    }

    /// Tied embeddings and a 896-wide model (Qwen2.5-0.5B): token_embd takes the output rule (Q6_K),
    /// which falls back to Q8_0 because 896 is not a multiple of 256; 896-wide rows of Q4_K fall back
    /// to Q5_0; ffn_down rows (4864 = 19·256) stay K-quants.
    @Test func tiedAndNarrowQ4KM() throws {
        let m = Model(id: "q", name: "q", family: "qwen2.5", vocabSize: 151936, hiddenSize: 896, intermediateSize: 4864,
                      numLayers: 24, numAttentionHeads: 14, numKVHeads: 2, tieWordEmbeddings: true, qkvBias: true,
                      maxContext: 32768, publishedParams: 494_032_768)
        let b = WeightBreakdown(model: m, scheme: try Self.scheme("q4_k_m"), engine: nil)
        #expect(Self.storage(b, .tokenEmbedding, layer: nil) == "Q8_0")
        #expect(Self.storage(b, .output, layer: nil) == nil)
        #expect(Self.storage(b, .ffnUp, layer: 5) == "Q5_0")
        #expect(Self.storage(b, .ffnDown, layer: 4) == "Q4_K")   // not use_more_bits(4, 24)
        #expect(Self.storage(b, .ffnDown, layer: 5) == "Q6_K")   // (5 - 3) % 3 == 2
        #expect(Self.storage(b, .attnV, layer: 0) == "Q8_0")   // Q6_K → fallback Q8_0
    }

    /// 8-expert models (Mixtral): attn_v and attn_k Q8_0, attn_output Q5_K in Q4_K_M; the router F32.
    @Test func eightExpertQ4KM() throws {
        let m = Model(id: "mx", name: "mx", family: "mixtral", vocabSize: 32000, hiddenSize: 4096, intermediateSize: 14336,
                      numLayers: 32, numAttentionHeads: 32, numKVHeads: 8,
                      moe: .init(numExperts: 8, expertsPerToken: 2, expertIntermediateSize: 14336),
                      maxContext: 32768, publishedParams: 46_702_792_704)
        let b = WeightBreakdown(model: m, scheme: try Self.scheme("q4_k_m"), engine: nil)
        #expect(Self.storage(b, .attnV, layer: 5) == "Q8_0")
        #expect(Self.storage(b, .attnK, layer: 5) == "Q8_0")
        #expect(Self.storage(b, .attnOutput, layer: 5) == "Q5_K")
        #expect(Self.storage(b, .attnQ, layer: 5) == "Q4_K")
        #expect(Self.storage(b, .expertDown, layer: 0) == "Q6_K")
        #expect(Self.storage(b, .expertDown, layer: 5) == "Q4_K")
        #expect(Self.storage(b, .router, layer: 5) == "F32")
    }

    /// 80-layer models (LLM_TYPE_70B): attn_v Q4_K → Q5_K; use_more_bits layers keep Q6_K.
    @Test func seventyBAttnV() throws {
        let m = Model(id: "l70", name: "l70", family: "llama-3.1", vocabSize: 128256, hiddenSize: 8192, intermediateSize: 28672,
                      numLayers: 80, numAttentionHeads: 64, numKVHeads: 8, maxContext: 131072, publishedParams: 70_553_706_496)
        let b = WeightBreakdown(model: m, scheme: try Self.scheme("q4_k_m"), engine: nil)
        #expect(Self.storage(b, .attnV, layer: 0) == "Q6_K")
        #expect(Self.storage(b, .attnV, layer: 10) == "Q5_K")
        #expect(Self.storage(b, .attnV, layer: 12) == "Q6_K")   // (12 - 10) % 3 == 2
        #expect(Self.storage(b, .attnK, layer: 10) == "Q4_K")
    }

    /// Same storage, different names: act-order GPTQ, FP4 vs NF4.
    @Test func sameStorageVariants() throws {
        let m = Self.llama31_8b
        func total(_ id: String) throws -> Int64 { WeightBreakdown(model: m, scheme: try Self.scheme(id), engine: nil).total.value }
        #expect(try total("gptq-int4") == total("gptq-int4-actorder"))
        #expect(try total("bnb-nf4") == total("bnb-fp4"))
        #expect(try total("bnb-nf4-dq") == total("bnb-fp4-dq"))
        #expect(try total("bnb-nf4-dq") < total("bnb-nf4"))
        // AWQ: n/2 + n/256 + n/64 = 133n/256 bytes (4.15625 bits) on the quantized linears; fp16
        // embeddings and head; norms at 2 bytes.
        let linears: Int64 = 32 * (4096 * 4096 * 2 + 1024 * 4096 * 2 + 3 * 4096 * 14336)
        let embeddings: Int64 = 2 * 128256 * 4096 * 2 + 65 * 4096 * 2
        #expect(try total("awq") == linears / 256 * 133 + embeddings)
    }

    /// transformers 5 keeps MoE experts as fused 3-D parameters and routers as plain parameters, which
    /// bitsandbytes does not replace (measured: Qwen1.5-MoE-A2.7B NF4 holds 25,637 MiB against 27,324 MiB
    /// in bf16, validation/data/transformers-h100.jsonl); vLLM quantizes the experts, not the router.
    @Test func bnbRouterPerEngine() throws {
        let m = Model(id: "mx", name: "mx", family: "mixtral", vocabSize: 32000, hiddenSize: 4096, intermediateSize: 14336,
                      numLayers: 32, numAttentionHeads: 32, numKVHeads: 8,
                      moe: .init(numExperts: 8, expertsPerToken: 2, expertIntermediateSize: 14336),
                      maxContext: 32768, publishedParams: 46_702_792_704)
        let t = WeightBreakdown(model: m, scheme: try Self.scheme("bnb-int8"), engine: "transformers")
        let v = WeightBreakdown(model: m, scheme: try Self.scheme("bnb-int8"), engine: "vllm")
        #expect(Self.storage(t, .router, layer: 0) == "bfloat16")
        #expect(Self.storage(t, .expertUp, layer: 0) == "bfloat16")
        #expect(Self.storage(t, .attnQ, layer: 0) == "int8")
        #expect(Self.storage(v, .router, layer: 0) == "bfloat16")
        #expect(Self.storage(v, .expertUp, layer: 0) == "int8")
    }
}
