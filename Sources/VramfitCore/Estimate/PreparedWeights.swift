/// The part of an estimate that depends only on the model, the scheme, the engine (which tensors it
/// keeps unquantized, its allocation granularity) and the parallel layout — not on the GPU, the
/// context or the batch. Listing the tensors and pricing each under the scheme is most of an
/// estimate's work, so the sweep makes one of these per (model, scheme, engine) and hands it to
/// every GPU × context cell instead of recomputing it 21 × 3 times. The layout and the sums the
/// engines read per evaluation (`WeightSums`) come with it, so a cell allocates none of them.
///
/// `Resolved` uses it only when it was made for the same catalog ids, layer count, granularity and
/// layout as the request; otherwise it computes its own, so a mismatched one can cost time but
/// never change an answer.
struct PreparedWeights: Sendable {
    let modelId: String
    let numLayers: Int64
    let schemeId: String
    let engineId: String
    let granularity: Int64
    let layout: DeviceLayout
    let weights: WeightBreakdown
    let sums: WeightSums

    var tensorParallel: Int64 { layout.tensorParallel }
    var pipelineParallel: Int64 { layout.pipelineParallel }
    var stageWeights: [ByteCount] { sums.stageWeights }

    /// `tensors`: the model's inventory when the caller has it already (one per model in a sweep).
    /// `granularity` must be what `Resolved` will derive from the engine's settings.
    init(model: Model, scheme: QuantScheme, engine: Engine, granularity: Int64, tensorParallel: Int64, pipelineParallel: Int64,
         tensors: [TensorSpec]? = nil) {
        modelId = model.id; numLayers = model.numLayers; schemeId = scheme.id; engineId = engine.id
        self.granularity = granularity
        layout = DeviceLayout(numLayers: model.numLayers, pipelineParallel: pipelineParallel, tensorParallel: tensorParallel)
        weights = WeightBreakdown(tensors: tensors ?? TensorInventory.tensors(of: model), model: model, scheme: scheme,
                                  engine: engine.id, granularity: granularity)
        sums = WeightSums(weights: weights, layout: layout, scheme: scheme, engine: engine.id)
    }

    /// Whether this was made for `r`: the same ids and layer count, and the sizes `DeviceLayout`
    /// would take from the request's workload (without building its stage lists).
    func matches(_ r: EstimateRequest, granularity g: Int64) -> Bool {
        let sizes = DeviceLayout.sizes(numLayers: r.model.numLayers, pipelineParallel: r.workload.pipelineParallel,
                                       tensorParallel: r.workload.tensorParallel)
        return modelId == r.model.id && numLayers == r.model.numLayers && schemeId == r.scheme.id && engineId == r.engine.id
            && granularity == g && layout.tensorParallel == sizes.tensorParallel && layout.pipelineParallel == sizes.pipelineParallel
    }
}
