import Foundation
import VramfitCore

/// `Model` → one `models:` entry in the catalogs/models/*.yaml format (ModelDecoder's keys), so
/// `vramfit catalog import` output can be saved and loaded with `--catalog`. Values are written
/// so that decoding them gives the same model back (tests round-trip it).
public enum ModelYAMLWriter {
    public static func entry(_ m: Model) -> String {
        var out = ["models:", "  - id: \(quote(m.id))", "    name: \(quote(m.name))"]
        func kv(_ k: String, _ v: String, indent: Int = 4) { out.append(String(repeating: " ", count: indent) + "\(k): \(v)") }
        if let r = m.hfRepo { kv("hf_repo", quote(r)) }
        if !m.aliases.isEmpty { kv("aliases", "[" + m.aliases.map(quote).joined(separator: ", ") + "]") }
        kv("family", quote(m.family))
        kv("vocab_size", "\(m.vocabSize)"); kv("hidden_size", "\(m.hiddenSize)"); kv("intermediate_size", "\(m.intermediateSize)")
        kv("num_hidden_layers", "\(m.numLayers)"); kv("num_attention_heads", "\(m.numAttentionHeads)")
        kv("num_key_value_heads", "\(m.numKVHeads)")
        if let h = m.headDimOverride { kv("head_dim", "\(h)") }
        kv("tie_word_embeddings", "\(m.tieWordEmbeddings)")
        if m.qkvBias { kv("attention_bias", "true") }
        if m.outputBias { kv("attention_output_bias", "true") }
        if !m.gatedMLP { kv("gated_mlp", "false") }
        if m.qkNorm { kv("qk_norm", "true") }
        if m.normsPerLayer != 2 { kv("norms_per_layer", "\(m.normsPerLayer)") }
        if m.attentionSinks { kv("attention_sinks", "true") }
        if let x = m.mla {
            out.append("    mla:")
            kv("kv_lora_rank", "\(x.kvLoraRank)", indent: 6)
            if let q = x.qLoraRank { kv("q_lora_rank", "\(q)", indent: 6) }
            kv("qk_rope_head_dim", "\(x.qkRopeHeadDim)", indent: 6); kv("qk_nope_head_dim", "\(x.qkNopeHeadDim)", indent: 6)
            kv("v_head_dim", "\(x.vHeadDim)", indent: 6)
        }
        if let e = m.moe {
            out.append("    moe:")
            kv("num_experts", "\(e.numExperts)", indent: 6); kv("experts_per_token", "\(e.expertsPerToken)", indent: 6)
            kv("expert_intermediate_size", "\(e.expertIntermediateSize)", indent: 6)
            if e.sharedExperts != 0 { kv("shared_experts", "\(e.sharedExperts)", indent: 6) }
            if let s = e.sharedExpertIntermediateSize { kv("shared_expert_intermediate_size", "\(s)", indent: 6) }
            if e.sharedExpertGate { kv("shared_expert_gate", "true", indent: 6) }
            if e.firstDenseLayers != 0 { kv("first_dense_layers", "\(e.firstDenseLayers)", indent: 6) }
            if e.layerStep != 1 { kv("layer_step", "\(e.layerStep)", indent: 6) }
            if e.routerBias { kv("router_bias", "true", indent: 6) }
            if e.expertBias { kv("expert_bias", "true", indent: 6) }
            if e.routerCorrectionBias { kv("router_correction_bias", "true", indent: 6) }
        }
        if let s = m.slidingWindow {
            out.append("    sliding_window:")
            kv("window", "\(s.window)", indent: 6)
            kv("pattern", s.pattern.isEmpty ? "all" : "[" + s.pattern.map { $0 ? "sliding" : "full" }.joined(separator: ", ") + "]", indent: 6)
        }
        if let v = m.vision {
            out.append("    vision:")
            kv("layers", "\(v.layers)", indent: 6); kv("hidden_size", "\(v.hiddenSize)", indent: 6)
            kv("intermediate_size", "\(v.intermediateSize)", indent: 6); kv("gated_mlp", "\(v.gatedMLP)", indent: 6)
            kv("bias", "\(v.bias)", indent: 6); kv("extra_params", "\(v.extraParams)", indent: 6)
        }
        kv("max_context", "\(m.maxContext)")
        kv("dtype", m.dtype.rawValue)
        kv("published_params", "\(m.publishedParams)")
        if let a = m.publishedActiveParams { kv("published_active_params", "\(a)") }
        if let q = m.nativeQuant { kv("native_quant", quote(q)) }
        out.append("    source:")
        for s in (m.source.isEmpty ? ["imported by vramfit catalog import"] : m.source) { out.append("      - \(quote(s))") }
        if let n = m.notes { kv("notes", quote(n)) }
        return out.joined(separator: "\n") + "\n"
    }

    /// A double-quoted YAML scalar: safe for any text (colons, '#', leading '-', non-ASCII).
    static func quote(_ s: String) -> String {
        var r = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": r += "\\\""
            case "\\": r += "\\\\"
            case "\n": r += "\\n"
            case "\t": r += "\\t"
            default:
                if u.value < 0x20 || u.value == 0x7F { r += String(format: "\\x%02X", u.value) } else { r.unicodeScalars.append(u) }
            }
        }
        return r + "\""
    }
}
