/// llama.cpp (and Ollama, which runs it): buffers sized once at start-up, as its log prints them.
///
/// - model buffers: GGUF tensors of the offloaded layers and `output.weight` on the GPUs;
///   `token_embd.weight` stays in host memory (llama-model.cpp keeps the input layer on the CPU,
///   where `get_rows` is cheap), so it is not charged to a GPU.
/// - KV buffer: `n_ctx` (padded to 256) × layers × (n_embd_k_gqa + n_embd_v_gqa) in the cache type;
///   with `--parallel N` the sequences share n_ctx. Sliding-window layers (iSWA cache, `swa_full`
///   off) hold `min(n_ctx, pad(n_swa × n_seq + n_ubatch, 256))` (llama-kv-cache-iswa.cpp).
/// - compute buffer: the graph allocator's peak for one ubatch: without flash attention the f32
///   KQ matrix `n_kv × n_ubatch × n_head` dominates; with it, the output layer's f32 logits
///   `n_vocab × n_ubatch` (Llama-3-8B at n_ubatch 512: 128256 × 512 × 4 B = 250.5 MiB, and its
///   logged CUDA0 compute buffer is 258.5 MiB).
/// - output buffer (host): `n_vocab × 4 B × n_seq_max` ("CPU output buffer size = 0.49 MiB").
enum LlamaCppMemory {
    static let pad: Int64 = 256

    static func roundUp(_ n: Int64, _ m: Int64) -> Int64 { (n + m - 1) / m * m }

    static func evaluate(_ r: Resolved, context: Int64, batch: Int64) -> Resolved.Evaluation {
        let s = r.settings
        let m = r.model
        let isOllama = r.engine.memoryModel == .ollama
        let seqs = max(batch, isOllama ? s.numParallel : 1)
        let nCtx = roundUp(context * seqs, pad)
        let nUbatch = min(s.nUbatch, nCtx)
        let fa = s.flashAttention
        let kv = r.kvSize(latentMLA: true, capsSliding: true)
        let swaTokens = m.slidingWindow.map { min(nCtx, roundUp($0.window * seqs + nUbatch, pad)) }
        let hostOnly = r.gpu.kind != .gpu
        let hostName = hostOnly ? r.deviceName(stage: 0, rank: 0) : "host"
        let embd = r.weights.bytes { $0.role == .tokenEmbedding }

        var devices: [Estimate.Device] = []
        for (stage, layers) in r.layout.stages.enumerated() {
            let isLast = stage == r.layout.stages.count - 1
            var weights = r.stageWeights[stage]
            if stage == 0 && !hostOnly { weights -= embd }
            let kvBytes = kv.bytes(layers: layers, tokens: nCtx, sequences: 1, slidingTokens: swaTokens)
            let heads = m.numAttentionHeads
            let attnPhase: ByteCount = fa
                ? ByteCount(nUbatch) * (heads * m.headDim + 3 * ActivationPeak.mlpWidth(m)) * 4
                : ByteCount(nCtx) * nUbatch * heads * 4 + ByteCount(nUbatch) * ActivationPeak.attentionWidth(m) * 4
            let outPhase = isLast ? ByteCount(nUbatch) * (m.vocabSize + m.hiddenSize) * 4 : .zero
            let compute = max(attnPhase, outPhase)
            devices += r.replicate(stage: stage) { dev in
                var c = [
                    Estimate.Component(name: "model buffer", kind: .weights, bytes: weights, device: dev),
                    Estimate.Component(name: "KV buffer (n_ctx \(nCtx), \(r.kvType.id))", kind: .kvCache, bytes: kvBytes, device: dev),
                    Estimate.Component(name: "compute buffer (n_ubatch \(nUbatch), flash attention \(fa ? "on" : "off"))",
                                       kind: .activation, bytes: compute, device: dev,
                                       low: compute.scaled(by: 0.7), high: compute.scaled(by: 1.4)),
                    r.overheadComponent(dev),
                ]
                if isOllama && !hostOnly {
                    // Ollama keeps a minimum of free memory per CUDA GPU (discover/gpu.go: 457 MiB).
                    let reserve = ByteCount(s.int("minimum_free_bytes", 0))
                    c.append(Estimate.Component(name: "Ollama minimum free memory", kind: .overhead, bytes: reserve, device: dev))
                }
                if hostOnly && stage == 0 {
                    c.append(Estimate.Component(name: "output buffer (host)", kind: .output, bytes: ByteCount(m.vocabSize) * 4 * seqs, device: dev))
                }
                return c
            }
        }
        if !hostOnly {
            devices.append(Estimate.Device(name: hostName, capacity: .zero, isAccelerator: false, components: [
                Estimate.Component(name: "token_embd (host)", kind: .weights, bytes: embd, device: hostName),
                Estimate.Component(name: "output buffer (host)", kind: .output, bytes: ByteCount(m.vocabSize) * 4 * seqs, device: hostName),
            ]))
        }
        return .init(devices: devices)
    }
}
