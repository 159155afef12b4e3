/// The estimator's workload for what a log says the engine ran: each memory-relevant setting
/// from its line, the engine's default where the log is silent (and the report says which).
enum LogWorkload {
    struct Plan {
        var workload = Workload()
        var settings: [LogCheckSetting] = []
        var notes: [String] = []

        mutating func note<T>(_ name: String, _ r: LogRead<T>?, _ show: (T) -> String = { "\($0)" }) {
            if let r { settings.append(LogCheckSetting(name: name, value: show(r.value), line: r.line, origin: "log")) }
        }
        mutating func defaulted(_ name: String, _ value: String) {
            settings.append(LogCheckSetting(name: name, value: value, line: nil, origin: "engine default"))
        }
    }

    static func plan(_ log: EngineLog, gpu: GPU) -> Plan {
        var p: Plan
        switch log.engine {
        case .vllm: p = vllm(log)
        case .sglang: p = sglang(log)
        case .llamaCpp, .ollama: p = llamaCpp(log)
        }
        // Engine settings past any real deployment are dropped (the engine's default applies) so
        // arithmetic on them stays in range; the note says which. Context, batch and parallel
        // sizes are checked by the estimator itself (EstimateError, with the value).
        for (key, limit) in plausible {
            if let v = p.workload.engineSettings[key], v > limit {
                p.workload.engineSettings[key] = nil
                p.notes.append("ignored \(key) = \(String(format2: v)) from the log: beyond \(Int64(limit))")
            }
        }
        return p
    }

    static let plausible: [(String, Double)] = [
        ("n_ubatch", Double(1 << 24)), ("n_batch", Double(1 << 24)), ("num_parallel", Double(Estimator.maxBatchLimit)),
        ("max_num_seqs", Double(Estimator.maxBatchLimit)), ("max_num_batched_tokens", Double(Estimator.maxContextLimit)),
        ("block_size", Double(1 << 16)), ("chunked_prefill_size", Double(Estimator.maxContextLimit)),
    ]

    static func vllm(_ log: EngineLog) -> Plan {
        var p = Plan()
        let s = log.settings
        var w = Workload()
        w.context = s.maxModelLen?.value ?? s.concurrencyTokens?.value
        p.note("max_model_len", s.maxModelLen)
        if s.maxModelLen == nil {
            if let t = s.concurrencyTokens { p.settings.append(LogCheckSetting(name: "max_model_len", value: "\(t.value)", line: t.line, origin: "log (the concurrency line's request length)")) } else { p.defaulted("max_model_len", "the model's maximum") }
        }
        w.tensorParallel = max(s.tensorParallel?.value ?? 1, 1)
        w.pipelineParallel = max(s.pipelineParallel?.value ?? 1, 1)
        p.note("tensor_parallel_size", s.tensorParallel)
        p.note("pipeline_parallel_size", s.pipelineParallel)
        w.gpuMemoryUtilization = s.gpuMemoryUtilization?.value
        if s.gpuMemoryUtilization == nil { p.defaulted("gpu_memory_utilization", "0.9") } else { p.note("gpu_memory_utilization", s.gpuMemoryUtilization) }
        w.kvCacheType = LogSchemeResolver.kvCacheID(s.kvCacheDtype?.value)
        p.note("kv_cache_dtype", s.kvCacheDtype)
        var es: [String: Double] = [:]
        if let v = s.maxNumSeqs { es["max_num_seqs"] = Double(v.value); p.note("max_num_seqs", v) }
        if let v = s.maxNumBatchedTokens { es["max_num_batched_tokens"] = Double(v.value); p.note("max_num_batched_tokens", v) }
        if let v = s.blockSize { es["block_size"] = Double(v.value); p.note("block_size", v) }
        if s.enforceEager?.value == true { es["cuda_graphs"] = 0; p.note("enforce_eager", s.enforceEager) }
        if let v0 = log.vllmV0, v0.value {
            w.engineVersion = "v0"
            p.settings.append(LogCheckSetting(name: "engine", value: "V0", line: v0.line, origin: "log"))
            // V0 with chunked prefill (on by default above 32k context) profiles max_num_batched_tokens,
            // not the whole context (vllm/config.py SchedulerConfig).
            if s.chunkedPrefill?.value == true {
                es["profile_tokens_follow_context"] = 0
                p.note("chunked_prefill", s.chunkedPrefill)
            }
        } else if let v0 = log.vllmV0 {
            p.settings.append(LogCheckSetting(name: "engine", value: "V1", line: v0.line, origin: "log"))
        }
        w.engineSettings = es
        p.workload = w
        return p
    }

    static func sglang(_ log: EngineLog) -> Plan {
        var p = Plan()
        let s = log.settings
        var w = Workload()
        w.context = s.contextLength?.value
        if s.contextLength == nil { p.defaulted("context_length", "the model's maximum") } else { p.note("context_len", s.contextLength) }
        w.tensorParallel = max(s.tensorParallel?.value ?? log.gpuCount?.value ?? 1, 1)
        p.note("tp_size", s.tensorParallel ?? log.gpuCount)
        w.pipelineParallel = max(s.pipelineParallel?.value ?? 1, 1)
        w.kvCacheType = LogSchemeResolver.kvCacheID(s.kvCacheDtype?.value)
        p.note("kv_cache_dtype", s.kvCacheDtype)
        var es: [String: Double] = [:]
        if let f = s.memFractionStatic { es["mem_fraction_static"] = f.value; p.note("mem_fraction_static", f) } else {
            p.defaulted("mem_fraction_static", "by TP size (0.88 at TP 1)")
        }
        if let c = s.chunkedPrefillSize { es["chunked_prefill_size"] = Double(c.value); p.note("chunked_prefill_size", c) }
        if let r = s.maxRunningRequests { es["max_num_seqs"] = Double(r.value); p.note("max_running_requests", r) }
        w.engineSettings = es
        p.workload = w
        return p
    }

    /// llama.cpp and Ollama: `n_ctx` is shared by `n_seq_max` sequences, so the context per
    /// sequence is n_ctx / n_seq and the batch n_seq (llama-context.cpp n_ctx_per_seq).
    static func llamaCpp(_ log: EngineLog) -> Plan {
        var p = Plan()
        let s = log.settings
        var w = Workload()
        let ollama = log.engine == .ollama
        let seqs = max(ollama ? (s.parallel?.value ?? s.nSeqMax?.value ?? 1) : (s.nSeqMax?.value ?? 1), 1)
        if let n = s.nCtx {
            w.context = max(n.value / seqs, 1)
            p.note("n_ctx", n)
        } else {
            p.defaulted("n_ctx", ollama ? "4096 (Ollama's num_ctx)" : "4096")
        }
        var es: [String: Double] = [:]
        if ollama {
            es["num_parallel"] = Double(seqs)
            p.note("parallel", s.parallel ?? s.nSeqMax)
        } else {
            w.batch = seqs
            p.note("n_seq_max", s.nSeqMax)
        }
        if let b = s.nBatch { es["n_batch"] = Double(b.value); p.note("n_batch", b) }
        if let u = s.nUbatch {
            es["n_ubatch"] = Double(u.value)
            p.note("n_ubatch", u)
        } else if ollama, let b = s.nBatch {
            // Ollama's runners set n_ubatch = n_batch = --batch-size (runner/llamarunner).
            es["n_ubatch"] = Double(b.value)
        }
        if let fa = s.flashAttention {
            w.flashAttention = fa.value
            p.note("flash_attn", fa) { $0 ? "on" : "off" }
        } else if !ollama, let v = log.engineVersion, let build = Int64(v.value.dropFirst()), build < 6325 {
            // -fa auto (on where supported) became the default in b6325; older builds ran without it.
            w.engineVersion = "pre-fa-auto"
            p.settings.append(LogCheckSetting(name: "flash_attn", value: "off (default before b6325)", line: v.line, origin: "engine default"))
        }
        if let k = s.typeK {
            w.kvCacheType = LogSchemeResolver.kvCacheID(k.value)
            p.note("type_k", k)
            if let v = s.typeV, v.value != k.value {
                p.note("type_v", v)
                p.notes.append("K and V caches differ (\(k.value) / \(v.value)); vramfit sizes both as \(k.value)")
            }
        }
        // Layer split over the GPUs that got model buffers.
        let bufferKinds: Set<LoggedFigure.Kind> = [.modelBuffer, .kvCache, .computeBuffer]
        let gpus = Set(log.figures.filter { bufferKinds.contains($0.kind) && $0.device != nil && !$0.isHostBuffer }.compactMap(\.device)).count
        w.pipelineParallel = Int64(max(gpus, 1))
        if let g = s.gpuLayers, let t = s.totalLayers, g.value < t.value {
            p.notes.append("partial offload: \(g.value) of \(t.value) layers on the GPU (line \(g.line)); vramfit places all layers on the GPU, so only totals over all devices are compared")
        }
        w.engineSettings = es
        p.workload = w
        return p
    }
}
