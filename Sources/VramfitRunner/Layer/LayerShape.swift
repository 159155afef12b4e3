import VramfitCore

/// The shapes and constants of one decoder layer of a catalog `Model`: everything the CPU backend,
/// the float64 reference and the CUDA backend need to execute it the same way.
///
/// Supported: Llama-style pre-norm layers (Llama, Qwen 1.5/2.5/3, Mistral, Phi-3/4) with GQA, q/k/v
/// and output biases, Qwen3's per-head q/k RMSNorm, sliding-window masks, and softmax-routed MoE with
/// top-k (Mixtral, Qwen-MoE, Qwen3-MoE) and shared experts with a sigmoid gate (Qwen1.5-MoE).
/// Refused with the reason: MLA (DeepSeek), attention sinks and biased routers (gpt-oss), Gemma's
/// sandwich norms and GeGLU, Llama-4's interleaved MoE and chunked attention, non-gated MLPs.
public struct LayerShape: Sendable, Equatable {
    public var modelId: String
    public var family: String
    public var layerIndex: Int
    public var hidden: Int
    public var heads: Int
    public var kvHeads: Int
    public var headDim: Int
    /// Width of the dense MLP; 0 when the layer's MLP is MoE.
    public var intermediate: Int
    public var moe: MoE?
    public var ropeTheta: Double
    public var rmsEps: Double
    public var qkvBias: Bool
    public var outputBias: Bool
    public var qkNorm: Bool
    /// Keys older than this many positions are masked (sliding-window layers); nil for full attention.
    public var slidingWindow: Int?

    public struct MoE: Sendable, Equatable {
        public var experts: Int
        public var topK: Int
        public var expertIntermediate: Int
        /// Width of the shared expert; 0 when there is none.
        public var sharedIntermediate: Int
        public var sharedExpertGate: Bool
        public var normalizeTopK: Bool

        public init(experts: Int, topK: Int, expertIntermediate: Int, sharedIntermediate: Int = 0,
                    sharedExpertGate: Bool = false, normalizeTopK: Bool = true) {
            self.experts = experts; self.topK = topK; self.expertIntermediate = expertIntermediate
            self.sharedIntermediate = sharedIntermediate; self.sharedExpertGate = sharedExpertGate; self.normalizeTopK = normalizeTopK
        }
    }

    public var qDim: Int { heads * headDim }
    public var kvDim: Int { kvHeads * headDim }
    public var groupSize: Int { heads / kvHeads }

    public init(modelId: String = "test", family: String = "test", layerIndex: Int = 0, hidden: Int, heads: Int, kvHeads: Int,
                headDim: Int, intermediate: Int, moe: MoE? = nil, ropeTheta: Double = 10_000, rmsEps: Double = 1e-6,
                qkvBias: Bool = false, outputBias: Bool = false, qkNorm: Bool = false, slidingWindow: Int? = nil) {
        self.modelId = modelId; self.family = family; self.layerIndex = layerIndex; self.hidden = hidden
        self.heads = heads; self.kvHeads = kvHeads; self.headDim = headDim; self.intermediate = intermediate
        self.moe = moe; self.ropeTheta = ropeTheta; self.rmsEps = rmsEps; self.qkvBias = qkvBias
        self.outputBias = outputBias; self.qkNorm = qkNorm; self.slidingWindow = slidingWindow
    }

    /// Layer `layer` of `model`, or why the runner cannot execute it.
    public init(model m: Model, layer: Int, constants: FamilyConstants? = nil) throws {
        func refuse(_ why: String) -> RunnerError { .unsupportedArchitecture(model: m.id, feature: why) }
        guard layer >= 0, Int64(layer) < m.numLayers else {
            throw RunnerError.invalidRequest("layer \(layer) does not exist: \(m.id) has layers 0…\(m.numLayers - 1)")
        }
        if m.mla != nil { throw refuse("multi-head latent attention (MLA) is not implemented") }
        if m.attentionSinks { throw refuse("attention sinks (gpt-oss) are not implemented") }
        if m.normsPerLayer != 2 { throw refuse("\(m.normsPerLayer) norms per layer (Gemma-style sandwich norms) are not implemented") }
        if !m.gatedMLP { throw refuse("non-gated MLPs are not implemented (only SwiGLU)") }
        let fam = m.family.lowercased()
        if fam.hasPrefix("gemma") { throw refuse("Gemma's GeGLU, (1 + w) norms and logit soft-capping are not implemented") }
        if fam.hasPrefix("llama-4") { throw refuse("Llama-4's sigmoid top-1 router, chunked attention and NoPE layers are not implemented") }
        guard m.numAttentionHeads > 0, m.numKVHeads > 0, m.numAttentionHeads % m.numKVHeads == 0 else {
            throw refuse("\(m.numAttentionHeads) attention heads are not a multiple of \(m.numKVHeads) KV heads")
        }
        guard m.headDim % 2 == 0 else { throw refuse("odd head dimension \(m.headDim) (RoPE rotates pairs)") }
        let c = constants ?? FamilyConstants.forFamily(m.family)
        var moeShape: MoE?
        var width = Int(m.intermediateSize)
        if let moe = m.moe, moe.isMoELayer(Int64(layer)) {
            if moe.routerBias || moe.expertBias || moe.routerCorrectionBias {
                throw refuse("biased MoE routers or experts (gpt-oss, DeepSeek-V3 scoring) are not implemented")
            }
            let shared = moe.sharedExpertIntermediateSize ?? (moe.expertIntermediateSize * moe.sharedExperts)
            moeShape = MoE(experts: Int(moe.numExperts), topK: Int(moe.expertsPerToken), expertIntermediate: Int(moe.expertIntermediateSize),
                           sharedIntermediate: Int(shared), sharedExpertGate: moe.sharedExpertGate, normalizeTopK: c.normalizeTopK)
            width = 0
        }
        var window: Int?
        if let sw = m.slidingWindow, sw.isSliding(layer: Int64(layer)) { window = Int(sw.window) }
        self.init(modelId: m.id, family: m.family, layerIndex: layer, hidden: Int(m.hiddenSize), heads: Int(m.numAttentionHeads),
                  kvHeads: Int(m.numKVHeads), headDim: Int(m.headDim), intermediate: width, moe: moeShape,
                  ropeTheta: c.ropeTheta, rmsEps: c.rmsEps, qkvBias: m.qkvBias, outputBias: m.outputBias,
                  qkNorm: m.qkNorm, slidingWindow: window)
    }

    /// Weights a decode token multiplies with (all of attention and the routed top-k experts).
    public var activeParameters: Int64 {
        let h = Int64(hidden)
        var p = h * Int64(qDim) * 2 + h * Int64(kvDim) * 2
        if let moe {
            p += Int64(moe.topK) * 3 * h * Int64(moe.expertIntermediate) + 3 * h * Int64(moe.sharedIntermediate) + h * Int64(moe.experts)
        } else {
            p += 3 * h * Int64(intermediate)
        }
        return p
    }
}
