/// SGLang: `mem_fraction_static × total` is the static pool for weights and the KV cache; the
/// rest is left for activations and CUDA graphs. After loading weights the token pool gets
/// (sglang/srt/model_executor/model_runner.py `profile_max_num_token`):
///   rest = free_after_weights − total × (1 − mem_fraction_static);  tokens = rest / cell_size
/// with page size 1, so the pool is token-granular. The default fraction shrinks as TP grows
/// (server_args.py: 0.88 at TP 1, 0.87 at 2, 0.85 at 4, 0.81 at 8, 0.79 at ≥ 16).
enum SGLangMemory {
    static func defaultFraction(tp: Int64) -> Double {
        switch tp {
        case ..<2: 0.88
        case 2..<4: 0.87
        case 4..<8: 0.85
        case 8..<16: 0.81
        default: 0.79
        }
    }

    static func evaluate(_ r: Resolved, context: Int64, batch: Int64) -> Resolved.Evaluation {
        let s = r.settings
        let tp = r.layout.tensorParallel
        let fraction = s.memFractionStatic ?? defaultFraction(tp: tp)
        let kv = r.kvSize(latentMLA: true, capsSliding: true)
        let total = r.gpu.usableMemory
        let chunk = s.int("chunked_prefill_size", 8192)
        var devices: [Estimate.Device] = []
        var minTokens = Int64.max
        var refusal: String?
        for (stage, layers) in r.layout.stages.enumerated() {
            let free = total - r.contextOverhead - r.stageWeights[stage]
            let rest = free - total.scaled(by: 1 - fraction)
            let perToken = kv.bytesPerToken(layers: layers)
            let tokens = rest.value > 0 ? rest / perToken : 0
            minTokens = min(minTokens, tokens)
            if rest.value <= 0 {
                refusal = "weights (\(ByteFormat.binary(r.stageWeights[stage]))) leave nothing for the KV pool under mem_fraction_static \(fraction)"
            }
            let isLast = stage == r.layout.stages.count - 1
            let forward = ActivationPeak.forward(r.model, tokens: chunk, tensorParallel: tp, elementBytes: r.model.dtype.bytes)
            let act = max(forward, isLast ? ActivationPeak.logits(r.model, rows: min(s.maxNumSeqs, chunk)) : .zero)
            let graphs = ByteCount(s.cudaGraphBytes)
            devices += r.replicate(stage: stage) { dev in
                [
                    Estimate.Component(name: "weights", kind: .weights, bytes: r.stageWeights[stage], device: dev),
                    Estimate.Component(name: "KV cache pool (\(tokens) tokens, \(r.kvType.id))", kind: .kvCache, bytes: perToken * tokens, device: dev),
                    Estimate.Component(name: "activations (chunked prefill \(chunk) tokens)", kind: .activation, bytes: act, device: dev,
                                       low: act.scaled(by: 0.6), high: act.scaled(by: 1.8)),
                    r.overheadComponent(dev),
                    Estimate.Component(name: "CUDA graphs", kind: .overhead, bytes: graphs, device: dev,
                                       low: graphs.scaled(by: 0.3), high: graphs.scaled(by: 2.5)),
                ]
            }
        }
        let tokens = minTokens == .max ? 0 : minTokens
        if refusal == nil, tokens < context * batch {
            refusal = "the KV pool holds \(tokens) tokens, fewer than \(batch) × \(context)"
        }
        return .init(devices: devices, kvTokens: tokens, refusal: refusal)
    }
}
