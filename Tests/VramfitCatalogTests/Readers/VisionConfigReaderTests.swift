import Foundation
import Testing
import VramfitCore
@testable import VramfitCatalog

/// Multimodal config.json files (text_config + vision_config): the parameter count with the vision
/// tower must equal the checkpoint's published total, and the tower the catalog's hand-computed one.
@Suite struct VisionConfigReaderTests {
    func read(_ json: String) throws -> ConfigModel { try ConfigJSONReader.read(Array(json.utf8)) }

    /// google/gemma-3-27b-it's config.json (the text model leaves vocab_size and context at
    /// Gemma3TextConfig's defaults, as the published file does).
    static let gemma3_27b = #"""
    {"architectures":["Gemma3ForConditionalGeneration"],"boi_token_index":255999,"eoi_token_index":256000,"eos_token_id":[1,106],
     "image_token_index":262144,"initializer_range":0.02,"mm_tokens_per_image":256,"model_type":"gemma3",
     "text_config":{"head_dim":128,"hidden_size":5376,"intermediate_size":21504,"model_type":"gemma3_text","num_attention_heads":32,
      "num_hidden_layers":62,"num_key_value_heads":16,"query_pre_attn_scalar":168,"rope_scaling":{"factor":8.0,"rope_type":"linear"},
      "sliding_window":1024},
     "torch_dtype":"bfloat16","transformers_version":"4.50.0.dev0",
     "vision_config":{"hidden_size":1152,"image_size":896,"intermediate_size":4304,"model_type":"siglip_vision_model",
      "num_attention_heads":16,"num_hidden_layers":27,"patch_size":14,"vision_use_head":false}}
    """#

    /// mistralai/Mistral-Small-3.1-24B-Instruct-2503's config.json.
    static let mistralSmall31 = #"""
    {"architectures":["Mistral3ForConditionalGeneration"],"image_token_index":10,"model_type":"mistral3","multimodal_projector_bias":false,
     "projector_hidden_act":"gelu","spatial_merge_size":2,
     "text_config":{"attention_dropout":0.0,"head_dim":128,"hidden_act":"silu","hidden_size":5120,"initializer_range":0.02,
      "intermediate_size":32768,"max_position_embeddings":131072,"model_type":"mistral","num_attention_heads":32,"num_hidden_layers":40,
      "num_key_value_heads":8,"rms_norm_eps":1e-05,"rope_theta":1000000000.0,"sliding_window":null,"use_cache":true,"vocab_size":131072},
     "torch_dtype":"bfloat16","transformers_version":"4.50.0.dev0","vision_feature_layer":-1,
     "vision_config":{"attention_dropout":0.0,"head_dim":64,"hidden_act":"silu","hidden_size":1024,"image_size":1540,"initializer_range":0.02,
      "intermediate_size":4096,"model_type":"pixtral","num_attention_heads":16,"num_channels":3,"num_hidden_layers":24,"patch_size":14,
      "rope_theta":10000.0}}
    """#

    /// meta-llama/Llama-4-Scout-17B-16E-Instruct's config.json (moe_layers and rope_scaling shortened).
    static let llama4Scout: String = {
        let noRope = (0..<48).map { ($0 + 1) % 4 == 0 ? "0" : "1" }.joined(separator: ",")
        return #"""
        {"architectures":["Llama4ForConditionalGeneration"],"boi_token_index":200080,"eoi_token_index":200081,"image_token_index":200092,
         "model_type":"llama4","tie_word_embeddings":false,"torch_dtype":"bfloat16",
         "text_config":{"attention_bias":false,"attention_chunk_size":8192,"head_dim":128,"hidden_act":"silu","hidden_size":5120,
          "interleave_moe_layer_step":1,"intermediate_size":8192,"intermediate_size_mlp":16384,"max_position_embeddings":10485760,
          "model_type":"llama4_text","no_rope_layers":[\#(noRope)],"num_attention_heads":40,"num_experts_per_tok":1,
          "num_hidden_layers":48,"num_key_value_heads":8,"num_local_experts":16,"rms_norm_eps":1e-05,"rope_theta":500000.0,
          "torch_dtype":"bfloat16","use_qk_norm":true,"vocab_size":202048},
         "vision_config":{"hidden_act":"gelu","hidden_size":1408,"image_size":336,"intermediate_size":5632,"model_type":"llama4_vision_model",
          "multi_modal_projector_bias":false,"num_attention_heads":16,"num_channels":3,"num_hidden_layers":34,"patch_size":14,
          "pixel_shuffle_ratio":0.5,"projector_input_dim":4096,"projector_output_dim":4096,"vision_feature_layer":-1,"vision_output_dim":4096}}
        """#
    }()

    /// Gemma-3-27B: 27,432,406,640 = text 27,009,346,304 + vision 423,060,336 (HF safetensors total).
    /// By hand: SigLIP block = q/k/v/o 4·1152² + 4·1152 = 5,313,024, fc1/fc2 2·1152·4304 + 4304 + 1152
    /// = 9,921,872, two LayerNorms 4·1152 = 4,608 → 15,239,504 × 27 = 411,466,608. Outside the blocks:
    /// patch conv 3·14·14·1152 + 1152 = 678,528, positions (896/14)² · 1152 = 4,718,592, post
    /// LayerNorm 2,304, projector 1152·5376 = 6,193,152 and its RMSNorm 1,152 → 11,593,728.
    @Test func gemma3CountsItsSigLIPTowerAndProjector() throws {
        let c = try read(Self.gemma3_27b)
        let v = try #require(c.model.vision)
        #expect(v.extraParams == 678_528 + 4_718_592 + 2_304 + 6_193_152 + 1_152)
        #expect(v.layers == 27 && !v.gatedMLP && v.bias)
        #expect(ParameterCount.total(c.model) == 27_432_406_640)
        #expect(c.model.vocabSize == 262_208 && c.model.maxContext == 131_072)
        #expect(c.notes.contains { $0.hasPrefix("vision tower (SigLIP, transformers modeling_siglip.py)") && $0.contains("Gemma-3 projector") })
        let builtIn = try CatalogLoader.builtIn().model("gemma-3-27b-it").value
        #expect(c.model.vision == builtIn.vision)
    }

    /// Mistral-Small-3.1: 24,011,361,280 = text 23,572,403,200 + vision 438,958,080. By hand: Pixtral
    /// block = 4·1024² + 3·1024·4096 + 2·1024 = 16,779,264 × 24 = 402,702,336; outside: patch conv
    /// 3·14·14·1024 = 602,112, ln_pre 1,024, projector norm 1,024, patch merger 1024·4·1024 =
    /// 4,194,304, linear_1 1024·5120 = 5,242,880, linear_2 5120² = 26,214,400 (no biases) → 36,255,744.
    @Test func mistral3CountsPixtralAndThePatchMerger() throws {
        let c = try read(Self.mistralSmall31)
        let v = try #require(c.model.vision)
        #expect(v.extraParams == 602_112 + 1_024 + 1_024 + 4_194_304 + 5_242_880 + 26_214_400)
        #expect(v.gatedMLP && !v.bias)
        #expect(ParameterCount.total(c.model) == 24_011_361_280)
        #expect(c.model.vision == (try CatalogLoader.builtIn().model("mistral-small-3.1-24b-instruct-2503").value.vision))
        // With projector biases (multimodal_projector_bias true) linear_1 and linear_2 add 5120 each.
        let biased = try read(Self.mistralSmall31.replacingOccurrences(of: #""multimodal_projector_bias":false"#, with: #""multimodal_projector_bias":true"#))
        #expect(biased.model.vision?.extraParams == v.extraParams + 2 * 5120)
    }

    /// Llama-4-Scout: 108,641,793,536 = text 107,769,861,120 + vision 871,932,416. By hand, text: each
    /// of 48 layers has attention 2·5120² + 2·5120·1024 = 62,914,560, router 5120·16 = 81,920, 16
    /// experts 16·3·5120·8192 = 2,013,265,920, the shared expert 3·5120·8192 = 125,829,120 and two
    /// norms 10,240 → 2,202,101,760; × 48 = 105,700,884,480, + embeddings and head 2·202048·5120 =
    /// 2,068,971,520 + final norm 5,120. Vision: block 4·1408² + 4·1408 + 2·1408·5632 + 5632 + 1408
    /// + 4·1408 = 23,807,872 × 34 = 809,467,648; outside: patch 3·14·14·1408 = 827,904, class 1,408,
    /// positions (24² + 1)·1408 = 812,416, two LayerNorms 5,632, adapter 5632·4096 + 4096² =
    /// 39,845,888, projector 4096·5120 = 20,971,520 → 62,464,768.
    @Test func llama4CountsItsSharedExpertAndVisionAdapter() throws {
        let c = try read(Self.llama4Scout)
        let v = try #require(c.model.vision)
        #expect(v.extraParams == 827_904 + 1_408 + 812_416 + 5_632 + 39_845_888 + 20_971_520)
        #expect(ParameterCount.total(c.model) == 108_641_793_536)
        var text = c.model
        text.vision = nil
        #expect(ParameterCount.total(text) == 107_769_861_120)
        #expect(c.model.moe?.sharedExperts == 1 && c.model.moe?.sharedExpertIntermediateSize == 8192 && c.model.intermediateSize == 16384)
        #expect(c.model.slidingWindow == Model.SlidingWindow(window: 8192, pattern: [true, true, true, false]))
        let builtIn = try CatalogLoader.builtIn().model("llama-4-scout-17b-16e-instruct").value
        #expect(c.model.vision == builtIn.vision && c.model.moe == builtIn.moe && c.model.slidingWindow == builtIn.slidingWindow)
    }

    @Test func otherTowersAndHostileDims() throws {
        // A vision family without a projector formula keeps its blocks and says what is missing.
        let llava = try read(#"""
        {"model_type":"llava","text_config":{"model_type":"llama","hidden_size":64,"num_hidden_layers":1,"num_attention_heads":2,"vocab_size":32},
         "vision_config":{"model_type":"clip_vision_model","hidden_size":32,"intermediate_size":64,"num_hidden_layers":2}}
        """#)
        #expect(llava.model.vision == Model.VisionTower(layers: 2, hiddenSize: 32, intermediateSize: 64, gatedMLP: false, bias: true, extraParams: 0))
        #expect(llava.notes.contains("vision tower 'clip_vision_model' counted from its block dims only (patch/position embeddings and projector not included)"))
        func vision(_ v: String) -> String {
            #"{"model_type":"gemma3","text_config":{"model_type":"gemma3_text","hidden_size":64,"num_hidden_layers":1,"num_attention_heads":2},"vision_config":"#
                + v + "}"
        }
        #expect(throws: ModelFileError.tooLarge(what: "vision_config.image_size", value: 1 << 40, limit: 1 << 16)) {
            try read(vision(#"{"model_type":"siglip_vision_model","hidden_size":32,"intermediate_size":64,"num_hidden_layers":2,"image_size":1099511627776}"#))
        }
        #expect(throws: ModelFileError.malformed("vision_config needs a positive 'patch_size'")) {
            try read(vision(#"{"model_type":"siglip_vision_model","hidden_size":32,"intermediate_size":64,"num_hidden_layers":2,"patch_size":0}"#))
        }
        #expect(throws: ModelFileError.malformed("vision_config needs a positive 'patch_size'")) {
            try read(vision(#"{"model_type":"siglip_vision_model","hidden_size":32,"intermediate_size":64,"num_hidden_layers":2,"patch_size":"14"}"#))
        }
        #expect(throws: ModelFileError.malformed("vision_config needs a positive 'projector_input_dim'")) {
            try read(vision(#"{"model_type":"llama4_vision_model","hidden_size":32,"intermediate_size":64,"num_hidden_layers":2,"image_size":28,"patch_size":14}"#))
        }
        // The largest dims each limit allows: 65536² positions of 65536 is 2⁴⁸ parameters, inside Int64
        // but past the cap, so the total downstream cannot overflow.
        do {
            _ = try read(vision(#"{"model_type":"siglip_vision_model","hidden_size":65536,"intermediate_size":262144,"num_hidden_layers":1024,"image_size":65536,"patch_size":1,"num_channels":64}"#))
            Issue.record("a 2⁴⁸-parameter position table was accepted")
        } catch ModelFileError.tooLarge(let what, let value, let limit) {
            #expect(what == "vision parameters outside the blocks" && value > 1 << 48 && limit == 1 << 40)
        }
    }

    /// Safetensors next to a multimodal config: the files' element count becomes the model's count.
    @Test func exactCountFromSafetensorsWins() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vramfit-vision-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let config = #"""
        {"model_type":"gemma3","torch_dtype":"bfloat16",
         "text_config":{"model_type":"gemma3_text","hidden_size":64,"intermediate_size":128,"num_hidden_layers":1,"num_attention_heads":2,
          "num_key_value_heads":1,"head_dim":32,"vocab_size":128},
         "vision_config":{"model_type":"siglip_vision_model","hidden_size":32,"intermediate_size":64,"num_hidden_layers":1,"image_size":16,
          "patch_size":4,"vision_use_head":false}}
        """#
        try Data(config.utf8).write(to: dir.appendingPathComponent("config.json"))
        var w = SafetensorsWriter()
        w.add("language_model.model.embed_tokens.weight", "BF16", [128, 64])
        w.add("vision_tower.vision_model.embeddings.patch_embedding.weight", "BF16", [32, 3, 4, 4])
        w.add("multi_modal_projector.mm_input_projection_weight", "BF16", [32, 64])
        try Data(w.bytes()).write(to: dir.appendingPathComponent("model.safetensors"))
        let m = try ModelFiles.load(dir.path)
        // 128·64 + 32·3·4·4 + 32·64 = 8,192 + 1,536 + 2,048 = 11,776 elements in the file.
        #expect(m.model.publishedParams == 11_776)
        #expect(m.exactWeights?.elements == 11_776 && m.exactWeights?.byRole["vision"] == (1_536 + 2_048) * 2)
        #expect(!m.notes.contains(ConfigJSONReader.derivedCountNote))
        let formula = ParameterCount.total(m.model)
        #expect(m.notes.contains("published_params is the exact count from the safetensors headers (11776 in 3 tensors); config.json's dims give \(formula) (−\(formula - 11_776))"))
    }
}
