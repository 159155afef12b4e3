import VramfitCore
import Yams

/// `models:` entries. Keys are config.json's names where config.json has one.
enum ModelDecoder {
    static func decode(_ r: inout YAMLReader, id: String) throws -> Model {
        let name = try r.optionalString("name") ?? id
        let hidden = try r.positiveInt("hidden_size")
        let heads = try r.positiveInt("num_attention_heads")
        let kvHeads = try r.optionalPositiveInt("num_key_value_heads") ?? heads
        let headDim = try r.optionalPositiveInt("head_dim")
        let mla = try decodeMLA(&r)
        if headDim == nil, mla == nil, hidden % heads != 0 {
            throw r.error(r.raw("num_attention_heads"), "num_attention_heads (\(heads)) does not divide hidden_size (\(hidden)); set head_dim explicitly")
        }
        if kvHeads > heads || heads % kvHeads != 0 {
            throw r.error(r.raw("num_key_value_heads"), "num_key_value_heads (\(kvHeads)) must divide num_attention_heads (\(heads))")
        }
        let dtypeName = try r.optionalString("dtype") ?? "bfloat16"
        guard let dtype = DType(loose: dtypeName) else { throw r.error(r.raw("dtype"), "unknown dtype '\(dtypeName)' (float32, float16, bfloat16)") }
        let layers = try r.positiveInt("num_hidden_layers")
        var m = Model(
            id: id, name: name, hfRepo: try r.optionalString("hf_repo"), aliases: try r.strings("aliases"),
            family: try r.optionalString("family") ?? "",
            vocabSize: try r.positiveInt("vocab_size"), hiddenSize: hidden,
            intermediateSize: try r.positiveInt("intermediate_size"), numLayers: layers,
            numAttentionHeads: heads, numKVHeads: kvHeads, headDimOverride: headDim,
            tieWordEmbeddings: try r.bool("tie_word_embeddings", default: false),
            qkvBias: try r.bool("attention_bias", default: false),
            outputBias: try r.bool("attention_output_bias", default: false),
            gatedMLP: try r.bool("gated_mlp", default: true),
            qkNorm: try r.bool("qk_norm", default: false),
            normsPerLayer: try r.optionalInt("norms_per_layer") ?? 2,
            attentionSinks: try r.bool("attention_sinks", default: false),
            moe: try decodeMoE(&r), mla: mla, slidingWindow: try decodeSliding(&r, layers: layers),
            vision: try decodeVision(&r),
            maxContext: try r.positiveInt("max_context"), dtype: dtype,
            publishedParams: try r.positiveInt("published_params"),
            publishedActiveParams: try r.optionalPositiveInt("published_active_params"),
            nativeQuant: try r.optionalString("native_quant"),
            source: try CatalogDecoder.sources(&r), notes: try r.optionalString("notes"))
        m.checkpoints = try checkpoints(&r)
        return m
    }

    /// `checkpoints: {awq: Qwen/Qwen2.5-72B-Instruct-AWQ, gptq-int4: …}`: published pre-quantized repos by scheme id.
    static func checkpoints(_ r: inout YAMLReader) throws -> [String: String] {
        guard let c = try r.mapping("checkpoints"), let map = c.node.mapping else { return [:] }
        var out: [String: String] = [:]
        for (k, v) in map {
            guard let scheme = k.string, let repo = v.scalar?.string, !repo.isEmpty, !repo.contains(where: \.isWhitespace) else {
                throw c.error(v, "checkpoints must be 'scheme-id: owner/repo' pairs")
            }
            out[scheme] = repo
        }
        return out
    }

    static func decodeMoE(_ r: inout YAMLReader) throws -> Model.MoE? {
        guard var m = try r.mapping("moe") else { return nil }
        let experts = try m.positiveInt("num_experts")
        let k = try m.positiveInt("experts_per_token")
        if k > experts { throw m.error(m.raw("experts_per_token"), "experts_per_token (\(k)) exceeds num_experts (\(experts))") }
        let moe = Model.MoE(
            numExperts: experts, expertsPerToken: k,
            expertIntermediateSize: try m.positiveInt("expert_intermediate_size"),
            sharedExperts: try m.optionalInt("shared_experts") ?? 0,
            sharedExpertIntermediateSize: try m.optionalPositiveInt("shared_expert_intermediate_size"),
            sharedExpertGate: try m.bool("shared_expert_gate", default: false),
            firstDenseLayers: try m.optionalInt("first_dense_layers") ?? 0,
            layerStep: try m.optionalPositiveInt("layer_step") ?? 1,
            routerBias: try m.bool("router_bias", default: false),
            expertBias: try m.bool("expert_bias", default: false),
            routerCorrectionBias: try m.bool("router_correction_bias", default: false))
        try m.rejectUnknownKeys()
        return moe
    }

    static func decodeMLA(_ r: inout YAMLReader) throws -> Model.MLA? {
        guard var m = try r.mapping("mla") else { return nil }
        let mla = Model.MLA(
            kvLoraRank: try m.positiveInt("kv_lora_rank"), qLoraRank: try m.optionalPositiveInt("q_lora_rank"),
            qkRopeHeadDim: try m.positiveInt("qk_rope_head_dim"), qkNopeHeadDim: try m.positiveInt("qk_nope_head_dim"),
            vHeadDim: try m.positiveInt("v_head_dim"))
        try m.rejectUnknownKeys()
        return mla
    }

    /// `sliding_window: {window: 4096, pattern: all}` or `pattern: [sliding, full]` (first layer first).
    static func decodeSliding(_ r: inout YAMLReader, layers: Int64) throws -> Model.SlidingWindow? {
        guard var m = try r.mapping("sliding_window") else { return nil }
        let window = try m.positiveInt("window")
        var pattern: [Bool] = []
        if let p = m.optionalNode("pattern") {
            if let s = p.scalar?.string {
                guard s == "all" else { throw m.error(p, "'pattern' must be 'all' or a list of 'sliding'/'full'") }
            } else if let seq = p.sequence, !seq.isEmpty {
                pattern = try seq.map { item in
                    switch item.scalar?.string {
                    case "sliding": return true
                    case "full": return false
                    default: throw m.error(item, "pattern entries must be 'sliding' or 'full'")
                    }
                }
            } else {
                throw m.error(p, "'pattern' must be 'all' or a non-empty list of 'sliding'/'full'")
            }
        }
        try m.rejectUnknownKeys()
        return Model.SlidingWindow(window: window, pattern: pattern)
    }

    static func decodeVision(_ r: inout YAMLReader) throws -> Model.VisionTower? {
        guard var m = try r.mapping("vision") else { return nil }
        let v = Model.VisionTower(
            layers: try m.positiveInt("layers"), hiddenSize: try m.positiveInt("hidden_size"),
            intermediateSize: try m.positiveInt("intermediate_size"),
            gatedMLP: try m.bool("gated_mlp", default: false), bias: try m.bool("bias", default: true),
            extraParams: try m.optionalInt("extra_params") ?? 0)
        try m.rejectUnknownKeys()
        return v
    }
}
