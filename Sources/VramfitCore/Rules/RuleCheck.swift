/// Built-in predicates a rule can require (`check:`). The rule fires when the check does NOT
/// hold. Arithmetic conditions that a plain `when:` cannot say live here, one case each.
public enum RuleCheck: String, Sendable, CaseIterable {
    /// vLLM `ModelConfig.verify_with_parallel_config`: the attention heads must split evenly
    /// over tensor-parallel ranks.
    case tpDividesAttentionHeads = "tp_divides_attention_heads"
    /// vLLM `get_num_kv_heads`: KV heads split evenly over ranks, or, when TP exceeds them, TP is a
    /// multiple of them and each head is replicated (TP 16 on 8 KV heads: 2 copies of each).
    case tpDividesKVHeads = "tp_divides_kv_heads"
    /// Tensor parallel stays inside one node (its all-reduces need NVLink-class bandwidth).
    case tpWithinNode = "tp_within_node"
    /// With expert parallelism the experts are dealt out whole: their count must divide by the ranks.
    case epDividesExperts = "ep_divides_experts"
    /// Pipeline stages need at least one layer each.
    case ppWithinLayers = "pp_within_layers"
    /// The engine loads checkpoints of this scheme: the scheme's catalog entry lists it (`engines:`).
    case engineLoadsScheme = "engine_loads_scheme"

    public func holds(_ s: RuleSubject) -> Bool {
        let tp = max(s.tensorParallel, 1)
        switch self {
        case .tpDividesAttentionHeads:
            return s.model.numAttentionHeads % tp == 0
        case .tpDividesKVHeads:
            let kv = s.model.mla != nil ? s.model.numAttentionHeads : s.model.numKVHeads
            return kv >= tp ? kv % tp == 0 : tp % max(kv, 1) == 0
        case .tpWithinNode:
            return tp <= max(s.gpusPerNode, 1)
        case .epDividesExperts:
            guard let moe = s.model.moe else { return true }
            return moe.numExperts % tp == 0
        case .ppWithinLayers:
            return s.pipelineParallel <= s.model.numLayers
        case .engineLoadsScheme:
            return s.scheme.engines.contains(s.engine.id)
        }
    }
}
