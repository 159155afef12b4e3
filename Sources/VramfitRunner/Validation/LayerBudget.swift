import VramfitCore

/// The memory a validation run of one layer will take, computed before anything is allocated so
/// a shape too big for the machine is refused with the bytes it would need.
///
/// Device side (the backend): the layer's weights (the estimator's exact per-tensor bytes), the KV
/// cache, and the backend's working-memory bound. Host side (building the layer): the quantized
/// weights again when the device is not the host, the unquantized reference copy, and the
/// transient fp32 copies of the largest tensor while it is drawn and quantized.
public struct LayerBudget: Sendable, Equatable {
    public var weights: ByteCount
    public var kvCache: ByteCount
    public var working: ByteCount
    public var reference: ByteCount
    public var transient: ByteCount
    /// Whether the backend's memory is the host's (CPU): then everything is one pool.
    public var sharedWithHost: Bool

    public var device: ByteCount { weights + kvCache + working + (sharedWithHost ? reference + transient : .zero) }
    public var host: ByteCount { sharedWithHost ? device : weights + reference + transient }

    public var deviceParts: [String] {
        var p = ["weights \(weights.value) B", "KV cache \(kvCache.value) B", "working memory \(working.value) B"]
        if sharedWithHost { p += ["unquantized reference \(reference.value) B", "fp32 staging \(transient.value) B"] }
        return p
    }

    public init(weights: ByteCount, kvCache: ByteCount, working: ByteCount, reference: ByteCount, transient: ByteCount, sharedWithHost: Bool) {
        self.weights = weights; self.kvCache = kvCache; self.working = working; self.reference = reference
        self.transient = transient; self.sharedWithHost = sharedWithHost
    }

    /// The budget of running layer `index` with `options` on `backend`.
    public static func of(_ builder: LayerBuilder, layer index: Int, shape: LayerShape, options: ValidationOptions, backend: any RunnerBackend) -> LayerBudget {
        let specs = builder.specs(layer: index)
        var weights = ByteCount.zero, elements: Int64 = 0, largest: Int64 = 0
        for s in specs {
            weights += WeightBytes.bytes(of: s, scheme: builder.scheme, model: builder.model, engine: builder.engine).bytes
            elements += s.elements
            largest = max(largest, s.rows * s.rowLength)
        }
        let capacity = options.prefillTokens + options.decodeSteps
        let kv = ByteCount(Int64(options.kvCache.bytes(forValues: shape.kvDim))) * Int64(2 * capacity)
        let working = backend.workingMemoryBound(shape, tokens: options.prefillTokens, context: capacity)
        let reference = options.reference ? ByteCount(elements) * max(builder.model.dtype.bytes, 2) : .zero
        // The drawn fp32 values, and up to two fp32-sized temporaries inside a quantizer.
        let transient = ByteCount(largest) * 4 * 3
        return LayerBudget(weights: weights, kvCache: kv, working: working, reference: reference, transient: transient,
                           sharedWithHost: backend.target == "cpu")
    }
}
