import Foundation
import Testing
import VramfitCore
@testable import VramfitCatalog

@Suite struct ConfigJSONReaderTests {
    func read(_ json: String) throws -> ConfigModel { try ConfigJSONReader.read(Array(json.utf8)) }

    static let llama31_8b = #"""
    {"architectures":["LlamaForCausalLM"],"model_type":"llama","hidden_size":4096,"intermediate_size":14336,
     "num_hidden_layers":32,"num_attention_heads":32,"num_key_value_heads":8,"vocab_size":128256,
     "max_position_embeddings":131072,"tie_word_embeddings":false,"torch_dtype":"bfloat16","rope_theta":500000.0,
     "_name_or_path":"meta-llama/Llama-3.1-8B-Instruct"}
    """#

    /// Derived parameter counts equal the checkpoints' published exact counts.
    @Test func llamaCountMatchesCheckpoint() throws {
        let c = try read(Self.llama31_8b)
        #expect(ParameterCount.total(c.model) == 8_030_261_248)
        #expect(c.model.id == "llama-3.1-8b-instruct")
        #expect(c.model.hfRepo == "meta-llama/Llama-3.1-8B-Instruct")
        #expect(c.schemeId == nil)
    }

    @Test func qwen2HasQKVBiasAndIgnoresDisabledSlidingWindow() throws {
        let c = try read(#"{"model_type":"qwen2","hidden_size":896,"intermediate_size":4864,"num_hidden_layers":24,"num_attention_heads":14,"num_key_value_heads":2,"vocab_size":151936,"max_position_embeddings":32768,"tie_word_embeddings":true,"torch_dtype":"bfloat16","sliding_window":32768,"use_sliding_window":false}"#)
        #expect(c.model.qkvBias && c.model.slidingWindow == nil)
        #expect(ParameterCount.total(c.model) == 494_032_768)
    }

    @Test func mixtralIsMoE() throws {
        let c = try read(#"{"model_type":"mixtral","hidden_size":4096,"intermediate_size":14336,"num_hidden_layers":32,"num_attention_heads":32,"num_key_value_heads":8,"vocab_size":32000,"max_position_embeddings":32768,"num_local_experts":8,"num_experts_per_tok":2,"torch_dtype":"bfloat16"}"#)
        #expect(c.model.moe?.numExperts == 8 && c.model.moe?.expertsPerToken == 2)
        #expect(ParameterCount.total(c.model) == 46_702_792_704)
    }

    /// DeepSeek-V3's config gives the same architecture as the hand-written catalog entry.
    @Test func deepseekV3MatchesCatalogEntry() throws {
        let c = try read(#"""
        {"model_type":"deepseek_v3","hidden_size":7168,"intermediate_size":18432,"moe_intermediate_size":2048,"num_hidden_layers":61,
         "num_attention_heads":128,"num_key_value_heads":128,"vocab_size":129280,"max_position_embeddings":163840,"n_routed_experts":256,
         "n_shared_experts":1,"num_experts_per_tok":8,"first_k_dense_replace":3,"kv_lora_rank":512,"q_lora_rank":1536,"qk_rope_head_dim":64,
         "qk_nope_head_dim":128,"v_head_dim":128,"topk_method":"noaux_tc","torch_dtype":"bfloat16",
         "quantization_config":{"quant_method":"fp8","fmt":"e4m3","activation_scheme":"dynamic","weight_block_size":[128,128]}}
        """#)
        let builtIn = try CatalogLoader.builtIn().model("deepseek-v3").value
        #expect(ParameterCount.total(c.model) == ParameterCount.total(builtIn))
        #expect(c.model.mla == builtIn.mla && c.model.moe == builtIn.moe)
        #expect(c.schemeId == "fp8-block" && c.model.nativeQuant == "fp8-block")
    }

    @Test func gemma3WrapperReadsTextConfigAndPattern() throws {
        let c = try read(#"""
        {"model_type":"gemma3","text_config":{"model_type":"gemma3_text","hidden_size":2560,"intermediate_size":10240,"num_hidden_layers":34,
         "num_attention_heads":8,"num_key_value_heads":4,"head_dim":256,"vocab_size":262208,"max_position_embeddings":131072,
         "sliding_window":1024,"sliding_window_pattern":6},
         "vision_config":{"model_type":"siglip_vision_model","hidden_size":1152,"intermediate_size":4304,"num_hidden_layers":27},
         "torch_dtype":"bfloat16"}
        """#)
        #expect(c.model.headDim == 256 && c.model.normsPerLayer == 4 && c.model.qkNorm && c.model.tieWordEmbeddings)
        #expect(c.model.slidingWindow == Model.SlidingWindow(window: 1024, pattern: [true, true, true, true, true, false]))
        #expect(c.model.vision?.layers == 27)
    }

    @Test func gptOssFlagsAndLayerTypes() throws {
        let c = try read(#"""
        {"model_type":"gpt_oss","hidden_size":2880,"intermediate_size":2880,"num_hidden_layers":4,"num_attention_heads":64,
         "num_key_value_heads":8,"head_dim":64,"vocab_size":201088,"max_position_embeddings":131072,"num_local_experts":32,
         "experts_per_token":4,"sliding_window":128,"layer_types":["sliding_attention","full_attention","sliding_attention","full_attention"],
         "quantization_config":{"quant_method":"mxfp4"}}
        """#)
        #expect(c.model.attentionSinks && c.model.outputBias && c.model.moe?.routerBias == true)
        #expect(c.model.slidingWindow?.pattern == [true, false, true, false])
        #expect(c.schemeId == "mxfp4")
    }

    /// gpt-oss-20b's config.json gives the hand-written catalog entry's architecture.
    @Test func gptOss20bMatchesCatalogEntry() throws {
        let c = try read(#"""
        {"model_type":"gpt_oss","hidden_size":2880,"intermediate_size":2880,"num_hidden_layers":24,"num_attention_heads":64,
         "num_key_value_heads":8,"head_dim":64,"vocab_size":201088,"max_position_embeddings":131072,"num_local_experts":32,
         "num_experts_per_tok":4,"experts_per_token":4,"sliding_window":128,"tie_word_embeddings":false,"attention_bias":true,
         "layer_types":["sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention",
           "sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention",
           "sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention",
           "sliding_attention","full_attention","sliding_attention","full_attention","sliding_attention","full_attention"],
         "quantization_config":{"quant_method":"mxfp4","modules_to_not_convert":["model.layers.*.self_attn","model.embed_tokens","lm_head"]}}
        """#)
        let builtIn = try CatalogLoader.builtIn().model("gpt-oss-20b").value
        #expect(ParameterCount.total(c.model) == 20_914_757_184)
        #expect(ParameterCount.total(c.model) == ParameterCount.total(builtIn))
        #expect(c.model.moe == builtIn.moe && c.model.nativeQuant == builtIn.nativeQuant)
    }

    @Test func quantizationConfigsMapToSchemes() throws {
        let cases: [(String, String?)] = [
            (#"{"quant_method":"awq","bits":4,"group_size":128,"zero_point":true}"#, "awq"),
            (#"{"quant_method":"gptq","bits":4,"group_size":128,"desc_act":false}"#, "gptq-int4"),
            (#"{"quant_method":"gptq","bits":4,"group_size":128,"desc_act":true}"#, "gptq-int4-actorder"),
            (#"{"quant_method":"gptq","bits":8}"#, "gptq-int8"),
            (#"{"quant_method":"bitsandbytes","load_in_4bit":true,"bnb_4bit_quant_type":"nf4","bnb_4bit_use_double_quant":true}"#, "bnb-nf4-dq"),
            (#"{"quant_method":"bitsandbytes","load_in_8bit":true}"#, "bnb-int8"),
            (#"{"quant_method":"fp8"}"#, "fp8"),
        ]
        for (q, want) in cases {
            let json = Self.llama31_8b.replacingOccurrences(of: #""rope_theta":500000.0"#, with: #""quantization_config":"# + q)
            #expect(try read(json).schemeId == want, "\(q)")
        }
        let scheme = try CatalogLoader.builtIn()
        for (_, want) in cases { if let want { #expect(throws: Never.self) { try scheme.scheme(want) } } }
    }

    @Test func hostileConfigsGiveSpecificErrors() {
        #expect(throws: ModelFileError.malformed("config.json is not a JSON object")) { try read("[1]") }
        #expect(throws: ModelFileError.missingKey("hidden_size")) { try read(#"{"num_hidden_layers":2}"#) }
        #expect(throws: ModelFileError.tooLarge(what: "hidden_size", value: 1 << 40, limit: 1 << 16)) {
            try read(#"{"hidden_size":1099511627776,"num_hidden_layers":2,"num_attention_heads":2,"vocab_size":10}"#)
        }
        #expect(throws: ModelFileError.malformed("'num_hidden_layers' must not be negative")) {
            try read(#"{"hidden_size":64,"num_hidden_layers":-3,"num_attention_heads":2,"vocab_size":10}"#)
        }
        #expect(throws: ModelFileError.malformed("'vocab_size' must be an integer")) {
            try read(#"{"hidden_size":64,"num_hidden_layers":2,"num_attention_heads":2,"vocab_size":"big"}"#)
        }
        #expect(throws: ModelFileError.malformed("num_key_value_heads (3) must divide num_attention_heads (4)")) {
            try read(#"{"hidden_size":64,"num_hidden_layers":2,"num_attention_heads":4,"num_key_value_heads":3,"vocab_size":10}"#)
        }
        #expect(throws: ModelFileError.duplicateKey("hidden_size", offset: 18)) { try read(#"{"hidden_size":64,"hidden_size":128}"#) }
        #expect(throws: ModelFileError.malformed("experts per token (9) exceed the expert count (8)")) {
            try read(#"{"hidden_size":64,"num_hidden_layers":2,"num_attention_heads":4,"vocab_size":10,"num_local_experts":8,"num_experts_per_tok":9}"#)
        }
    }

    /// The YAML `catalog import` prints decodes back to the same model.
    @Test func yamlEntryRoundTrips() throws {
        for json in [Self.llama31_8b] {
            let m = try read(json).model
            let yaml = ModelYAMLWriter.entry(m)
            let back = try #require(try CatalogDecoder.decode(yaml, file: "import.yaml").models.first)
            #expect(back.id == m.id && back.name == m.name && back.hfRepo == m.hfRepo)
            #expect(ParameterCount.total(back) == ParameterCount.total(m))
            #expect(back.numKVHeads == m.numKVHeads && back.maxContext == m.maxContext && back.tieWordEmbeddings == m.tieWordEmbeddings)
        }
        var odd = try read(Self.llama31_8b).model
        odd.name = "we\"ird: # name\n- x"
        odd.slidingWindow = .init(window: 4096, pattern: [true, false])
        odd.moe = .init(numExperts: 8, expertsPerToken: 2, expertIntermediateSize: 1024, sharedExperts: 1, firstDenseLayers: 1)
        let back = try #require(try CatalogDecoder.decode(ModelYAMLWriter.entry(odd), file: "x.yaml").models.first)
        #expect(back.name == odd.name && back.slidingWindow == odd.slidingWindow && back.moe == odd.moe)
    }
}
