import VramfitCore

/// One decoder layer's weights, in whatever storage each tensor has (quantized matrices, dense
/// vectors). Both the quantized layer and its unquantized twin (the reference) use this type.
public struct LayerWeights: Sendable {
    public var inputNorm: DenseWeight
    public var postAttentionNorm: DenseWeight
    public var q: any QuantizedWeight
    public var k: any QuantizedWeight
    public var v: any QuantizedWeight
    public var o: any QuantizedWeight
    /// q/k/v projection biases (one row each), when the model has them.
    public var qBias: DenseWeight?
    public var kBias: DenseWeight?
    public var vBias: DenseWeight?
    public var oBias: DenseWeight?
    /// Per-head RMSNorm weights on q and k (Qwen3), `headDim` values each.
    public var qNorm: DenseWeight?
    public var kNorm: DenseWeight?
    public var mlp: MLP

    public enum MLP: Sendable {
        case dense(Expert)
        /// Router `[experts, hidden]`, the experts, an optional shared expert and its sigmoid gate `[1, hidden]`.
        case moe(router: any QuantizedWeight, experts: [Expert], shared: Expert?, sharedGate: (any QuantizedWeight)?)
    }

    /// gate_proj and up_proj `[width, hidden]`, down_proj `[hidden, width]`.
    public struct Expert: Sendable {
        public var gate: any QuantizedWeight
        public var up: any QuantizedWeight
        public var down: any QuantizedWeight
        public init(gate: any QuantizedWeight, up: any QuantizedWeight, down: any QuantizedWeight) {
            self.gate = gate; self.up = up; self.down = down
        }
    }

    public init(inputNorm: DenseWeight, postAttentionNorm: DenseWeight, q: any QuantizedWeight, k: any QuantizedWeight,
                v: any QuantizedWeight, o: any QuantizedWeight, qBias: DenseWeight? = nil, kBias: DenseWeight? = nil,
                vBias: DenseWeight? = nil, oBias: DenseWeight? = nil, qNorm: DenseWeight? = nil, kNorm: DenseWeight? = nil, mlp: MLP) {
        self.inputNorm = inputNorm; self.postAttentionNorm = postAttentionNorm; self.q = q; self.k = k; self.v = v; self.o = o
        self.qBias = qBias; self.kBias = kBias; self.vBias = vBias; self.oBias = oBias; self.qNorm = qNorm; self.kNorm = kNorm
        self.mlp = mlp
    }

    /// Every weight of the layer (matrices and vectors).
    public var all: [any QuantizedWeight] {
        var w: [any QuantizedWeight] = [inputNorm, postAttentionNorm, q, k, v, o]
        for x in [qBias, kBias, vBias, oBias, qNorm, kNorm] { if let x { w.append(x) } }
        switch mlp {
        case .dense(let e): w += [e.gate, e.up, e.down]
        case .moe(let router, let experts, let shared, let gate):
            w.append(router)
            for e in experts { w += [e.gate, e.up, e.down] }
            if let s = shared { w += [s.gate, s.up, s.down] }
            if let gate { w.append(gate) }
        }
        return w
    }

    public var allocatedBytes: ByteCount { all.reduce(.zero) { $0 + $1.allocatedBytes } }
}

/// A layer ready to execute: its shapes, its weights, and the estimator's tensor list for the same
/// layer with the weights that store each entry (the bridge for the exact byte comparison).
public struct Layer: Sendable {
    public var shape: LayerShape
    public var weights: LayerWeights
    public var tensors: [LayerTensor]

    public init(shape: LayerShape, weights: LayerWeights, tensors: [LayerTensor] = []) {
        self.shape = shape; self.weights = weights; self.tensors = tensors
    }
}

/// One `TensorInventory` entry of the layer and what the runner allocated for it: `count` experts
/// are `count` weights; the two RMSNorms of "norms" are two; "qkv_bias" is the three biases.
public struct LayerTensor: Sendable {
    public var spec: TensorSpec
    /// The storage chosen (a `QuantizedWeight.format`), e.g. "int4-g128", "float16", "Q6_K".
    public var format: String
    public var allocatedBytes: ByteCount

    public init(spec: TensorSpec, format: String, allocatedBytes: ByteCount) {
        self.spec = spec; self.format = format; self.allocatedBytes = allocatedBytes
    }
}
