/// vLLM (and TGI, which budgets the same way): the engine takes `utilization × total` and gives
/// what weights, the profiled activation peak and non-torch memory leave to a paged KV pool.
///
/// vLLM V1 (vllm/v1/worker/gpu_worker.py `determine_available_memory`):
///   available_kv = requested_memory − (weights + torch peak increase + non-torch increase)
/// where `requested_memory = gpu_memory_utilization × total`. The profile run is a dummy forward
/// of `max_num_batched_tokens` tokens plus a sampler run over `max_num_seqs` fp32 logits.
/// The KV pool is cut into blocks of `block_size` tokens ("GPU KV cache size: N tokens") and
/// "Maximum concurrency for C tokens per request" is N / C. The CUDA context was created before
/// the baseline snapshot, and CUDA graphs are captured after the KV pool: both sit outside
/// the budget in V1 unless the catalog says the version counts graphs inside it.
enum PagedEngineMemory {
    static func evaluate(_ r: Resolved, context: Int64, batch: Int64) -> Resolved.Evaluation {
        let s = r.settings
        let util = r.engine.memoryModel == .tgi ? s.cudaMemoryFraction : s.gpuMemoryUtilization
        let kv = r.kvSize(latentMLA: true, capsSliding: s.bool("caps_sliding_window", true))
        let tp = r.layout.tensorParallel
        // vLLM takes a fraction of the device's total; TGI a fraction of the memory free after
        // the CUDA context exists (flash_causal_lm.py warmup: free memory × cuda_memory_fraction).
        let base = r.engine.memoryModel == .tgi ? r.gpu.usableMemory - r.contextOverhead : r.gpu.usableMemory
        let budget = base.scaled(by: util)
        // V0 without chunked prefill batches whole prompts: max_num_batched_tokens = max(max_model_len, 2048).
        let profileTokens = s.bool("profile_tokens_follow_context", false) ? max(context, s.maxNumBatchedTokens) : s.maxNumBatchedTokens
        var nonTorch = ByteCount(s.nonTorchBytes)
        if tp > 1 || r.layout.pipelineParallel > 1 { nonTorch += ByteCount(s.int("nccl_bytes", 0)) }
        let graphs = s.cudaGraphs ? ByteCount(s.cudaGraphBytes) : .zero

        let rope = ropeCache(r)
        var devices: [Estimate.Device] = []
        var minTokens = Int64.max
        var minSequences = Double.infinity
        var refusal: String?
        for (stage, layers) in r.layout.stages.enumerated() {
            let isLast = stage == r.layout.stages.count - 1
            let weights = r.stageWeights[stage] + rope
            let forward = ActivationPeak.forward(r.model, tokens: profileTokens, tensorParallel: tp, elementBytes: r.model.dtype.bytes)
            let sampler = isLast ? ActivationPeak.logits(r.model, rows: min(s.samplerProfileSeqs, profileTokens)) : .zero
            let act = max(forward, sampler)
            var used = weights + act + nonTorch
            if s.cudaGraphsInBudget { used += graphs }
            // TGI sizes blocks from `free × TGI_WIGGLE_ROOM` (0.93): what is left after warm-up is not all given to the cache.
            let pool = (budget - used).scaled(by: s.double("kv_pool_fraction", 1.0))
            let perToken = kv.bytesPerToken(layers: layers)
            let blockBytes = perToken * s.blockSize
            let blocks = pool.value > 0 ? pool / blockBytes : 0
            let tokens = blocks * s.blockSize
            let poolBytes = blockBytes * blocks
            minTokens = min(minTokens, tokens)
            // One sequence of `context` tokens: sliding-window layers hold only the window.
            let perSequence = kv.bytes(layers: layers, tokens: context, sequences: 1)
            minSequences = min(minSequences, perSequence.value > 0 ? Double(poolBytes.value) / Double(perSequence.value) : .infinity)
            if pool.value <= 0 {
                refusal = "no memory left for the KV cache: weights and activations need \(ByteFormat.binary(used)) of the \(ByteFormat.binary(budget)) budget (\(util) × \(ByteFormat.binary(r.gpu.usableMemory)))"
            }
            devices += r.replicate(stage: stage) { dev in
                var c = [
                    Estimate.Component(name: rope.value > 0 ? "weights (with rotary cos/sin cache)" : "weights", kind: .weights,
                                       bytes: weights, device: dev),
                    Estimate.Component(name: "KV cache pool (\(tokens) tokens, \(r.kvType.id))", kind: .kvCache, bytes: poolBytes, device: dev),
                    Estimate.Component(name: "profiled activation peak (\(profileTokens) tokens)", kind: .activation, bytes: act,
                                       device: dev, low: act.scaled(by: 0.6), high: act.scaled(by: 1.8)),
                    Estimate.Component(name: "non-torch memory", kind: .overhead, bytes: nonTorch, device: dev,
                                       low: nonTorch.scaled(by: 0.5), high: nonTorch.scaled(by: 2)),
                    r.overheadComponent(dev),
                ]
                if s.cudaGraphs {
                    c.append(Estimate.Component(name: "CUDA graphs", kind: .overhead, bytes: graphs, device: dev,
                                                low: graphs.scaled(by: 0.3), high: graphs.scaled(by: 2.5)))
                }
                return c
            }
        }
        let tokens = minTokens == .max ? 0 : minTokens
        let sequences = minSequences.isFinite ? minSequences : 0
        if refusal == nil, sequences < 1 {
            refusal = "the KV pool holds \(tokens) tokens, less than one sequence of \(context) (vLLM refuses to start: lower --max-model-len or raise --gpu-memory-utilization)"
        }
        if refusal == nil, sequences < Double(batch) {
            refusal = "the KV pool holds \(Int64(sequences)) concurrent sequences of \(context) tokens, fewer than the \(batch) asked"
        }
        // The pool's bytes are what the engine takes; utilization already bounds the device, so a
        // configuration "fits" when the engine starts and the pool holds the workload.
        return .init(devices: devices, kvTokens: tokens, concurrency: sequences, refusal: refusal)
    }

    /// vLLM's rotary embedding keeps a `cos_sin_cache` buffer of `[max_position, rotary_dim]` in the
    /// model dtype, one per model (`get_rope` is cached), loaded with the weights: Llama-3.1-8B's
    /// 131072 × 128 × 2 B = 32 MiB is the difference between its bf16 parameters (14.96 GiB) and
    /// vLLM's "Model loading took 14.99 GiB" (vllm/model_executor/layers/rotary_embedding).
    static func ropeCache(_ r: Resolved) -> ByteCount {
        guard r.settings.bool("rope_cache", false) else { return .zero }
        let rotary = r.model.mla?.qkRopeHeadDim ?? r.model.headDim
        return ByteCount(r.model.maxContext) * rotary * r.model.dtype.bytes
    }
}
