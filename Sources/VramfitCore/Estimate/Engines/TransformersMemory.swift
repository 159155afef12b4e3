/// Hugging Face transformers + accelerate: `from_pretrained(device_map=…)` places whole layers on
/// devices (pipeline-style), `generate` prefills the prompt in one forward and grows a DynamicCache.
///
/// - weights: `torch.cuda.memory_allocated()` after loading: every tensor in its stored layout,
///   rounded to PyTorch's 512-byte allocation blocks (c10/cuda/CUDACachingAllocator.cpp `kMinBlockSize`).
/// - KV: DynamicCache at the model dtype; MLA models cache full per-head K/V in transformers
///   (modeling_deepseek_v3.py), sliding layers hold the window (sliding-window cache layers).
/// - activations: prefill peak of one layer (ActivationPeak.forward over the prompt) plus
///   last-token logits in fp32 (`logits_to_keep=1` since transformers 4.45), plus for
///   bitsandbytes the dequantized copy of the largest matrix (bnb dequantizes per matmul).
enum TransformersMemory {
    static func evaluate(_ r: Resolved, context: Int64, batch: Int64) -> Resolved.Evaluation {
        let kv = r.kvSize(latentMLA: false, capsSliding: true)
        let prompt = max(1, context - r.workload.newTokens)
        let bnbTransient: ByteCount = {
            switch r.scheme.storage {
            case .blockwise4bit, .perRow:
                let largest = r.weights.entries.filter { !r.scheme.keepsUnquantized($0.tensor.role, engine: r.engine.id) }
                    .map { $0.tensor.rows * $0.tensor.rowLength }.max() ?? 0
                return ByteCount(largest) * 2
            default: return .zero
            }
        }()
        var devices: [Estimate.Device] = []
        for (s, layers) in r.layout.stages.enumerated() {
            let isLast = s == r.layout.stages.count - 1
            devices += r.replicate(stage: s) { dev in
                let act = ActivationPeak.forward(r.model, tokens: prompt * batch, tensorParallel: r.layout.tensorParallel,
                                                 elementBytes: r.model.dtype.bytes) + bnbTransient
                let logits = isLast ? ActivationPeak.logits(r.model, rows: batch) : .zero
                let kvBytes = kv.bytes(layers: layers, tokens: context, sequences: batch)
                let reserveFraction = r.settings.allocatorReserveFraction
                let reserve = (act + kvBytes).scaled(by: reserveFraction)
                var c = [
                    Estimate.Component(name: "weights", kind: .weights, bytes: r.stageWeights[s], device: dev),
                    Estimate.Component(name: "KV cache (\(r.kvType.id), \(context) tokens × \(batch))", kind: .kvCache, bytes: kvBytes, device: dev),
                    Estimate.Component(name: "prefill activations", kind: .activation, bytes: act, device: dev,
                                       low: act.scaled(by: 0.6), high: act.scaled(by: 1.6)),
                ]
                if isLast {
                    c.append(Estimate.Component(name: "logits (fp32, last token)", kind: .output, bytes: logits, device: dev))
                }
                c.append(r.overheadComponent(dev))
                c.append(Estimate.Component(name: "allocator reserve", kind: .overhead, bytes: reserve, device: dev,
                                            low: .zero, high: (act + kvBytes).scaled(by: max(reserveFraction * 3, 0.1))))
                return c
            }
        }
        return .init(devices: devices)
    }
}
