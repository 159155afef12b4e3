import VramfitCore

/// A model read from a Hugging Face config.json, with the checkpoint's own quantization.
public struct ConfigModel: Sendable {
    public var model: Model
    /// The catalog scheme id the checkpoint ships in (`awq`, `gptq-int4`, `bnb-nf4`, `fp8-block`, …),
    /// nil for a plain 16/32-bit checkpoint.
    public var schemeId: String?
    /// What was inferred rather than read, for the output's notes.
    public var notes: [String]
}

/// config.json → `Model`. Maps the architecture families vramfit knows (Llama, Mistral, Mixtral,
/// Qwen2/2-MoE/3/3-MoE, Gemma-2/3, Phi-3, DeepSeek-V2/V3, gpt-oss) to the flags their modeling
/// code implies (q/k/v bias, q/k norm, four norms per layer, attention sinks, MoE biases), reads
/// the text model of multimodal wrappers (`text_config`), and bounds every dimension so the
/// parameter arithmetic downstream cannot overflow.
public enum ConfigJSONReader {
    /// Per-field ceilings: a few times the largest released models, small enough that the
    /// products in TensorInventory (experts × hidden × intermediate × layers) stay within Int64.
    static let limits: [String: Int64] = [
        "vocab_size": 1 << 22, "hidden_size": 1 << 16, "intermediate_size": 1 << 18, "num_hidden_layers": 1024,
        "num_attention_heads": 1024, "num_key_value_heads": 1024, "head_dim": 1024, "num_experts": 4096,
        "max_position_embeddings": 1 << 28, "sliding_window": 1 << 28,
    ]

    /// The note saying `publishedParams` is the formula's count (replaced when tensor headers give the exact one).
    static let derivedCountNote = "published_params is the count derived from config.json, not a published figure"

    public static func read(_ bytes: [UInt8], id: String? = nil) throws -> ConfigModel {
        let root = try BoundedJSON.parse(bytes, maxBytes: 16 << 20)
        guard root.object != nil else { throw ModelFileError.malformed("config.json is not a JSON object") }
        return try read(root, id: id)
    }

    public static func read(_ root: JSONValue, id: String?) throws -> ConfigModel {
        var notes: [String] = []
        // Multimodal wrappers (Gemma-3, Mistral-3, Llama-4, LLaVA) keep the language model in text_config.
        var c = root
        if let text = root["text_config"], text.object != nil, root["hidden_size"] == nil { c = text }
        let outerType = root["model_type"]?.string ?? ""
        let type = (c["model_type"]?.string ?? outerType).lowercased()
        let family = type.isEmpty ? outerType : type

        func int(_ k: String, _ alts: String...) throws -> Int64? {
            for key in [k] + alts {
                guard let v = c[key], v != .null else { continue }
                guard let i = v.int else { throw ModelFileError.malformed("'\(key)' must be an integer") }
                let limit = limits[k] ?? (1 << 28)
                guard i >= 0 else { throw ModelFileError.malformed("'\(key)' must not be negative") }
                guard i <= limit else { throw ModelFileError.tooLarge(what: key, value: i, limit: limit) }
                return i
            }
            return nil
        }
        func req(_ k: String, _ alts: String...) throws -> Int64 {
            for key in [k] + alts { if let v = try int(key) { guard v > 0 else { throw ModelFileError.malformed("'\(key)' must be positive") }; return v } }
            throw ModelFileError.missingKey(k)
        }
        func flag(_ k: String) -> Bool? { c[k]?.bool }

        let hidden = try req("hidden_size", "n_embd", "d_model")
        let layers = try req("num_hidden_layers", "n_layer", "num_layers")
        let heads = try req("num_attention_heads", "n_head")
        let kvHeads = try int("num_key_value_heads").flatMap { $0 > 0 ? $0 : nil } ?? heads
        guard kvHeads <= heads, heads % kvHeads == 0 else {
            throw ModelFileError.malformed("num_key_value_heads (\(kvHeads)) must divide num_attention_heads (\(heads))")
        }
        // Gemma-3 wrappers often leave the text model's vocabulary and context at their defaults
        // (transformers configuration_gemma3.py Gemma3TextConfig: vocab_size 262_208,
        // max_position_embeddings 131_072), as the published gemma-3-*-it configs do.
        let gemma3Text = type == "gemma3_text"
        let vocab = gemma3Text && c["vocab_size"] == nil ? 262_208 : try req("vocab_size")
        if gemma3Text, c["vocab_size"] == nil { notes.append("vocab_size absent: Gemma3TextConfig's default 262208") }
        let intermediate = try int("intermediate_size", "ffn_dim") ?? (try int("moe_intermediate_size")) ?? 4 * hidden
        var headDim = try int("head_dim")
        if headDim == 0 { headDim = nil }
        let mla = try readMLA(c)
        if headDim == nil, mla == nil, hidden % heads != 0 {
            throw ModelFileError.malformed("num_attention_heads (\(heads)) does not divide hidden_size (\(hidden)) and head_dim is absent")
        }
        // Llama 4 (modeling_llama4.py Llama4TextDecoderLayer): MoE layers carry a shared expert as
        // wide as the routed ones (`intermediate_size`); dense layers use `intermediate_size_mlp`.
        let isLlama4 = type == "llama4_text" || type == "llama4"
        let denseWidth = isLlama4 ? (try int("intermediate_size_mlp") ?? intermediate) : intermediate
        let isGemma = type.hasPrefix("gemma")
        let isQwen3 = type.hasPrefix("qwen3")
        let isGptOss = type == "gpt_oss"
        let dtypeName = c["torch_dtype"]?.string ?? c["dtype"]?.string ?? root["torch_dtype"]?.string ?? "bfloat16"
        guard let dtype = DType(loose: dtypeName) else { throw ModelFileError.unsupported("unknown torch_dtype '\(dtypeName)'") }
        let maxContext = try int("max_position_embeddings", "n_positions", "max_sequence_length") ?? (gemma3Text ? 131_072 : 4096)
        guard maxContext > 0 else { throw ModelFileError.malformed("max_position_embeddings must be positive") }

        let vision = try VisionConfigReader.read(root, textHidden: hidden)
        var model = Model(
            id: id ?? (root["_name_or_path"]?.string.map(slug) ?? (family.isEmpty ? "imported-model" : family)),
            name: root["_name_or_path"]?.string ?? (id ?? family), family: family,
            vocabSize: vocab, hiddenSize: hidden, intermediateSize: denseWidth, numLayers: layers,
            numAttentionHeads: heads, numKVHeads: kvHeads, headDimOverride: headDim,
            tieWordEmbeddings: flag("tie_word_embeddings") ?? root["tie_word_embeddings"]?.bool ?? isGemma,
            qkvBias: flag("attention_bias") ?? (type.hasPrefix("qwen2") || isGptOss),
            outputBias: isGptOss || (type == "phi" ? true : false),
            gatedMLP: !["phi", "gpt2", "opt", "falcon"].contains(type),
            qkNorm: isQwen3 || type.hasPrefix("gemma3"),
            normsPerLayer: type.hasPrefix("gemma2") || type.hasPrefix("gemma3") ? 4 : 2,
            attentionSinks: isGptOss,
            moe: try readMoE(c, type: type, intermediate: intermediate, int: { try int($0) }),
            mla: mla, slidingWindow: try readSliding(c, type: type, layers: layers, int: { try int($0) }),
            vision: vision?.tower, maxContext: maxContext, dtype: dtype == .fp8 ? .bf16 : dtype,
            publishedParams: 1)
        if model.moe != nil, model.moe!.expertsPerToken > model.moe!.numExperts {
            throw ModelFileError.malformed("experts per token (\(model.moe!.expertsPerToken)) exceed the expert count (\(model.moe!.numExperts))")
        }
        // No publisher figure in config.json: the derived count stands in, so `catalog validate` passes.
        model.publishedParams = max(ParameterCount.total(model), 1)
        notes.append(derivedCountNote)
        if let vision { notes.append(vision.note) }
        let scheme = try quantScheme(root["quantization_config"] ?? c["quantization_config"], notes: &notes)
        if let s = scheme, ["fp8-block", "mxfp4", "fp8"].contains(s) { model.nativeQuant = s }
        if let repo = root["_name_or_path"]?.string, repo.split(separator: "/").count == 2, !repo.hasPrefix("/"), !repo.hasPrefix(".") {
            model.hfRepo = repo
        }
        model.source = ["config.json" + (root["_name_or_path"]?.string.map { " of \($0)" } ?? "")]
        return ConfigModel(model: model, schemeId: scheme, notes: notes)
    }

    static func readMoE(_ c: JSONValue, type: String, intermediate: Int64, int: (String) throws -> Int64?) throws -> Model.MoE? {
        guard let experts = try int("num_local_experts") ?? int("num_experts") ?? int("n_routed_experts"), experts > 1 else { return nil }
        guard experts <= limits["num_experts"]! else { throw ModelFileError.tooLarge(what: "num_experts", value: experts, limit: limits["num_experts"]!) }
        let k = try int("num_experts_per_tok") ?? int("experts_per_token") ?? int("num_experts_per_token") ?? 2
        guard k >= 1 else { throw ModelFileError.malformed("num_experts_per_tok must be positive") }
        let expertWidth = try int("moe_intermediate_size") ?? intermediate
        let sharedWidth = try int("shared_expert_intermediate_size")
        let llama4 = type == "llama4_text" || type == "llama4"
        return Model.MoE(
            numExperts: experts, expertsPerToken: k, expertIntermediateSize: max(expertWidth, 1),
            sharedExperts: try int("n_shared_experts") ?? (sharedWidth.map { $0 > 0 ? 1 : 0 } ?? (llama4 ? 1 : 0)),
            sharedExpertIntermediateSize: sharedWidth.flatMap { $0 > 0 ? $0 : nil } ?? (llama4 ? expertWidth : nil),
            sharedExpertGate: type == "qwen2_moe",
            firstDenseLayers: try int("first_k_dense_replace") ?? 0,
            layerStep: max(try int("decoder_sparse_step") ?? int("interleave_moe_layer_step") ?? 1, 1),
            routerBias: type == "gpt_oss", expertBias: type == "gpt_oss",
            routerCorrectionBias: c["topk_method"]?.string == "noaux_tc")
    }

    static func readMLA(_ c: JSONValue) throws -> Model.MLA? {
        guard let kv = c["kv_lora_rank"]?.int, kv > 0 else { return nil }
        func dim(_ k: String) throws -> Int64 {
            guard let v = c[k]?.int, v > 0, v <= 1 << 14 else { throw ModelFileError.malformed("MLA needs a positive '\(k)' (≤ 16384)") }
            return v
        }
        guard kv <= 1 << 14 else { throw ModelFileError.tooLarge(what: "kv_lora_rank", value: kv, limit: 1 << 14) }
        let q = c["q_lora_rank"]?.int
        if let q, q < 0 || q > 1 << 16 { throw ModelFileError.tooLarge(what: "q_lora_rank", value: q, limit: 1 << 16) }
        return Model.MLA(kvLoraRank: kv, qLoraRank: q.flatMap { $0 > 0 ? $0 : nil }, qkRopeHeadDim: try dim("qk_rope_head_dim"),
                         qkNopeHeadDim: try dim("qk_nope_head_dim"), vHeadDim: try dim("v_head_dim"))
    }

    /// `layer_types` (per-layer list, newest transformers) wins; then the families' fixed patterns;
    /// Qwen2 configs carry a `sliding_window` that is off unless `use_sliding_window` is true.
    static func readSliding(_ c: JSONValue, type: String, layers: Int64, int: (String) throws -> Int64?) throws -> Model.SlidingWindow? {
        if type == "llama4_text" || type == "llama4", let chunk = try int("attention_chunk_size"), chunk > 0 {
            return try llama4Chunks(c, chunk: chunk, layers: layers, int: int)
        }
        guard let w = try int("sliding_window"), w > 0 else { return nil }
        if c["use_sliding_window"]?.bool == false { return nil }
        if let types = c["layer_types"]?.array {
            guard types.count <= 4096 else { throw ModelFileError.tooLarge(what: "layer_types", value: Int64(types.count), limit: 4096) }
            let p = types.map { $0.string == "sliding_attention" }
            if !p.contains(true) { return nil }
            return Model.SlidingWindow(window: w, pattern: p.allSatisfy { $0 } ? [] : p)
        }
        if type.hasPrefix("gemma2") || type == "gpt_oss" { return Model.SlidingWindow(window: w, pattern: [true, false]) }
        if type.hasPrefix("gemma3") {
            let n = max(try int("sliding_window_pattern") ?? 6, 1)
            guard n <= 64 else { throw ModelFileError.tooLarge(what: "sliding_window_pattern", value: n, limit: 64) }
            return Model.SlidingWindow(window: w, pattern: Array(repeating: true, count: Int(n - 1)) + [false])
        }
        if w >= (try int("max_position_embeddings") ?? Int64.max) { return nil }
        return Model.SlidingWindow(window: w, pattern: [])
    }

    /// Llama 4's chunked attention keeps at most `attention_chunk_size` tokens of KV on the layers
    /// that use RoPE (`no_rope_layers[i] == 1`), like a sliding window of that size; the NoPE
    /// layers attend to everything. Without the list, configuration_llama4.py's default: every
    /// `no_rope_layer_interval`-th layer (4) is NoPE.
    static func llama4Chunks(_ c: JSONValue, chunk: Int64, layers: Int64, int: (String) throws -> Int64?) throws -> Model.SlidingWindow? {
        var chunked: [Bool]
        if let list = c["no_rope_layers"]?.array, !list.isEmpty {
            guard list.count <= 4096 else { throw ModelFileError.tooLarge(what: "no_rope_layers", value: Int64(list.count), limit: 4096) }
            chunked = try list.map {
                guard let x = $0.int, x == 0 || x == 1 else { throw ModelFileError.malformed("no_rope_layers must list 0s and 1s") }
                return x == 1
            }
        } else {
            let interval = max(try int("no_rope_layer_interval") ?? 4, 1)
            chunked = (0..<min(layers, 4096)).map { ($0 + 1) % interval != 0 }
        }
        if !chunked.contains(true) { return nil }
        // The shortest repeating period, so a 48-layer list becomes [sliding, sliding, sliding, full].
        if let period = (1...chunked.count).first(where: { p in chunked.count % p == 0 && chunked.indices.allSatisfy { chunked[$0] == chunked[$0 % p] } }) {
            chunked = Array(chunked.prefix(period))
        }
        return Model.SlidingWindow(window: chunk, pattern: chunked.allSatisfy { $0 } ? [] : chunked)
    }

    /// quantization_config → the catalog scheme the weights are stored in.
    static func quantScheme(_ q: JSONValue?, notes: inout [String]) throws -> String? {
        guard let q, q.object != nil else { return nil }
        let method = (q["quant_method"]?.string ?? "").lowercased()
        let bits = q["bits"]?.int ?? 4
        switch method {
        case "awq":
            if bits != 4 { throw ModelFileError.unsupported("AWQ with \(bits) bits is not in the catalog (4-bit only)") }
            if let g = q["group_size"]?.int, g != 128 { notes.append("AWQ group size \(g); the catalog's awq scheme assumes 128") }
            return "awq"
        case "gptq":
            if let g = q["group_size"]?.int, g != 128 { notes.append("GPTQ group size \(g); the catalog's gptq schemes assume 128") }
            if bits == 8 { return "gptq-int8" }
            if bits != 4 { throw ModelFileError.unsupported("GPTQ with \(bits) bits is not in the catalog (4 or 8)") }
            return q["desc_act"]?.bool == true ? "gptq-int4-actorder" : "gptq-int4"
        case "bitsandbytes":
            if q["load_in_8bit"]?.bool == true { return "bnb-int8" }
            let fp4 = q["bnb_4bit_quant_type"]?.string == "fp4"
            let dq = q["bnb_4bit_use_double_quant"]?.bool == true
            return (fp4 ? "bnb-fp4" : "bnb-nf4") + (dq ? "-dq" : "")
        case "fp8", "compressed-tensors":
            if q["weight_block_size"]?.array != nil { return "fp8-block" }
            return method == "fp8" ? "fp8" : nil
        case "mxfp4": return "mxfp4"
        case "": return nil
        default:
            notes.append("quant_method '\(method)' is not in the catalog; sized as \(method) unknown — pass --quant")
            return nil
        }
    }

    /// `Qwen/Qwen2.5-7B-Instruct` → `qwen2.5-7b-instruct`, the catalog's id style.
    static func slug(_ s: String) -> String {
        let last = s.split(separator: "/").last.map(String.init) ?? s
        let cleaned = String(last.lowercased().map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "-" })
        return cleaned.isEmpty ? "imported-model" : String(cleaned.prefix(80))
    }
}
