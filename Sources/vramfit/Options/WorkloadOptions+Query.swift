import VramfitCore

extension WorkloadOptions {
    /// The estimate query these flags describe, shared by `estimate` and `export` so both
    /// evaluate exactly the same configuration. `engine` overrides `--engine` (export's `--to`).
    func query(model: String, gpu: String, engine: String? = nil) throws -> EstimateQuery {
        let work = Workload(
            context: context.map(Int64.init), batch: Int64(batch), newTokens: Int64(newTokens),
            kvCacheType: kvCacheDtype, flashAttention: flashAttention.map { $0 == .on },
            gpuMemoryUtilization: gpuMemoryUtilization, tensorParallel: Int64(tensorParallel ?? 1),
            pipelineParallel: Int64(pipelineParallel ?? 1), engineVersion: engineVersion,
            engineSettings: try parsedSettings())
        return EstimateQuery(model: model, gpu: gpu, quant: quant, engine: engine ?? self.engine, gpus: gpus.map(Int64.init), workload: work,
                             explicitTensorParallel: tensorParallel != nil, explicitPipelineParallel: pipelineParallel != nil)
    }
}
