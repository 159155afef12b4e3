/// The transient memory of transformers' `generate` prefill: one forward over the whole prompt,
/// the tensors of one decoder layer live at a time. Each term is a tensor the modeling code holds;
/// every one is checked against the H100 runs in validation/data/transformers-h100.jsonl
/// (`peak_allocated − weights − KV`, transformers 5.17, torch 2.11), see docs/accuracy.md.
enum TransformersPrefill {
    struct Terms {
        /// Residual stream: the layer's input (held by the model's loop), the residual, the normed
        /// input, and `inputs_embeds` (held by the model's forward until it returns): 4 × hidden.
        var stream: ByteCount
        /// The wider of the MLP (or MoE) phase and the attention phase of one layer.
        var layer: ByteCount
        /// Sliding-window layers: during prefill their cache holds the whole prompt (DynamicSlidingWindowLayer
        /// keeps a view of the concatenated states; the storage shrinks to the window at the first decode
        /// step), and SDPA gets an explicit boolean mask of batch × prompt² (no `is_causal` shortcut).
        var sliding: ByteCount
        /// Rotary cos/sin tables of the prompt, in the compute dtype.
        var rotary: ByteCount

        var total: ByteCount { stream + layer + sliding + rotary }
    }

    /// Widest quantized matrix, dequantized to 16 bits: bitsandbytes 4-bit matmuls over more than a
    /// few tokens dequantize the whole weight first (bitsandbytes `matmul_4bit` → `dequantize_4bit`).
    /// (Read per evaluation as `Resolved.sums.dequantizedLargest`, taken once per resolved request;
    /// the scheme's kept-unquantized set is only asked about a matrix wider than the widest so far.)
    static func dequantizedLargest(_ w: WeightBreakdown, scheme: QuantScheme, engine: String) -> ByteCount {
        var largest: Int64 = 0
        for i in w.entries.indices {
            let n = w.entries[i].tensor.rows * w.entries[i].tensor.rowLength
            let role = w.entries[i].tensor.role
            guard n > largest, !role.isVector, role != .vision, !scheme.keepsUnquantized(role, engine: engine) else { continue }
            largest = n
        }
        return ByteCount(largest) * 2
    }

    static func terms(_ r: Resolved, prompt: Int64, batch: Int64, cacheTokens: Int64, kv: KVCacheSize) -> Terms {
        let m = r.model
        let e = (r.scheme.unquantizedDType ?? m.dtype).bytes
        let t = ByteCount(prompt * batch)
        let stream = t * (4 * m.hiddenSize * e)

        // MLP phase of a dense layer: act(gate(x)), up(x) and their product are live together (3·I);
        // Phi-3's fused gate_up_proj output (2·I) stays live beside act(gate) and the product (4·I)
        // (modeling_phi3 Phi3MLP).
        let fused = m.family.hasPrefix("phi-3") || m.family.hasPrefix("phi-4")
        let widths: Int64 = fused ? 4 : (m.gatedMLP ? 3 : 2)
        var dense = m.moe == nil || (m.moe?.firstDenseLayers ?? 0) > 0 ? t * (widths * m.intermediateSize * e) : .zero
        switch r.scheme.storage {
        case .blockwise4bit:
            // The dequantized weight sits beside the gate activation and the up output (2·I + W).
            dense = max(dense, t * (2 * m.intermediateSize * e) + r.sums.dequantizedLargest)
        case .perRow:
            // LLM.int8: the int8 matmul's int32 result (2 × the 16-bit size) of gate and up before
            // dequantization: act(gate), up in int32 and in 16 bits, the product: 5·I
            // (bitsandbytes int8_linear_matmul → int8_mm_dequant). Short prompts show the outlier
            // decomposition instead: the weight columns of outlier features (|x| > 6) dequantized to
            // fp32 and cast to 16 bits, up to 6 B per element of the widest matrix.
            let outliers = r.sums.dequantizedLargest.value / 2 * 6
            dense = max(t * (5 * m.intermediateSize * e), t * (2 * m.intermediateSize * e) + ByteCount(outliers))
        default: break
        }
        var moePhase = ByteCount.zero
        if let moe = m.moe {
            // transformers 5 routes with gathered copies: each token's hidden state once per chosen
            // expert, and per copy the expert's gate/up output (2·I_e), activation, product and
            // down-projected output (h) before the weighted sum; the shared expert runs over every
            // token (3·I_s), the router logits in fp32.
            let shared = moe.sharedExpertIntermediateSize ?? moe.expertIntermediateSize * moe.sharedExperts
            let routed = moe.expertsPerToken * (2 * m.hiddenSize + 4 * moe.expertIntermediateSize)
            moePhase = t * ((routed + 3 * shared) * e) + t * (moe.numExperts * 4 * 2)
        }
        let attention = t * (ActivationPeak.attentionWidth(m) * e)
        let layer = max(dense, moePhase, attention)

        var sliding = ByteCount.zero
        if let sw = m.slidingWindow {
            let slidingLayers = (0..<m.numLayers).filter { sw.isSliding(layer: $0) }
            let held = min(cacheTokens, sw.window)
            if prompt > held {
                sliding += kv.bytesPerTokenPerLayer * Int64(slidingLayers.count) * (prompt - held) * batch
            }
            sliding += ByteCount(batch) * prompt * prompt
        }
        let rotaryDim = m.mla?.qkRopeHeadDim ?? m.headDim
        let rotary = t * (2 * rotaryDim * e)
        return Terms(stream: stream, layer: layer, sliding: sliding, rotary: rotary)
    }
}
