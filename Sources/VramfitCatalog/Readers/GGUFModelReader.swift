import VramfitCore

/// GGUF metadata (`general.architecture`, `{arch}.block_count`, …) → `Model`, with the catalog
/// scheme matching `general.file_type`. Flags the metadata does not carry (biases, q/k norms,
/// tied embeddings) come from which tensors exist, which is what llama.cpp itself does.
public enum GGUFModelReader {
    /// llama_ftype → catalog scheme id (llama.h `LLAMA_FTYPE_MOSTLY_*`).
    static let fileTypes: [Int64: String] = [
        1: "gguf-f16", 2: "q4_0", 3: "q4_1", 7: "q8_0", 8: "q5_0", 9: "q5_1", 10: "q2_k", 12: "q3_k_m",
        15: "q4_k_m", 17: "q5_k_m", 18: "q6_k", 30: "iq4_xs", 32: "gguf-bf16", 38: "mxfp4_moe",
    ]

    /// The catalog's single-type GGUF schemes (catalogs/quant/gguf.yaml `ggml-*`).
    static let singleTypeSchemes: Set<String> = ["q8_0", "q6_k", "q5_k", "q5_1", "q5_0", "q4_k", "iq4_xs", "q4_1", "q4_0", "q3_k", "q2_k"]

    public static func model(_ h: GGUFHeader, id: String? = nil) throws -> ConfigModel {
        guard case .string(let arch)? = h.metadata["general.architecture"] else { throw ModelFileError.missingKey("general.architecture") }
        var notes: [String] = []
        func num(_ k: String, limit: Int64 = 1 << 28) throws -> Int64? {
            guard let v = h.metadata["\(arch).\(k)"] else { return nil }
            let x: Int64?
            if case .array(_, _, let nums) = v { x = nums.max().flatMap { $0.isFinite && $0 >= 0 && $0 < 9e15 ? Int64($0) : nil } } else { x = v.integer }
            guard let x, x >= 0 else { throw ModelFileError.malformed("\(arch).\(k) must be a non-negative integer") }
            guard x <= limit else { throw ModelFileError.tooLarge(what: "\(arch).\(k)", value: x, limit: limit) }
            return x
        }
        func req(_ k: String, limit: Int64) throws -> Int64 {
            guard let v = try num(k, limit: limit), v > 0 else { throw ModelFileError.missingKey("\(arch).\(k)") }
            return v
        }
        let names = Set(h.tensors.map(\.name))
        let hidden = try req("embedding_length", limit: 1 << 16)
        let layers = try req("block_count", limit: 1024)
        let heads = try req("attention.head_count", limit: 1024)
        var kvHeads = try num("attention.head_count_kv", limit: 1024) ?? heads
        if kvHeads == 0 || heads % kvHeads != 0 { kvHeads = heads }
        var vocab: Int64? = nil
        if case .array(_, let n, _)? = h.metadata["tokenizer.ggml.tokens"] { vocab = n }
        if let v = try num("vocab_size", limit: 1 << 22) { vocab = v }
        if vocab == nil, let e = h.tensors.first(where: { $0.name == "token_embd.weight" }), e.dims.count == 2 { vocab = e.dims[1] }
        guard let vocab, vocab > 0, vocab <= 1 << 22 else { throw ModelFileError.malformed("vocabulary size missing or beyond 4M") }
        let keyLength = try num("attention.key_length", limit: 4096)
        let mla: Model.MLA?
        if let kv = try num("attention.kv_lora_rank", limit: 1 << 14), kv > 0 {
            let rope = try num("rope.dimension_count", limit: 4096) ?? 64
            let k = keyLength ?? (128 + rope)
            guard k > rope else { throw ModelFileError.malformed("attention.key_length must exceed rope.dimension_count for MLA") }
            mla = Model.MLA(kvLoraRank: kv, qLoraRank: try num("attention.q_lora_rank", limit: 1 << 16).flatMap { $0 > 0 ? $0 : nil },
                            qkRopeHeadDim: rope, qkNopeHeadDim: k - rope, vHeadDim: try num("attention.value_length", limit: 4096) ?? (k - rope))
        } else { mla = nil }
        let headDim = mla == nil ? keyLength.flatMap { $0 > 0 && $0 != hidden / heads ? $0 : nil } : nil
        if headDim == nil, mla == nil, hidden % heads != 0 { throw ModelFileError.malformed("head_count does not divide embedding_length and key_length is absent") }
        let ffn = try num("feed_forward_length", limit: 1 << 18) ?? 0
        var moe: Model.MoE? = nil
        if let e = try num("expert_count", limit: 4096), e > 1 {
            let k = max(try num("expert_used_count", limit: 4096) ?? 2, 1)
            guard k <= e else { throw ModelFileError.malformed("expert_used_count (\(k)) exceeds expert_count (\(e))") }
            let w = try num("expert_feed_forward_length", limit: 1 << 18) ?? ffn
            moe = Model.MoE(numExperts: e, expertsPerToken: k, expertIntermediateSize: max(w, 1),
                            sharedExperts: try num("expert_shared_count", limit: 64) ?? 0,
                            firstDenseLayers: try num("leading_dense_block_count", limit: 1024) ?? 0,
                            routerBias: names.contains("blk.0.ffn_gate_inp.bias"), expertBias: names.contains("blk.0.ffn_gate_exps.bias"),
                            routerCorrectionBias: names.contains("blk.\(layers - 1).exp_probs_b.bias"))
        }
        var sliding: Model.SlidingWindow? = nil
        if let w = try num("attention.sliding_window"), w > 0 {
            sliding = Model.SlidingWindow(window: w, pattern: arch.hasPrefix("gemma2") || arch == "gpt-oss" ? [true, false]
                                          : arch.hasPrefix("gemma3") ? [true, true, true, true, true, false] : [])
        }
        let ctx = try num("context_length") ?? 4096
        var m = Model(
            id: id ?? slug(h.metadata["general.name"]) ?? arch, name: name(h.metadata["general.name"]) ?? arch, family: arch,
            vocabSize: vocab, hiddenSize: hidden, intermediateSize: max(ffn, 1), numLayers: layers,
            numAttentionHeads: heads, numKVHeads: kvHeads, headDimOverride: headDim,
            tieWordEmbeddings: !names.contains("output.weight"), qkvBias: names.contains("blk.0.attn_q.bias") || names.contains("blk.0.attn_qkv.bias"),
            outputBias: names.contains("blk.0.attn_output.bias"), gatedMLP: gated(arch: arch, names: names, moe: moe != nil),
            qkNorm: names.contains("blk.0.attn_q_norm.weight"),
            normsPerLayer: names.contains("blk.0.post_attention_norm.weight") && names.contains("blk.0.post_ffw_norm.weight") ? 4 : 2,
            attentionSinks: names.contains("blk.0.attn_sinks.weight"), moe: moe, mla: mla, slidingWindow: sliding,
            maxContext: max(ctx, 1), dtype: .bf16, publishedParams: 1)
        m.publishedParams = max(ParameterCount.total(m), 1)
        m.source = ["GGUF metadata (\(arch))"]
        var scheme: String? = nil
        if let ft = h.metadata["general.file_type"]?.integer {
            scheme = fileTypes[ft]
        }
        if scheme == nil {
            // No (known) file type: name the scheme after the type holding most bytes, so the
            // estimate still runs on llama.cpp; the weights are the file's exact bytes either way.
            var byType: [String: Int64] = [:]
            for t in h.tensors { byType[t.typeName, default: 0] &+= t.bytes }
            let top = byType.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key.lowercased() ?? "f16"
            scheme = top == "f16" || top == "f32" ? "gguf-f16" : top == "bf16" ? "gguf-bf16"
                : Self.singleTypeSchemes.contains(top) ? "ggml-\(top)" : "q4_k_m"
            notes.append("GGUF file type absent or not in the catalog; scheme \(scheme!) from the dominant tensor type \(top.uppercased()), weights are the file's exact bytes")
        }
        notes.append("published_params is the count derived from the GGUF metadata, not a published figure")
        return ConfigModel(model: m, schemeId: scheme, notes: notes)
    }

    /// A gate tensor means SwiGLU; an up projection without one means a plain MLP; with neither
    /// (a header without layer tensors) the architecture decides.
    static func gated(arch: String, names: Set<String>, moe: Bool) -> Bool {
        if moe || names.contains("blk.0.ffn_gate.weight") { return true }
        if names.contains("blk.0.ffn_up.weight") { return false }
        return !["gpt2", "phi2", "falcon", "starcoder", "bloom", "mpt", "gptneox", "gptj"].contains(arch)
    }

    static func name(_ v: GGUFHeader.Value?) -> String? { if case .string(let s)? = v, !s.isEmpty { String(s.prefix(200)) } else { nil } }
    static func slug(_ v: GGUFHeader.Value?) -> String? { name(v).map(ConfigJSONReader.slug) }
}
