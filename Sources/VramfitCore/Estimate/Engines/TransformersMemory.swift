/// Hugging Face transformers + accelerate: `from_pretrained(device_map=…)` places whole layers on
/// devices (pipeline-style), `generate` prefills the prompt in one forward and grows a DynamicCache.
/// Calibrated on the H100 runs in validation/data/transformers-h100.jsonl (transformers 5.17,
/// torch 2.11, bitsandbytes 0.50); docs/accuracy.md lists every case and its error.
///
/// - weights: `torch.cuda.memory_allocated()` after loading: every tensor in its stored layout,
///   rounded to PyTorch's 512-byte allocation blocks (c10/cuda/CUDACachingAllocator.cpp `kMinBlockSize`).
/// - KV: DynamicCache at the model dtype. MLA models cache the compressed latent
///   (kv_lora_rank + rope dims per layer: 1,152 B per token per layer measured for DeepSeek-V2-Lite);
///   sliding layers hold the window after the first decode step (transformers cache_utils
///   DynamicSlidingWindowLayer keeps `window − 1` tokens plus the new one).
/// - activations: the prefill peak (TransformersPrefill), the last token's logits in fp32
///   (`logits_to_keep=1`), and cuBLAS's workspace, which PyTorch allocates through its caching
///   allocator at the first matmul (32 MiB on Hopper, as cuBLAS recommends for sm90; measured 32–33 MiB).
/// - outside the allocator: the CUDA context (GPU catalog) and the libraries loaded by the first
///   forward (cuBLAS/cuBLASLt handles and kernels: `non_torch_bytes`, 168 MiB measured on H100;
///   bitsandbytes' int8 kernels add `bnb_int8_non_torch_bytes`, 64 MiB).
/// - allocator slack: what the caching allocator reserves beyond its peak (rounding, segments it
///   cannot reuse). Two sources, and the larger shows: segments left part-used by loading
///   (`load_slack_fraction` of the weights: quantizing copies for bitsandbytes, stacking per-expert
///   tensors into fused parameters for MoE models) and the churn of the prefill's transients
///   (`allocator_reserve_fraction` of activations + KV; higher for MoE, whose per-expert blocks
///   change size from layer to layer with the routing).
enum TransformersMemory {
    static let reserveName = "allocator reserve"
    static let librariesName = "CUDA libraries (cuBLAS handles, kernels)"

    static func evaluate(_ r: Resolved, context: Int64, batch: Int64) -> Resolved.Evaluation {
        // transformers 5 DeepSeek-V2/V3 cache the latent, like the MLA engines (measured).
        let kv = r.kvSize(latentMLA: true, capsSliding: true)
        let prompt = max(1, context - r.workload.newTokens)
        let s = r.settings
        let hopper = (r.gpu.computeCapability ?? 0) >= 90
        let workspace: ByteCount = r.gpu.kind == .gpu ? .mib(hopper ? 32 : 4) : .zero
        var libraries = r.gpu.kind == .gpu ? ByteCount(s.nonTorchBytes) : .zero
        if case .perRow = r.scheme.storage, r.gpu.kind == .gpu { libraries += ByteCount(s.int("bnb_int8_non_torch_bytes", 0)) }
        let moe = r.model.moe != nil
        let reserveFraction = moe ? s.double("allocator_reserve_fraction_moe", s.allocatorReserveFraction) : s.allocatorReserveFraction
        let loadFraction: Double = {
            if moe { return s.double("load_slack_fraction_moe", 0) }
            switch r.scheme.storage {
            case .blockwise4bit, .perRow: return s.double("load_slack_fraction_bnb", 0)
            default: return s.double("load_slack_fraction", 0)
            }
        }()
        var devices: [Estimate.Device] = []
        for (stage, layers) in r.layout.stages.enumerated() {
            let isLast = stage == r.layout.stages.count - 1
            devices += r.replicate(stage: stage) { dev in
                let terms = TransformersPrefill.terms(r, prompt: prompt, batch: batch, cacheTokens: context, kv: kv)
                let act = terms.total
                let logits = isLast ? ActivationPeak.logits(r.model, rows: batch) : .zero
                let kvBytes = kv.bytes(layers: layers, tokens: context, sequences: batch)
                let reserve = max(r.stageWeights[stage].scaled(by: loadFraction), (act + kvBytes).scaled(by: reserveFraction))
                var c = [
                    Estimate.Component(name: "weights", kind: .weights, bytes: r.stageWeights[stage], device: dev),
                    Estimate.Component(name: "KV cache (\(r.kvType.id), \(context) tokens × \(batch))", kind: .kvCache, bytes: kvBytes, device: dev),
                    Estimate.Component(name: "prefill activations (\(prompt) tokens × \(batch))", kind: .activation, bytes: act, device: dev,
                                       low: act.scaled(by: 0.8), high: act.scaled(by: 1.5)),
                    Estimate.Component(name: "cuBLAS workspace", kind: .activation, bytes: workspace, device: dev),
                ]
                if isLast {
                    c.append(Estimate.Component(name: "logits (fp32, last token)", kind: .output, bytes: logits, device: dev))
                }
                c.append(r.overheadComponent(dev))
                c.append(Estimate.Component(name: librariesName, kind: .overhead, bytes: libraries, device: dev,
                                            low: libraries.scaled(by: 0.5), high: libraries.scaled(by: 2)))
                c.append(Estimate.Component(name: reserveName, kind: .overhead, bytes: reserve, device: dev,
                                            low: reserve.scaled(by: 0.3), high: reserve.scaled(by: 2.5)))
                return c
            }
        }
        return .init(devices: devices)
    }
}
