/// Transient memory of one forward pass over `tokens` tokens. Activations are freed layer by layer,
/// so the peak is one layer's live tensors plus what stays across layers (the residual stream).
/// The terms are the tensors PyTorch/vLLM modeling code allocates; the multipliers are counts of
/// simultaneously live tensors, checked against measurements listed in docs/estimator.md.
public enum ActivationPeak {
    /// Widest MLP a token passes through: the dense width, or the routed experts' width
    /// (the grouped GEMM's output for top-k experts) plus the shared expert.
    static func mlpWidth(_ m: Model) -> Int64 {
        guard let moe = m.moe else { return m.intermediateSize }
        let routed = moe.expertIntermediateSize * moe.expertsPerToken
        let shared = moe.sharedExpertIntermediateSize ?? (moe.expertIntermediateSize * moe.sharedExperts)
        let dense = moe.firstDenseLayers > 0 || moe.layerStep > 1 ? m.intermediateSize : 0
        return max(dense, routed + shared)
    }

    static func attentionWidth(_ m: Model) -> Int64 {
        if let mla = m.mla {
            return m.numAttentionHeads * (2 * (mla.qkNopeHeadDim + mla.qkRopeHeadDim) + mla.vHeadDim)
        }
        return (m.numAttentionHeads + 2 * m.numKVHeads) * m.headDim + m.numAttentionHeads * m.headDim
    }

    /// Peak bytes of a forward over `tokens` tokens on one tensor-parallel rank:
    /// residual + normed hidden states (2·h), plus the larger of the MLP phase (gate and up outputs
    /// and the activated product: 3·I/tp) and the attention phase (q, k, v and output/tp).
    public static func forward(_ m: Model, tokens: Int64, tensorParallel tp: Int64, elementBytes: Int64) -> ByteCount {
        let tp = max(tp, 1)
        let hidden = 2 * m.hiddenSize
        let mlp = 3 * mlpWidth(m) / tp
        let attn = attentionWidth(m) / tp
        return ByteCount(tokens) * elementBytes * (hidden + max(mlp, attn))
    }

    /// Logits of `rows` positions in fp32, with the copy sampling makes (softmax/log-softmax): 2×.
    public static func logits(_ m: Model, rows: Int64) -> ByteCount {
        ByteCount(rows) * m.vocabSize * 4 * 2
    }
}
