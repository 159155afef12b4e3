/// A model architecture as the memory estimate needs it: the config.json fields that decide tensor
/// shapes and KV-cache size. Field names follow Hugging Face's config.json where one exists.
public struct Model: Sendable, Identifiable {
    public var id: String
    public var name: String
    /// Hugging Face repository id, e.g. `Qwen/Qwen2.5-14B-Instruct`.
    public var hfRepo: String?
    public var aliases: [String]
    /// Family shown in tables and used for grouping (qwen2.5, llama-3.1, …).
    public var family: String

    public var vocabSize: Int64
    public var hiddenSize: Int64
    public var intermediateSize: Int64
    public var numLayers: Int64
    public var numAttentionHeads: Int64
    public var numKVHeads: Int64
    /// Explicit head dimension (Qwen3, Gemma, Mistral-Small use one that is not hidden / heads).
    public var headDimOverride: Int64?

    public var tieWordEmbeddings: Bool
    /// Bias on the q/k/v projections (Qwen2, gpt-oss).
    public var qkvBias: Bool
    /// Bias on the attention output projection (gpt-oss, Phi-2-like models).
    public var outputBias: Bool
    /// Gated MLP (SwiGLU/GeGLU: gate, up, down) or plain two-matrix MLP.
    public var gatedMLP: Bool
    /// Per-head RMSNorm on q and k (Qwen3, Gemma-3): `head_dim` parameters each.
    public var qkNorm: Bool
    /// RMSNorms per decoder layer: 2 for Llama-style, 4 for Gemma-2/3 (pre- and post- norms).
    public var normsPerLayer: Int64
    /// Per-head learned attention-sink logits (gpt-oss): `heads` parameters per layer.
    public var attentionSinks: Bool

    public var moe: MoE?
    public var mla: MLA?
    public var slidingWindow: SlidingWindow?
    public var vision: VisionTower?

    public var maxContext: Int64
    public var dtype: DType
    /// Parameter count the publisher states (or the checkpoint's exact count), for the derivation check.
    public var publishedParams: Int64
    public var publishedActiveParams: Int64?
    /// The scheme the official checkpoint ships in when it is not `dtype` (gpt-oss: mxfp4; DeepSeek-V3: fp8 blocks).
    public var nativeQuant: String?
    /// Published checkpoints of this model in other schemes, by scheme id (`awq` →
    /// `Qwen/Qwen2.5-72B-Instruct-AWQ`): what an export launches for a pre-quantized scheme.
    public var checkpoints: [String: String] = [:]
    public var source: [String]
    public var notes: String?

    public var headDim: Int64 { headDimOverride ?? (hiddenSize / max(numAttentionHeads, 1)) }
    public var isMoE: Bool { moe != nil }

    public struct MoE: Sendable, Equatable {
        public var numExperts: Int64
        public var expertsPerToken: Int64
        /// `moe_intermediate_size` (or `intermediate_size` where every MLP is MoE, as in Mixtral).
        public var expertIntermediateSize: Int64
        public var sharedExperts: Int64
        /// Width of the shared expert when it differs from `expertIntermediateSize × sharedExperts`
        /// (Qwen1.5-MoE `shared_expert_intermediate_size`, Llama-4 `intermediate_size`).
        public var sharedExpertIntermediateSize: Int64?
        /// Sigmoid gate on the shared expert output (Qwen1.5-MoE `shared_expert_gate`: hidden × 1).
        public var sharedExpertGate: Bool
        /// Leading layers whose MLP is dense (`first_k_dense_replace`, DeepSeek).
        public var firstDenseLayers: Int64
        /// Every `layerStep`-th layer is MoE, the rest dense (Llama-4 `interleave_moe_layer_step`).
        public var layerStep: Int64
        /// Router bias (gpt-oss) and per-expert biases (gpt-oss MLP biases).
        public var routerBias: Bool
        public var expertBias: Bool
        /// Per-expert score-correction bias (DeepSeek-V3 `e_score_correction_bias`: experts floats).
        public var routerCorrectionBias: Bool

        public init(numExperts: Int64, expertsPerToken: Int64, expertIntermediateSize: Int64, sharedExperts: Int64 = 0,
                    sharedExpertIntermediateSize: Int64? = nil, sharedExpertGate: Bool = false, firstDenseLayers: Int64 = 0,
                    layerStep: Int64 = 1, routerBias: Bool = false, expertBias: Bool = false, routerCorrectionBias: Bool = false) {
            self.numExperts = numExperts; self.expertsPerToken = expertsPerToken
            self.expertIntermediateSize = expertIntermediateSize; self.sharedExperts = sharedExperts
            self.sharedExpertIntermediateSize = sharedExpertIntermediateSize; self.sharedExpertGate = sharedExpertGate
            self.firstDenseLayers = firstDenseLayers; self.layerStep = layerStep
            self.routerBias = routerBias; self.expertBias = expertBias; self.routerCorrectionBias = routerCorrectionBias
        }

        /// Whether decoder layer `i` (0-based) has an MoE MLP.
        public func isMoELayer(_ i: Int64) -> Bool {
            guard i >= firstDenseLayers else { return false }
            let step = max(layerStep, 1)
            return (i + 1) % step == 0
        }
    }

    /// Multi-head latent attention (DeepSeek-V2/V3): the KV cache holds one compressed latent of
    /// `kvLoraRank + qkRopeHeadDim` per token per layer instead of per-head K and V.
    public struct MLA: Sendable, Equatable {
        public var kvLoraRank: Int64
        /// `q_lora_rank`; absent when q is a plain projection (DeepSeek-V2-Lite).
        public var qLoraRank: Int64?
        public var qkRopeHeadDim: Int64
        public var qkNopeHeadDim: Int64
        public var vHeadDim: Int64

        public init(kvLoraRank: Int64, qLoraRank: Int64?, qkRopeHeadDim: Int64, qkNopeHeadDim: Int64, vHeadDim: Int64) {
            self.kvLoraRank = kvLoraRank; self.qLoraRank = qLoraRank; self.qkRopeHeadDim = qkRopeHeadDim
            self.qkNopeHeadDim = qkNopeHeadDim; self.vHeadDim = vHeadDim
        }
    }

    /// Sliding-window attention and which layers use it.
    public struct SlidingWindow: Sendable, Equatable {
        public var window: Int64
        /// Layers with sliding attention: `all`, or a repeating `pattern` such as
        /// [sliding, full] for Gemma-2 / gpt-oss and 5×sliding + 1×full for Gemma-3.
        public var pattern: [Bool]

        public init(window: Int64, pattern: [Bool]) { self.window = window; self.pattern = pattern }

        public func isSliding(layer i: Int64) -> Bool {
            guard !pattern.isEmpty else { return true }
            return pattern[Int(i % Int64(pattern.count))]
        }
    }

    /// A vision encoder carried in the same checkpoint (Gemma-3, Mistral-Small-3.1, Llama-4).
    /// Counted as `layers` transformer blocks computed from the dims, plus `extraParams` for the
    /// patch and position embeddings, final norms and the projector into the text model.
    public struct VisionTower: Sendable, Equatable {
        public var layers: Int64
        public var hiddenSize: Int64
        public var intermediateSize: Int64
        /// Gated (SwiGLU) MLP in the encoder (Pixtral) instead of fc1/fc2 (SigLIP, Llama-4).
        public var gatedMLP: Bool
        /// Biases on the encoder's linear layers (SigLIP yes, Pixtral no).
        public var bias: Bool
        /// Parameters outside the blocks, computed from the checkpoint's tensor shapes (see the entry's source).
        public var extraParams: Int64

        public init(layers: Int64, hiddenSize: Int64, intermediateSize: Int64, gatedMLP: Bool, bias: Bool, extraParams: Int64) {
            self.layers = layers; self.hiddenSize = hiddenSize; self.intermediateSize = intermediateSize
            self.gatedMLP = gatedMLP; self.bias = bias; self.extraParams = extraParams
        }
    }

    public init(id: String, name: String, hfRepo: String? = nil, aliases: [String] = [], family: String,
                vocabSize: Int64, hiddenSize: Int64, intermediateSize: Int64, numLayers: Int64,
                numAttentionHeads: Int64, numKVHeads: Int64, headDimOverride: Int64? = nil,
                tieWordEmbeddings: Bool = false, qkvBias: Bool = false, outputBias: Bool = false,
                gatedMLP: Bool = true, qkNorm: Bool = false, normsPerLayer: Int64 = 2, attentionSinks: Bool = false,
                moe: MoE? = nil, mla: MLA? = nil, slidingWindow: SlidingWindow? = nil, vision: VisionTower? = nil,
                maxContext: Int64, dtype: DType = .bf16, publishedParams: Int64, publishedActiveParams: Int64? = nil,
                nativeQuant: String? = nil, source: [String] = [], notes: String? = nil) {
        self.id = id; self.name = name; self.hfRepo = hfRepo; self.aliases = aliases; self.family = family
        self.vocabSize = vocabSize; self.hiddenSize = hiddenSize; self.intermediateSize = intermediateSize
        self.numLayers = numLayers; self.numAttentionHeads = numAttentionHeads; self.numKVHeads = numKVHeads
        self.headDimOverride = headDimOverride; self.tieWordEmbeddings = tieWordEmbeddings; self.qkvBias = qkvBias
        self.outputBias = outputBias; self.gatedMLP = gatedMLP; self.qkNorm = qkNorm; self.normsPerLayer = normsPerLayer
        self.attentionSinks = attentionSinks; self.moe = moe; self.mla = mla; self.slidingWindow = slidingWindow
        self.vision = vision; self.maxContext = maxContext; self.dtype = dtype; self.publishedParams = publishedParams
        self.publishedActiveParams = publishedActiveParams; self.nativeQuant = nativeQuant; self.source = source; self.notes = notes
    }
}
