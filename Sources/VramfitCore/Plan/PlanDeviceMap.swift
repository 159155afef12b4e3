/// The device map `plan` shows: for the best candidate whose engine splits layers (transformers,
/// llama.cpp, Ollama), over the plan's GPUs plus any other GPUs in the same box, with CPU RAM
/// for what does not fit. When no candidate fits, the map is made for the asked scheme (or the
/// model's own) so the user sees what CPU offload would take, with the offload rule's verdict.
public struct PlannedDeviceMap: Sendable {
    public var estimate: Estimate
    /// Rank of the plan candidate the map is for; nil when no candidate fits.
    public var candidateRank: Int?
    public var gpus: [GPU]
    public var map: DeviceMap
    /// Rules that fire for this placement (CPU offload is for offline use).
    public var verdicts: [Verdict]
}

extension Planner {
    public static func deviceMap(for plan: Plan, catalog: Catalog, extraGPUs: [GPU] = [], hostMemory: ByteCount? = nil) throws
        -> PlannedDeviceMap?
    {
        let q = plan.query
        let splits: (Engine) -> Bool = { $0.memoryModel.splitsLayers }
        let estimate: Estimate
        var count = q.gpusPerNode
        var rank: Int?
        if let i = plan.candidates.firstIndex(where: { splits($0.engine) }) {
            estimate = plan.candidates[i].estimate
            count = estimate.gpus
            rank = i + 1
        } else {
            guard !extraGPUs.isEmpty || hostMemory != nil || plan.candidates.isEmpty else { return nil }
            let s = try q.quant.map { try catalog.scheme($0).value }
                ?? catalog.scheme(q.model.nativeQuant ?? (q.model.dtype == .fp16 ? "fp16" : "bf16")).value
            let engineId = q.engine ?? s.engines.first { id in catalog.engines.first { $0.id == id }.map(splits) ?? false }
            guard let id = engineId, let e = catalog.engines.first(where: { $0.id == id }), splits(e) else { return nil }
            estimate = try Estimator.estimate(EstimateRequest(
                model: q.model, scheme: s, gpu: q.gpu, engine: e, kvCacheTypes: catalog.kvCacheTypes,
                workload: Workload(context: plan.context, batch: q.concurrency, kvCacheType: q.kvCacheType)))
        }
        let gpus = Array(repeating: q.gpu, count: Int(count)) + extraGPUs
        let map = DeviceMapper.map(for: estimate, gpus: gpus, hostMemory: hostMemory)
        let subject = RuleSubject(model: q.model, scheme: estimate.scheme, engine: estimate.engine, gpu: q.gpu,
                                  kvCache: estimate.kvCacheType.id, pipelineParallel: Int64(gpus.count), gpusPerNode: Int64(gpus.count),
                                  cpuOffload: !map.fitsOnGPUs)
        return PlannedDeviceMap(estimate: estimate, candidateRank: rank, gpus: gpus, map: map, verdicts: catalog.rules.evaluate(subject))
    }
}
