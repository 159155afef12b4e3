/// llama.cpp (and Ollama, which runs it): buffers sized once at start-up, as its log prints them.
///
/// - model buffers: GGUF tensors of the offloaded layers and `output.weight` on the GPUs;
///   `token_embd.weight` stays in host memory (llama-model.cpp keeps the input layer on the CPU,
///   where `get_rows` is cheap), so it is not charged to a GPU.
/// - KV buffer: `n_ctx` (padded to 256) × layers × (n_embd_k_gqa + n_embd_v_gqa) in the cache type;
///   with `--parallel N` the sequences share n_ctx. Sliding-window layers (iSWA cache, `swa_full`
///   off) hold `min(n_ctx_seq, pad(n_swa + n_ubatch, 256))` per sequence (llama-kv-cache-iswa.cpp).
/// - compute buffer: the graph allocator's peak for one ubatch: without flash attention the f32
///   KQ matrix `n_kv × n_ubatch × n_head` dominates; with it, the output layer's f32 logits
///   `n_vocab × n_ubatch` (Llama-3-8B at n_ubatch 512: 128256 × 512 × 4 B = 250.5 MiB, and its
///   logged CUDA0 compute buffer is 258.5 MiB). MoE graphs add the blocks the routed experts leave
///   below the later tensors (see `moeResidue`).
/// - output buffer (host): `n_vocab × 4 B × n_seq_max` ("CPU output buffer size = 0.49 MiB").
enum LlamaCppMemory {
    static let pad: Int64 = 256

    /// Block types whose matmul weights llama.cpp's CPU backend copies into an interleaved layout on an
    /// x86-64 CPU with AVX2 (ggml-cpu/repack.cpp `ggml_repack_get_optimal_repack_type`: Q4_0, Q4_K,
    /// IQ4_NL and MXFP4 when the rows are a multiple of 8; Q2_K needs AVX512). The copy is the
    /// "CPU_REPACK model buffer" the log prints beside the mmap'd file; token_embd is read with
    /// get_rows, which the repacked layout does not serve, and stays mapped only.
    static let repackedOnAVX2: Set<String> = ["Q4_0", "Q4_K", "IQ4_NL", "MXFP4"]

    static func cpuRepack(_ w: WeightBreakdown) -> ByteCount {
        w.entries.lazy.filter {
            $0.tensor.role != .tokenEmbedding && !$0.tensor.role.isVector && $0.tensor.rows % 8 == 0
                && repackedOnAVX2.contains($0.storage)
        }.reduce(.zero) { $0 + $1.bytes }
    }

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
        // iSWA (llama-kv-cache-iswa.cpp): `GGML_PAD(min(size, n_swa × (unified ? n_seq : 1) + n_ubatch), 256)`
        // cells per stream; without a unified cache (the default) every sequence is a stream of its own
        // (measured: Gemma-3-1B with 4 sequences holds 4 × 1024 sliding cells, validation/data/llamacpp-cpu.jsonl).
        let swaTokens = m.slidingWindow.map { seqs * min(nCtx / seqs, roundUp($0.window + nUbatch, pad)) }
        let hostOnly = r.gpu.kind != .gpu
        let hostName = hostOnly ? r.deviceName(stage: 0, rank: 0) : "host"
        let embd = r.sums.tokenEmbedding

        var devices: [Estimate.Device] = []
        for (stage, layers) in r.layout.stages.enumerated() {
            let isLast = stage == r.layout.stages.count - 1
            var weights = r.stageWeights[stage]
            if stage == 0 && !hostOnly { weights -= embd }
            let kvBytes = kv.bytes(layers: layers, tokens: nCtx, sequences: 1, slidingTokens: swaTokens)
            let heads = m.numAttentionHeads
            // MoE graphs (llama-graph.cpp build_moe_ffn) leave blocks below everything allocated after
            // them: the routed experts' output `[n_embd, n_expert_used, n_ubatch]` f32 stays live until the
            // last of the n_expert_used − 1 adds over its views has run (ggml-alloc frees a view's source
            // only after every view's consumers), and so do the router's f32 probabilities, the i32 argsort
            // of them and the selected weights. The next layer's tensors and, after the last layer, the
            // result norm and the logits are placed above that extent, so both phases grow by it; the output
            // phase also keeps the MoE output (and the shared expert's, when there is one) below the logits:
            // one n_embd each.
            // Fitted term by term to the logged compute buffer of validation/models.yaml's tiny-qwen2moe
            // (14 runs in validation/data/llamacpp-cpu.jsonl, n_ubatch 128–2048, FA on/off: 40,228 f32 per
            // ubatch token with FA; 13 runs within 0.6 % of the logged buffer, n_ctx 16384 with FA +2.6 %);
            // no MoE run on CUDA or with another expert count yet (docs/accuracy-notes.md).
            let moeResidue: Int64 = m.moe.map { $0.expertsPerToken * m.hiddenSize + 2 * $0.numExperts + $0.expertsPerToken } ?? 0
            let moeOutput: Int64 = m.moe.map { moeResidue + ($0.sharedExperts > 0 ? 2 : 1) * m.hiddenSize } ?? 0
            // Without flash attention: the f32 KQ scores of one ubatch against the whole cache plus the
            // f32 KQ mask of the same shape (llm_graph_input_attn_kv), and the q/k/v/out rows.
            let attnPhase: ByteCount = fa
                ? ByteCount(nUbatch) * (heads * m.headDim + 3 * ActivationPeak.mlpWidth(m) + moeResidue) * 4
                : ByteCount(nCtx) * nUbatch * (heads + 1) * 4 + ByteCount(nUbatch) * (ActivationPeak.attentionWidth(m) + moeResidue) * 4
            // The output phase: f32 logits of the ubatch and the normed hidden state. When the CPU runs the
            // whole graph, the input embeddings (get_rows of token_embd, a graph input the allocator never
            // frees) sit in the same buffer: one more n_ubatch × n_embd f32 (measured on the CPU runs in
            // validation/data/llamacpp-cpu.jsonl; on CUDA that tensor is in the host's buffer).
            // Without flash attention one more hidden-sized f32 row per token is live there on the CPU
            // (measured: +n_ubatch × n_embd × 4 B at every n_ubatch; not traced to its tensor).
            let embdInput: Int64 = hostOnly ? m.hiddenSize * (fa ? 1 : 2) : 0
            // (With a MoE graph the output phase is the same with and without flash attention: the extra
            // FA-off row is one of the blocks the MoE residue already covers.)
            let outRows = m.moe == nil ? m.vocabSize + m.hiddenSize + embdInput
                : m.vocabSize + m.hiddenSize + (hostOnly ? m.hiddenSize : 0) + moeOutput
            let outPhase = isLast ? ByteCount(nUbatch) * outRows * 4 : .zero
            let compute = max(attnPhase + ByteCount(nUbatch) * embdInput * 4, outPhase)
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
                if r.gpu.kind == .cpu && stage == 0 {
                    let repack = r.sums.cpuRepack
                    if repack.value > 0 {
                        c.append(Estimate.Component(name: "CPU repacked weights (AVX2 layouts)", kind: .weights, bytes: repack, device: dev,
                                                    low: .zero, high: repack))
                    }
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
