/// The part of an estimate that depends only on the model, the scheme, the engine (which tensors it
/// keeps unquantized, its allocation granularity) and the parallel layout — not on the GPU, the
/// context or the batch. Listing the tensors and pricing each under the scheme is most of an
/// estimate's work, so the sweep makes one of these per (model, scheme, engine) and hands it to
/// every GPU × context cell instead of recomputing it 21 × 3 times.
///
/// `Resolved` uses it only when it was made for the same catalog ids, granularity and layout as
/// the request; otherwise it computes its own, so a mismatched one can cost time but never
/// change an answer.
struct PreparedWeights: Sendable {
    let modelId: String
    let schemeId: String
    let engineId: String
    let granularity: Int64
    let tensorParallel: Int64
    let pipelineParallel: Int64
    let weights: WeightBreakdown
    let stageWeights: [ByteCount]

    /// `tensors`: the model's inventory when the caller has it already (one per model in a sweep).
    /// `granularity` must be what `Resolved` will derive from the engine's settings.
    init(model: Model, scheme: QuantScheme, engine: Engine, granularity: Int64, tensorParallel: Int64, pipelineParallel: Int64,
         tensors: [TensorSpec]? = nil) {
        modelId = model.id; schemeId = scheme.id; engineId = engine.id
        self.granularity = granularity
        let layout = DeviceLayout(numLayers: model.numLayers, pipelineParallel: pipelineParallel, tensorParallel: tensorParallel)
        self.tensorParallel = layout.tensorParallel
        self.pipelineParallel = layout.pipelineParallel
        weights = WeightBreakdown(tensors: tensors ?? TensorInventory.tensors(of: model), model: model, scheme: scheme,
                                  engine: engine.id, granularity: granularity)
        stageWeights = layout.weightsPerRank(weights)
    }

    func matches(_ r: EstimateRequest, granularity g: Int64, layout: DeviceLayout) -> Bool {
        modelId == r.model.id && schemeId == r.scheme.id && engineId == r.engine.id && granularity == g
            && tensorParallel == layout.tensorParallel && pipelineParallel == layout.pipelineParallel
    }
}
