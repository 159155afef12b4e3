import VramfitCore

/// Builds one decoder layer of a catalog model in a scheme's real storage, tensor by tensor from
/// the estimator's own tensor list (`TensorInventory`), so every byte the runner allocates can be
/// set against the estimator's figure for the same tensor.
///
/// For each tensor: draw (or read) fp32 values → round them to the model's dtype (that rounded
/// tensor *is* the checkpoint: the unquantized reference keeps it) → store it the way the scheme
/// does, through `QuantizerFactory` (quantized formats, and `DenseWeight` for what the scheme keeps
/// in a float dtype — the same `WeightBytes.storage` decision the estimator prices).
public struct LayerBuilder: Sendable {
    public var model: Model
    public var scheme: QuantScheme
    /// Engine id: decides engine-specific unquantized sets (bitsandbytes routers in vLLM vs transformers).
    public var engine: String?
    public var source: any WeightSource
    /// The quantizer (or dense storage) for each tensor; `QuantizerFactory` unless a test substitutes one.
    public var quantizer: @Sendable (TensorSpec) throws -> any WeightQuantizer

    public init(model: Model, scheme: QuantScheme, engine: String?, source: any WeightSource,
                quantizer: (@Sendable (TensorSpec) throws -> any WeightQuantizer)? = nil) {
        self.model = model; self.scheme = scheme; self.engine = engine; self.source = source
        self.quantizer = quantizer ?? { spec in try QuantizerFactory.quantizer(for: spec, scheme: scheme, model: model, engine: engine) }
    }

    public struct Built: Sendable {
        /// The layer in the scheme's storage.
        public var layer: Layer
        /// The same layer unquantized (the checkpoint in the model's dtype), when asked for.
        public var reference: Layer?
    }

    /// The tensors of decoder layer `index`, as the estimator lists them.
    public func specs(layer index: Int) -> [TensorSpec] {
        TensorInventory.tensors(of: model).filter { $0.layer == Int64(index) }
    }

    /// The checkpoint tensors layer `index` is built from (Hugging Face names and shapes), what
    /// `WeightSource.check` verifies before anything is read.
    public func expectedTensors(layer index: Int) throws -> [ExpectedTensor] {
        let shape = try LayerShape(model: model, layer: index)
        return specs(layer: index).flatMap { Self.parts(of: $0, shape: shape) }
            .map { ExpectedTensor(name: $0.name, rows: $0.rows, cols: $0.cols, kind: $0.kind) }
    }

    /// Builds layer `index`; with `reference`, also its unquantized twin.
    public func build(layer index: Int, reference: Bool, constants: FamilyConstants? = nil,
                      progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws -> Built {
        let shape = try LayerShape(model: model, layer: index, constants: constants)
        let checkpoint = DenseWeight.Storage(model.dtype) ?? .bf16
        var q = PartTable(), r = PartTable()
        var tensors: [LayerTensor] = []
        let specs = self.specs(layer: index)
        let parts = specs.flatMap { spec in Self.parts(of: spec, shape: shape).map { (spec, $0) } }
        var done = 0
        for spec in specs {
            let qz = try quantizer(spec)
            var formats: [String] = []
            var bytes = ByteCount.zero
            for part in Self.parts(of: spec, shape: shape) {
                var values = try source.values(name: part.name, rows: part.rows, cols: part.cols, kind: part.kind)
                guard values.count == part.rows * part.cols else {
                    throw RunnerError.wrongShape(tensor: part.name, expected: [part.rows, part.cols], got: [values.count])
                }
                Self.round(&values, to: checkpoint)
                if reference { r[part.slot] = try DenseWeight(rows: part.rows, cols: part.cols, storage: checkpoint, values: values) }
                let w = try qz.quantize(values, rows: part.rows, cols: part.cols)
                q[part.slot] = w
                if !formats.contains(w.format) { formats.append(w.format) }
                bytes += w.allocatedBytes
                done += 1
                progress?(done, parts.count)
            }
            tensors.append(LayerTensor(spec: spec, format: formats.joined(separator: "+"), allocatedBytes: bytes))
        }
        let layer = Layer(shape: shape, weights: try q.weights(shape), tensors: tensors)
        let ref = reference ? Layer(shape: shape, weights: try r.weights(shape), tensors: []) : nil
        return Built(layer: layer, reference: ref)
    }

    /// Rounds in place to what `storage` can hold (nearest even), in parallel for big tensors.
    static func round(_ v: inout [Float], to storage: DenseWeight.Storage) {
        guard storage != .fp32 else { return }
        let n = v.count
        v.withUnsafeMutableBufferPointer { b in
            guard let base = b.baseAddress else { return }
            let p = SendablePointer(base)
            let chunk = 1 << 16
            Parallel.forEach((n + chunk - 1) / chunk) { c in
                let lo = c * chunk, hi = min(n, lo + chunk)
                for i in lo..<hi {
                    let x = p.pointer[i]
                    p.pointer[i] = storage == .fp16 ? FloatBits.halfToFloat(FloatBits.floatToHalf(x))
                                                    : FloatBits.bf16ToFloat(FloatBits.floatToBF16(x))
                }
            }
        }
    }

    // MARK: tensor parts

    /// Where a part goes in `LayerWeights`.
    enum Slot: Hashable {
        case inputNorm, postNorm, q, k, v, o, qBias, kBias, vBias, oBias, qNorm, kNorm
        case gate, up, down, router, sharedGate, sharedUp, sharedDown, sharedExpertGate
        case expertGate(Int), expertUp(Int), expertDown(Int)
    }

    struct Part {
        var slot: Slot
        var name: String
        var rows: Int
        var cols: Int
        var kind: WeightKind
    }

    /// The Hugging Face tensors behind one inventory entry (experts, both norms, the three biases).
    static func parts(of t: TensorSpec, shape: LayerShape) -> [Part] {
        let p = "model.layers.\(shape.layerIndex)"
        let rows = Int(t.rows), cols = Int(t.rowLength)
        let mixtral = shape.family.lowercased() == "mixtral"
        let moe = mixtral ? "\(p).block_sparse_moe" : "\(p).mlp"
        func m(_ s: Slot, _ n: String) -> Part { Part(slot: s, name: n, rows: rows, cols: cols, kind: .matrix) }
        switch t.role {
        case .norm:
            if t.name.hasSuffix("qk_norm") {
                return [Part(slot: .qNorm, name: "\(p).self_attn.q_norm.weight", rows: 1, cols: cols, kind: .norm),
                        Part(slot: .kNorm, name: "\(p).self_attn.k_norm.weight", rows: 1, cols: cols, kind: .norm)]
            }
            return [Part(slot: .inputNorm, name: "\(p).input_layernorm.weight", rows: 1, cols: cols, kind: .norm),
                    Part(slot: .postNorm, name: "\(p).post_attention_layernorm.weight", rows: 1, cols: cols, kind: .norm)]
        case .bias:
            if t.name.hasSuffix("qkv_bias") {
                // One inventory entry of q + 2·kv values; three tensors in the checkpoint.
                return [Part(slot: .qBias, name: "\(p).self_attn.q_proj.bias", rows: 1, cols: shape.qDim, kind: .bias),
                        Part(slot: .kBias, name: "\(p).self_attn.k_proj.bias", rows: 1, cols: shape.kvDim, kind: .bias),
                        Part(slot: .vBias, name: "\(p).self_attn.v_proj.bias", rows: 1, cols: shape.kvDim, kind: .bias)]
            }
            return [Part(slot: .oBias, name: "\(p).self_attn.o_proj.bias", rows: 1, cols: cols, kind: .bias)]
        case .attnQ: return [m(.q, "\(p).self_attn.q_proj.weight")]
        case .attnK: return [m(.k, "\(p).self_attn.k_proj.weight")]
        case .attnV: return [m(.v, "\(p).self_attn.v_proj.weight")]
        case .attnOutput: return [m(.o, "\(p).self_attn.o_proj.weight")]
        case .ffnGate: return [m(.gate, "\(p).mlp.gate_proj.weight")]
        case .ffnUp: return [m(.up, "\(p).mlp.up_proj.weight")]
        case .ffnDown: return [m(.down, "\(p).mlp.down_proj.weight")]
        case .router: return [m(.router, "\(moe).gate.weight")]
        case .expertGate: return (0..<Int(t.count)).map { m(.expertGate($0), mixtral ? "\(moe).experts.\($0).w1.weight" : "\(moe).experts.\($0).gate_proj.weight") }
        case .expertUp: return (0..<Int(t.count)).map { m(.expertUp($0), mixtral ? "\(moe).experts.\($0).w3.weight" : "\(moe).experts.\($0).up_proj.weight") }
        case .expertDown: return (0..<Int(t.count)).map { m(.expertDown($0), mixtral ? "\(moe).experts.\($0).w2.weight" : "\(moe).experts.\($0).down_proj.weight") }
        case .sharedGate: return [m(.sharedGate, "\(moe).shared_expert.gate_proj.weight")]
        case .sharedUp: return [m(.sharedUp, "\(moe).shared_expert.up_proj.weight")]
        case .sharedDown: return [m(.sharedDown, "\(moe).shared_expert.down_proj.weight")]
        case .sharedExpertGate: return [m(.sharedExpertGate, "\(moe).shared_expert_gate.weight")]
        default: return []
        }
    }
}

/// Weights by slot while a layer is being built.
struct PartTable {
    var table: [LayerBuilder.Slot: any QuantizedWeight] = [:]

    subscript(_ s: LayerBuilder.Slot) -> (any QuantizedWeight)? {
        get { table[s] }
        set { table[s] = newValue }
    }

    func need(_ s: LayerBuilder.Slot, _ shape: LayerShape) throws -> any QuantizedWeight {
        guard let w = table[s] else { throw RunnerError.invalidRequest("layer \(shape.layerIndex) of \(shape.modelId): no weight for \(s)") }
        return w
    }

    func dense(_ s: LayerBuilder.Slot) -> DenseWeight? { table[s] as? DenseWeight }

    func weights(_ shape: LayerShape) throws -> LayerWeights {
        guard let n1 = dense(.inputNorm), let n2 = dense(.postNorm) else {
            throw RunnerError.invalidRequest("layer \(shape.layerIndex) of \(shape.modelId): missing RMSNorm weights")
        }
        let mlp: LayerWeights.MLP
        if let moe = shape.moe {
            let experts = try (0..<moe.experts).map { e in
                LayerWeights.Expert(gate: try need(.expertGate(e), shape), up: try need(.expertUp(e), shape), down: try need(.expertDown(e), shape))
            }
            var shared: LayerWeights.Expert?
            if moe.sharedIntermediate > 0 {
                shared = LayerWeights.Expert(gate: try need(.sharedGate, shape), up: try need(.sharedUp, shape), down: try need(.sharedDown, shape))
            }
            mlp = .moe(router: try need(.router, shape), experts: experts, shared: shared, sharedGate: moe.sharedExpertGate ? try need(.sharedExpertGate, shape) : nil)
        } else {
            mlp = .dense(LayerWeights.Expert(gate: try need(.gate, shape), up: try need(.up, shape), down: try need(.down, shape)))
        }
        return LayerWeights(inputNorm: n1, postAttentionNorm: n2, q: try need(.q, shape), k: try need(.k, shape), v: try need(.v, shape),
                            o: try need(.o, shape), qBias: dense(.qBias), kBias: dense(.kBias), vBias: dense(.vBias), oBias: dense(.oBias),
                            qNorm: dense(.qNorm), kNorm: dense(.kNorm), mlp: mlp)
    }
}
