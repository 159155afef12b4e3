/// What to change when a configuration does not fit: a smaller scheme, more GPUs, a shorter
/// context, fewer sequences. Each suggestion was itself estimated and fits.
public struct FitAdvice: Sendable {
    public struct Suggestion: Sendable {
        public var change: String
        public var estimate: Estimate
    }
    public var suggestions: [Suggestion]
    public init(suggestions: [Suggestion]) { self.suggestions = suggestions }

    /// Explores around `base`: every catalog scheme whose default engine runs on this target
    /// (best quality first), 2–8 GPUs, the largest context and batch that fit.
    public static func advise(_ base: PreparedEstimate, catalog: Catalog, explicitEngine: Bool, limit: Int = 3) -> FitAdvice {
        var out: [Suggestion] = []
        let r = base.request
        let current = try? Estimator.estimate(r)

        // 1. Schemes that fit with the same GPUs, best quality first.
        let schemes = catalog.schemes
            // `ggml-*` are llama-quantize --pure single-type files: rarely what anyone downloads.
            .filter { $0.id != r.scheme.id && $0.qualityRank > 0 && !$0.id.hasPrefix("ggml-") }
            .sorted { $0.qualityRank > $1.qualityRank }
        var schemeHits = 0
        for s in schemes where schemeHits < limit {
            guard let e = explicitEngine ? r.engine : try? catalog.defaultEngine(for: s, gpu: r.gpu) else { continue }
            if explicitEngine && !s.engines.contains(e.id) { continue }
            if let cc = s.minComputeCapability, let have = r.gpu.computeCapability, have < cc { continue }
            if s.storesBF16 && r.gpu.kind == .gpu && !r.gpu.supportsBF16 { continue }
            var req = r
            req.scheme = s
            req.engine = e
            req.workload.kvCacheType = nil
            if let est = try? Estimator.estimate(req), est.fits {
                out.append(Suggestion(change: "use \(s.id) (\(s.name)) with \(e.name)", estimate: est))
                schemeHits += 1
            }
        }
        // 2. More GPUs of the same kind, same scheme and engine.
        if r.gpu.kind == .gpu {
            for n in [2, 4, 8] as [Int64] where n > r.workload.gpus {
                var req = r
                let splitsLayers = r.engine.memoryModel.splitsLayers
                req.workload.tensorParallel = splitsLayers ? 1 : n
                req.workload.pipelineParallel = splitsLayers ? min(n, r.model.numLayers) : 1
                if let est = try? Estimator.estimate(req), est.fits {
                    out.append(Suggestion(change: "use \(n) × \(r.gpu.name)", estimate: est))
                    break
                }
            }
        }
        // 3. A quantized KV cache (8-bit halves it), same scheme and engine.
        let kvCandidate: String? = switch r.engine.memoryModel {
        case .llamaCpp, .ollama: "q8_0"
        case .vllm, .sglang: "fp8"
        default: nil
        }
        if let kv = kvCandidate, r.workload.kvCacheType?.lowercased() != kv, catalog.kvCacheTypes.contains(where: { $0.id == kv }) {
            var req = r
            req.workload.kvCacheType = kv
            if let est = try? Estimator.estimate(req), est.fits {
                out.append(Suggestion(change: "use a \(kv) KV cache", estimate: est))
            }
        }
        // 4. A shorter context or fewer sequences, same everything else.
        if let c = current, c.maxContext > 0, c.maxContext < c.context {
            var req = r
            req.workload.context = c.maxContext
            req.workload.newTokens = min(req.workload.newTokens, c.maxContext - 1)
            if let est = try? Estimator.estimate(req), est.fits {
                out.append(Suggestion(change: "shorten the context to \(c.maxContext) tokens", estimate: est))
            }
        }
        if let c = current, c.batch > 1, c.maxBatch > 0, c.maxBatch < c.batch {
            var req = r
            req.workload.batch = c.maxBatch
            if let est = try? Estimator.estimate(req), est.fits {
                out.append(Suggestion(change: "run \(c.maxBatch) sequences at a time instead of \(c.batch)", estimate: est))
            }
        }
        return FitAdvice(suggestions: out)
    }
}

extension QuantScheme {
    /// The scheme's weights are bfloat16 as stored (bf16, GGUF BF16): GPUs without bf16 can't use it as is.
    var storesBF16: Bool {
        switch storage {
        case .ggml(.bf16): return true
        case .dense(let b, _): return b == 2 && unquantizedDType == .bf16
        default: return false
        }
    }
}
