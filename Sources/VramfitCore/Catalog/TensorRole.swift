/// What a weight tensor is for. Schemes decide per role what to quantize; names follow GGUF's
/// tensor names (llama.cpp `llm_tensor`), which every engine's naming maps onto.
public enum TensorRole: String, Sendable, CaseIterable {
    case tokenEmbedding = "token_embd"
    case output = "output"
    case norm = "norm"
    case bias = "bias"
    case attnQ = "attn_q", attnK = "attn_k", attnV = "attn_v", attnOutput = "attn_output"
    /// MLA projections (DeepSeek): q down/up, kv down (with the shared rope key), kv up.
    case attnQA = "attn_q_a", attnQB = "attn_q_b", attnKVA = "attn_kv_a_mqa", attnKVB = "attn_kv_b"
    case attnSinks = "attn_sinks"
    case ffnGate = "ffn_gate", ffnUp = "ffn_up", ffnDown = "ffn_down"
    case router = "ffn_gate_inp"
    case expertGate = "ffn_gate_exps", expertUp = "ffn_up_exps", expertDown = "ffn_down_exps"
    case sharedGate = "ffn_gate_shexp", sharedUp = "ffn_up_shexp", sharedDown = "ffn_down_shexp"
    case sharedExpertGate = "ffn_gate_inp_shexp"
    case vision = "vision"

    /// One-dimensional tensors no scheme quantizes (GGUF stores them F32; others in the model dtype).
    public var isVector: Bool { self == .norm || self == .bias || self == .attnSinks }
    public var isExpert: Bool { self == .expertGate || self == .expertUp || self == .expertDown }
}

/// One weight tensor (or `count` identical ones, e.g. the experts of a layer), shaped like
/// PyTorch's `nn.Linear.weight`: `[rows = out_features, rowLength = in_features]`.
public struct TensorSpec: Sendable, Equatable {
    public var name: String
    public var role: TensorRole
    /// Decoder layer index; nil for embeddings, the final norm, the head and the vision tower.
    public var layer: Int64?
    public var rows: Int64
    public var rowLength: Int64
    public var count: Int64

    public init(name: String, role: TensorRole, layer: Int64?, rows: Int64, rowLength: Int64, count: Int64 = 1) {
        self.name = name; self.role = role; self.layer = layer; self.rows = rows; self.rowLength = rowLength; self.count = count
    }

    public var elements: Int64 { rows * rowLength * count }
}
