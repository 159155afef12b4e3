/// A weight quantization scheme: how a quantized tensor is stored, byte for byte, and which
/// tensors the scheme leaves at the model's own dtype.
public struct QuantScheme: Sendable, Identifiable {
    public var id: String
    public var name: String
    public var aliases: [String]
    public var storage: WeightStorage
    /// Roles stored unquantized, at `unquantizedDType` (or the model's dtype when nil).
    public var keepUnquantized: Set<TensorRole>
    public var unquantizedDType: DType?
    /// Per-engine differences in what stays unquantized (engine id → roles).
    public var engineKeepUnquantized: [String: Set<TensorRole>]
    /// Engines that load this scheme, in order of how commonly they are used for it.
    public var engines: [String]
    /// Minimum CUDA compute capability for the scheme's kernels (fp8 W8A8: 89), if any.
    public var minComputeCapability: Int?
    /// Rank for the planner's quality goal: higher keeps more of the model's quality.
    public var qualityRank: Int
    public var source: [String]
    public var notes: String?

    public init(id: String, name: String, aliases: [String] = [], storage: WeightStorage, keepUnquantized: Set<TensorRole>,
                unquantizedDType: DType? = nil, engineKeepUnquantized: [String: Set<TensorRole>] = [:], engines: [String],
                minComputeCapability: Int? = nil, qualityRank: Int = 0, source: [String] = [], notes: String? = nil) {
        self.id = id; self.name = name; self.aliases = aliases; self.storage = storage; self.keepUnquantized = keepUnquantized
        self.unquantizedDType = unquantizedDType; self.engineKeepUnquantized = engineKeepUnquantized; self.engines = engines
        self.minComputeCapability = minComputeCapability; self.qualityRank = qualityRank; self.source = source; self.notes = notes
    }

    public var isGGUF: Bool {
        switch storage {
        case .ggml, .ggufMix: true
        default: false
        }
    }

    /// The scheme stores full-precision floats (fp32/fp16/bf16): nothing is quantized.
    public var isUnquantized: Bool {
        if case .dense(let b, _) = storage { return b >= 2 }
        return false
    }

    public func keepsUnquantized(_ role: TensorRole, engine: String?) -> Bool {
        if role.isVector { return true }
        if let engine, let set = engineKeepUnquantized[engine] { return set.contains(role) }
        return keepUnquantized.contains(role)
    }
}

/// How a quantized tensor of shape `[rows, rowLength]` (out × in) is laid out in memory.
public enum WeightStorage: Sendable, Equatable {
    /// Every element the same width: fp32/fp16/bf16 (and fp8 with one scale per tensor).
    case dense(bytesPerElement: Int64, scaleBytesPerTensor: Int64 = 0)
    /// One scale per output row: int8 weight-only (fp16 scales), bitsandbytes LLM.int8 (`SCB`, fp32),
    /// fp8 per-channel (fp32).
    case perRow(bitsPerWeight: Int64, scaleBytesPerRow: Int64)
    /// Group-wise integer quantization along the input dimension (GPTQ, AWQ): packed int32 weights,
    /// fp16 scales and packed zeros per group, and for GPTQ an int32 `g_idx` per input channel.
    case groupwise(bits: Int64, groupSize: Int64, scaleBytes: Int64, zeroBits: Int64, gIdx: Bool)
    /// bitsandbytes 4-bit (NF4/FP4): two codes per byte, an fp32 absmax per block of 64; with
    /// double quantization the absmax is itself 8-bit with an fp32 scale per 256 blocks.
    case blockwise4bit(blockSize: Int64, doubleQuant: Bool)
    /// fp8 with one fp32 scale per `block × block` tile (DeepSeek-V3 native checkpoints).
    case fp8Block(block: Int64)
    /// A single ggml block type for every quantizable tensor.
    case ggml(GGMLType)
    /// llama.cpp's per-tensor mixes (Q4_K_M, …): rules pick the ggml type of each tensor.
    case ggufMix(GGUFMix)
}

/// A llama.cpp quantization mix, as rules over tensors (llama-quant.cpp `llama_tensor_get_type_impl`).
/// The first rule that matches a tensor wins; tensors no rule names get `defaultType`.
public struct GGUFMix: Sendable, Equatable {
    public var defaultType: GGMLType
    public var rules: [Rule]

    public init(defaultType: GGMLType, rules: [Rule]) { self.defaultType = defaultType; self.rules = rules }

    public struct Rule: Sendable, Equatable {
        public var role: TensorRole
        public var type: GGMLType
        public var when: Condition

        public init(role: TensorRole, type: GGMLType, when: Condition = .always) { self.role = role; self.type = type; self.when = when }
    }

    public enum Condition: Sendable, Equatable {
        case always
        /// llama.cpp `use_more_bits(i, n)`: the first and last eighth of layers and every third between.
        case moreBits
        /// Layer index below `n` (Q3_K_M's first two attn_v).
        case firstLayers(Int64)
        /// Layer index below `numLayers / n` (Q3_K_M's ffn_down in the first sixteenth).
        case layerFractionBelow(Int64)
        /// The model has exactly this many experts (llama.cpp special-cases 8-expert MoE).
        case experts(Int64)
        /// The model has tied embeddings: token_embd doubles as the output tensor.
        case tiedEmbeddings
        /// llama.cpp's LLM_TYPE_70B (80-layer Llama): attn_v gets one more step of bits.
        case layers(Int64)
    }

    /// The ggml type llama.cpp picks for `role` in decoder layer `layer` of `model`.
    public func type(for role: TensorRole, layer: Int64?, model: Model) -> GGMLType {
        for rule in rules where rule.role == role && matches(rule.when, layer: layer, model: model) { return rule.type }
        return defaultType
    }

    func matches(_ c: Condition, layer: Int64?, model: Model) -> Bool {
        let n = model.numLayers
        switch c {
        case .always: return true
        case .moreBits:
            guard let i = layer else { return false }
            return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2
        case .firstLayers(let k): return (layer ?? .max) < k
        case .layerFractionBelow(let d): return (layer ?? .max) < n / max(d, 1)
        case .experts(let e): return (model.moe?.numExperts ?? 0) == e
        case .tiedEmbeddings: return model.tieWordEmbeddings
        case .layers(let l): return n == l
        }
    }
}
