/// Every weight tensor of a model, derived from its architecture the way Hugging Face's modeling
/// code builds the modules (LlamaDecoderLayer, Qwen2/3, Gemma2/3, MixtralSparseMoeBlock,
/// DeepseekV2/V3 MLA + MoE, GptOss). The weight estimate is a sum over this list, so the
/// parameter-count check against published counts checks the estimate's shapes too.
public enum TensorInventory {
    public static func tensors(of m: Model) -> [TensorSpec] {
        var t: [TensorSpec] = []
        t.reserveCapacity(Int(m.numLayers) * 16 + 4)
        let h = m.hiddenSize
        t.append(TensorSpec(name: "model.embed_tokens", role: .tokenEmbedding, layer: nil, rows: m.vocabSize, rowLength: h))
        for i in 0..<m.numLayers {
            let p = "model.layers.\(i)"
            t.append(TensorSpec(name: "\(p).norms", role: .norm, layer: i, rows: 1, rowLength: h, count: m.normsPerLayer))
            attention(m, layer: i, prefix: p, into: &t)
            mlp(m, layer: i, prefix: p, into: &t)
        }
        t.append(TensorSpec(name: "model.norm", role: .norm, layer: nil, rows: 1, rowLength: h))
        if !m.tieWordEmbeddings {
            t.append(TensorSpec(name: "lm_head", role: .output, layer: nil, rows: m.vocabSize, rowLength: h))
        }
        if let v = m.vision { t.append(contentsOf: vision(v)) }
        return t
    }

    static func attention(_ m: Model, layer i: Int64, prefix p: String, into t: inout [TensorSpec]) {
        let h = m.hiddenSize, heads = m.numAttentionHeads
        let a = "\(p).self_attn"
        if let mla = m.mla {
            let qHead = mla.qkNopeHeadDim + mla.qkRopeHeadDim
            if let r = mla.qLoraRank {
                t.append(TensorSpec(name: "\(a).q_a_proj", role: .attnQA, layer: i, rows: r, rowLength: h))
                t.append(TensorSpec(name: "\(a).q_a_layernorm", role: .norm, layer: i, rows: 1, rowLength: r))
                t.append(TensorSpec(name: "\(a).q_b_proj", role: .attnQB, layer: i, rows: heads * qHead, rowLength: r))
            } else {
                t.append(TensorSpec(name: "\(a).q_proj", role: .attnQ, layer: i, rows: heads * qHead, rowLength: h))
            }
            t.append(TensorSpec(name: "\(a).kv_a_proj_with_mqa", role: .attnKVA, layer: i,
                                rows: mla.kvLoraRank + mla.qkRopeHeadDim, rowLength: h))
            t.append(TensorSpec(name: "\(a).kv_a_layernorm", role: .norm, layer: i, rows: 1, rowLength: mla.kvLoraRank))
            t.append(TensorSpec(name: "\(a).kv_b_proj", role: .attnKVB, layer: i,
                                rows: heads * (mla.qkNopeHeadDim + mla.vHeadDim), rowLength: mla.kvLoraRank))
            t.append(TensorSpec(name: "\(a).o_proj", role: .attnOutput, layer: i, rows: h, rowLength: heads * mla.vHeadDim))
            return
        }
        let hd = m.headDim, q = heads * hd, kv = m.numKVHeads * hd
        t.append(TensorSpec(name: "\(a).q_proj", role: .attnQ, layer: i, rows: q, rowLength: h))
        t.append(TensorSpec(name: "\(a).k_proj", role: .attnK, layer: i, rows: kv, rowLength: h))
        t.append(TensorSpec(name: "\(a).v_proj", role: .attnV, layer: i, rows: kv, rowLength: h))
        t.append(TensorSpec(name: "\(a).o_proj", role: .attnOutput, layer: i, rows: h, rowLength: q))
        if m.qkvBias { t.append(TensorSpec(name: "\(a).qkv_bias", role: .bias, layer: i, rows: 1, rowLength: q + 2 * kv)) }
        if m.outputBias { t.append(TensorSpec(name: "\(a).o_proj.bias", role: .bias, layer: i, rows: 1, rowLength: h)) }
        if m.qkNorm { t.append(TensorSpec(name: "\(a).qk_norm", role: .norm, layer: i, rows: 1, rowLength: hd, count: 2)) }
        if m.attentionSinks { t.append(TensorSpec(name: "\(a).sinks", role: .attnSinks, layer: i, rows: 1, rowLength: heads)) }
    }

    static func mlp(_ m: Model, layer i: Int64, prefix p: String, into t: inout [TensorSpec]) {
        let h = m.hiddenSize
        guard let moe = m.moe, moe.isMoELayer(i) else {
            denseMLP(width: m.intermediateSize, gated: m.gatedMLP, hidden: h, layer: i, prefix: "\(p).mlp",
                     roles: (.ffnGate, .ffnUp, .ffnDown), count: 1, into: &t)
            return
        }
        let e = moe.numExperts, w = moe.expertIntermediateSize, mp = "\(p).mlp"
        t.append(TensorSpec(name: "\(mp).gate", role: .router, layer: i, rows: e, rowLength: h))
        if moe.routerBias { t.append(TensorSpec(name: "\(mp).gate.bias", role: .bias, layer: i, rows: 1, rowLength: e)) }
        if moe.routerCorrectionBias {
            t.append(TensorSpec(name: "\(mp).gate.e_score_correction_bias", role: .bias, layer: i, rows: 1, rowLength: e))
        }
        denseMLP(width: w, gated: m.gatedMLP, hidden: h, layer: i, prefix: "\(mp).experts",
                 roles: (.expertGate, .expertUp, .expertDown), count: e, into: &t)
        if moe.expertBias {
            t.append(TensorSpec(name: "\(mp).experts.bias", role: .bias, layer: i, rows: 1,
                                rowLength: (m.gatedMLP ? 2 * w : w) + h, count: e))
        }
        let sharedWidth = moe.sharedExpertIntermediateSize ?? (w * moe.sharedExperts)
        if sharedWidth > 0 {
            denseMLP(width: sharedWidth, gated: m.gatedMLP, hidden: h, layer: i, prefix: "\(mp).shared_experts",
                     roles: (.sharedGate, .sharedUp, .sharedDown), count: 1, into: &t)
        }
        if moe.sharedExpertGate {
            t.append(TensorSpec(name: "\(mp).shared_expert_gate", role: .sharedExpertGate, layer: i, rows: 1, rowLength: h))
        }
    }

    static func denseMLP(width: Int64, gated: Bool, hidden h: Int64, layer i: Int64, prefix: String,
                         roles: (TensorRole, TensorRole, TensorRole), count: Int64, into t: inout [TensorSpec]) {
        if gated { t.append(TensorSpec(name: "\(prefix).gate_proj", role: roles.0, layer: i, rows: width, rowLength: h, count: count)) }
        t.append(TensorSpec(name: "\(prefix).up_proj", role: roles.1, layer: i, rows: width, rowLength: h, count: count))
        t.append(TensorSpec(name: "\(prefix).down_proj", role: roles.2, layer: i, rows: h, rowLength: width, count: count))
    }

    /// The vision encoder's blocks (attention q/k/v/o, MLP, two norms) plus its non-block parameters.
    static func vision(_ v: Model.VisionTower) -> [TensorSpec] {
        let h = v.hiddenSize, w = v.intermediateSize
        let b: Int64 = v.bias ? 1 : 0
        let attention = 4 * h * h + 4 * h * b
        let mlp = (v.gatedMLP ? 3 : 2) * h * w + (v.gatedMLP ? 0 : (w + h) * b)
        let norms = 2 * h * (1 + b)
        return [
            TensorSpec(name: "vision_tower.blocks", role: .vision, layer: nil, rows: 1, rowLength: attention + mlp + norms, count: v.layers),
            TensorSpec(name: "vision_tower.other", role: .vision, layer: nil, rows: 1, rowLength: v.extraParams),
        ]
    }
}

/// Parameter counts derived from the tensor inventory.
public enum ParameterCount {
    public static func total(_ m: Model) -> Int64 {
        TensorInventory.tensors(of: m).reduce(0) { $0 + $1.elements }
    }

    /// Parameters a token passes through: all experts replaced by the routed top-k (and shared) ones.
    public static func active(_ m: Model) -> Int64 {
        TensorInventory.tensors(of: m).reduce(0) { sum, t in
            if let moe = m.moe, t.role.isExpert || (t.role == .bias && t.name.hasSuffix("experts.bias")) {
                return sum + t.rows * t.rowLength * moe.expertsPerToken
            }
            return sum + t.elements
        }
    }
}
