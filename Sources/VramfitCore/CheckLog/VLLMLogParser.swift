/// vLLM start-up logs, V0 and V1, releases 0.4 – 0.11+. The lines, with the file that prints them:
///
/// - settings: `Initializing a V1 LLM engine (v0.8.3) with config: model='…', dtype=…,
///   max_seq_len=…, tensor_parallel_size=…, quantization=…, kv_cache_dtype=…` (engine/llm_engine.py,
///   v1/engine/core.py; "Initializing an LLM engine (v0.6.3)" before 0.7), `non-default args: {…}`
///   (entrypoints/utils.py, 0.9+), `Using max model len N`, `Chunked prefill is enabled with
///   max_num_batched_tokens=N`.
/// - weights: `Model loading took X GiB and Y seconds` (v1/worker/gpu_model_runner.py),
///   `Loading model weights took X GB` (worker/model_runner.py; "GB" there is `/ float(2**30)`).
/// - the profile (worker/worker.py 0.6.5 – 0.10): `the current vLLM instance can use
///   total_gpu_memory (T) x gpu_memory_utilization (U) = B` and `model weights take W;
///   non_torch_memory takes N; PyTorch activation peak memory takes A; the rest of the memory
///   reserved for KV Cache is K`; 0.6.3/0.6.4 printed `Memory profiling results:
///   total_gpu_memory=… peak_torch_memory=… non_torch_memory=… kv_cache_size=…`; V1
///   (v1/worker/gpu_worker.py) `Available KV cache memory: K GiB`; 0.11+ `Free memory on device
///   (F/T GiB) on startup. Desired GPU memory utilization is (U, B GiB). Actual usage is … for
///   consumed memory (weights + non-torch), A GiB for peak activation, and G GiB for CUDAGraph memory`.
/// - capacity: `GPU KV cache size: N tokens`, `Maximum concurrency for T tokens per request: C x`
///   (v1/core/kv_cache_utils.py), V0 `# GPU blocks: N, # CPU blocks: M` (`# CUDA blocks` in
///   0.6.6 – 0.7; blocks of `block_size` tokens, 16 unless set).
/// - `Graph capturing finished in S secs, took G GiB`.
enum VLLMLogParser {
    static func parse(_ lines: [LogLine]) -> EngineLog {
        var runs = LogRuns(.vllm)
        var blocks: LogRead<Int64>? = nil
        var peakTorch: LoggedFigure? = nil
        for (i, l) in lines.enumerated() {
            if l.contains("vllm serve ") { readCommand(LogLine.command(in: lines, at: i), into: &runs.current) }
            if l.contains("non-default args:") || l.contains("LLM engine (v") || l.contains("with config: model=") {
                if !runs.current.figures.isEmpty {
                    // Figures that need several lines are completed before the next start-up begins.
                    finish(&runs.current, blocks: blocks, peakTorch: peakTorch)
                    blocks = nil
                    peakTorch = nil
                }
                runs.startMarker(line: l.number)
            }
            read(l, into: &runs.current, blocks: &blocks, peakTorch: &peakTorch)
        }
        finish(&runs.current, blocks: blocks, peakTorch: peakTorch)
        return runs.result()
    }

    /// Figures that need several lines: blocks × block size, the 0.6.3 peak minus the weights,
    /// V0/V1 from the version when no line said.
    static func finish(_ log: inout EngineLog, blocks: LogRead<Int64>?, peakTorch: LoggedFigure?) {
        if log.vllmV0 == nil, let v = log.engineVersion { log.vllmV0 = LogRead(!isV1Default(v.value), line: v.line) }
        if log.first(.kvTokens) == nil, let b = blocks {
            let size = log.settings.blockSize?.value ?? 16
            let tokens = Double(b.value) * Double(size)
            log.addOnce(LoggedFigure(kind: .kvTokens, value: tokens, rounding: 0, line: b.line,
                                     text: "# GPU blocks: \(b.value) (× block_size \(size))"))
        }
        if log.first(.activation) == nil, let p = peakTorch, let w = log.first(.weights) {
            // 0.6.3/0.6.4 worker.py: peak_torch_memory is torch's allocated peak during the profile
            // run, weights included; the activation peak is the difference.
            log.addOnce(LoggedFigure(kind: .activation, device: "gpu0", value: max(p.value - w.value, 0),
                                     rounding: p.rounding + w.rounding, line: p.line, text: p.text + " (minus the weights)"))
        }
    }

    static func read(_ l: LogLine, into log: inout EngineLog, blocks: inout LogRead<Int64>?, peakTorch: inout LoggedFigure?) {
        let n = l.number
        func fig(_ k: LoggedFigure.Kind, _ q: LogQuantity?, device: String? = "gpu0") {
            guard let q else { return }
            log.addOnce(LoggedFigure(kind: k, device: device, value: q.bytes, rounding: q.rounding, line: n, text: l.text))
        }
        // Engine version and V0/V1.
        if let at = l.after("LLM engine (v") {
            var end = at
            while end < l.bytes.count, l.bytes[end] != 0x29, end - at < 40 { end += 1 }
            log.engineVersion = LogRead(l.slice(at, end), line: n)
            // "Initializing an LLM engine (v0.6.3)" (before 0.7) and "a V0 LLM engine" are V0.
            log.vllmV0 = LogRead(!l.contains("V1 LLM engine"), line: n)
        } else if log.engineVersion == nil, l.contains("vLLM API server version") || l.contains("version "), l.contains("vllm") || l.contains("vLLM") || l.contains("█") {
            if let at = l.after("version ") {
                let v = l.readValue(at: at) ?? ""
                if v.first?.isNumber == true { log.engineVersion = LogRead(v, line: n) }
            }
        }
        if log.vllmV0 == nil {
            if l.contains("EngineCore") || l.contains("gpu_model_runner.py") || l.contains("kv_cache_utils.py") || l.contains("GPU KV cache size") {
                log.vllmV0 = LogRead(false, line: n)
            } else if l.contains("# CPU blocks") || l.contains("VllmWorkerProcess") || l.contains("reserved for KV Cache") {
                log.vllmV0 = LogRead(true, line: n)
            }
        }
        // Settings: the engine config line and the args dict.
        if l.contains("with config:") || l.contains("non-default args:") {
            readSettings(l, into: &log)
        }
        if let v = l.integer(after: "Using max model len ") { log.settings.maxModelLen = LogRead(v, line: n) }
        if l.contains("Chunked prefill is enabled"), let v = l.integer(after: "max_num_batched_tokens=") {
            log.settings.chunkedPrefill = LogRead(true, line: n)
            log.settings.maxNumBatchedTokens = LogRead(v, line: n)
        }
        // GPU names from collect_env output ("GPU 0: NVIDIA A100-SXM4-40GB").
        if let at = l.after("GPU 0: ") {
            let name = l.slice(at, l.bytes.count)
            if name.contains("NVIDIA") || name.contains("AMD") || name.contains("Tesla") { log.gpuNames.append(LogRead(cleanGPUName(name), line: n)) }
        }
        // Weights.
        fig(.weights, l.quantity(after: "Model loading took ", gbIsGiB: true))
        fig(.weights, l.quantity(after: "Loading model weights took ", gbIsGiB: true))
        if let at = l.after("model weights take") { fig(.weights, l.quantity(at: at, gbIsGiB: true)) }
        // The profile.
        if let at = l.after("non_torch_memory") {
            fig(.nonTorch, l.quantity(at: l.after("takes", from: at).flatMap { $0 - at < 8 ? $0 : nil } ?? at, gbIsGiB: true))
        }
        if let at = l.after("PyTorch activation peak memory") {
            fig(.activation, l.quantity(at: l.after("takes", from: at).flatMap { $0 - at < 8 ? $0 : nil } ?? at, gbIsGiB: true))
        }
        if let at = l.find(" for peak activation"), let start = lastNumberStart(l, before: at) {
            fig(.activation, l.quantity(at: start, gbIsGiB: true))
        }
        if let at = l.find(" for CUDAGraph memory"), let start = lastNumberStart(l, before: at) {
            fig(.cudaGraphs, l.quantity(at: start, gbIsGiB: true))
        }
        if let q = l.quantity(after: "peak_torch_memory=", gbIsGiB: true) {
            peakTorch = LoggedFigure(kind: .activation, device: "gpu0", value: q.bytes, rounding: q.rounding, line: n, text: l.text)
        }
        fig(.kvCache, l.quantity(after: "reserved for KV Cache is ", gbIsGiB: true))
        fig(.kvCache, l.quantity(after: "Available KV cache memory: ", gbIsGiB: true))
        fig(.kvCache, l.quantity(after: "kv_cache_size=", gbIsGiB: true))
        fig(.kvCache, l.quantity(after: "available_kv_cache_memory", gbIsGiB: true))
        fig(.kvCache, l.quantity(after: "Current kv cache memory in use is ", gbIsGiB: true))
        if let at = l.after("total_gpu_memory"), let q = l.quantity(at: at, gbIsGiB: true) {
            if log.gpuTotal == nil { log.gpuTotal = LogRead(ByteCount(fromDouble: q.bytes), line: n) }
            fig(.gpuTotal, q)
        }
        if let at = l.after("Free memory on device ("), let slash = l.after("/", from: at), let q = l.quantity(at: slash, gbIsGiB: true) {
            if log.gpuTotal == nil { log.gpuTotal = LogRead(ByteCount(fromDouble: q.bytes), line: n) }
            fig(.gpuTotal, q)
        }
        // "gpu_memory_utilization (0.99)", "gpu_memory_utilization=0.90", "gpu_memory_utilization       0.90".
        if let at = l.after("gpu_memory_utilization"), let v = l.number(at: at)?.value, v > 0, v <= 1 {
            log.settings.gpuMemoryUtilization = LogRead(v, line: n)
        }
        if let at = l.after("Desired GPU memory utilization is ("), let v = l.number(at: at)?.value, v > 0, v <= 1 {
            log.settings.gpuMemoryUtilization = LogRead(v, line: n)
        }
        // Capacity.
        if let at = l.after("GPU KV cache size: "), let v = l.number(at: at), v.value >= 0, v.value < 1e15 {
            log.addOnce(LoggedFigure(kind: .kvTokens, value: v.value, rounding: 0, line: n, text: l.text))
        }
        if let at = l.after("Maximum concurrency for "), let t = l.number(at: at), let colon = l.after("per request:", from: t.end),
           let c = l.number(at: colon), c.value >= 0, c.value < 1e15 {
            var half = 0.5
            for _ in 0..<c.decimals { half /= 10 }
            log.addOnce(LoggedFigure(kind: .maxConcurrency, value: c.value, rounding: half, line: n, text: l.text))
            if t.value >= 1, t.value < 9e15 { log.settings.concurrencyTokens = LogRead(Int64(t.value), line: n) }
        }
        // "# GPU blocks: N, # CPU blocks: M" (V0; "# CUDA blocks" in 0.6.6 – 0.7), "# GPU blocks: N" (early V1).
        if blocks == nil, let v = l.integer(after: "GPU blocks: ") ?? l.integer(after: "CUDA blocks: ") { blocks = LogRead(v, line: n) }
        if let at = l.after("Graph capturing finished"), let took = l.after("took ", from: at) {
            fig(.cudaGraphs, l.quantity(at: took, gbIsGiB: true))
        }
    }

    /// V1 became the default engine in 0.8.0.
    static func isV1Default(_ version: String) -> Bool {
        let parts = version.split(separator: ".").prefix(2).map { Int($0.prefix { $0.isNumber }) ?? 0 }
        guard parts.count == 2 else { return false }
        return parts[0] > 0 || parts[1] >= 8
    }

    /// Start of the number that ends just before `end` ("… 0.57 GiB for peak activation").
    static func lastNumberStart(_ l: LogLine, before end: Int) -> Int? {
        var i = min(end, l.bytes.count) - 1
        while i >= 0, l.bytes[i] == 0x20 || (l.bytes[i] >= 0x41 && l.bytes[i] <= 0x7A) { i -= 1 }  // unit and spaces
        var start = i
        while start >= 0, LogLine.isDigit(l.bytes[start]) || l.bytes[start] == 0x2E { start -= 1 }
        return start < i ? start + 1 : nil
    }

    static func cleanGPUName(_ s: String) -> String {
        String(s.prefix { $0 != "," && $0 != "(" }).trimmingSpaces
    }

    /// `vllm serve MODEL --tensor-parallel-size 4 …` pasted with the log: the settings it gives,
    /// until the engine's own lines (read later) restate them.
    static func readCommand(_ l: LogLine, into log: inout EngineLog) {
        let n = l.number
        var s = log.settings
        if let at = l.after("vllm serve "), let m = l.readValue(at: at), !m.hasPrefix("-"), m != "\\" { log.modelName = LogRead(m, line: n) }
        if let v = l.flag("--model"), log.modelName == nil { log.modelName = LogRead(v, line: n) }
        func int(_ names: String...) -> LogRead<Int64>? {
            for name in names { if let v = l.flag(name), let x = Int64(v), x > 0 { return LogRead(x, line: n) } }
            return nil
        }
        s.tensorParallel = int("--tensor-parallel-size", "-tp") ?? s.tensorParallel
        s.pipelineParallel = int("--pipeline-parallel-size", "-pp") ?? s.pipelineParallel
        s.maxModelLen = int("--max-model-len") ?? s.maxModelLen
        s.maxNumSeqs = int("--max-num-seqs") ?? s.maxNumSeqs
        s.maxNumBatchedTokens = int("--max-num-batched-tokens") ?? s.maxNumBatchedTokens
        s.blockSize = int("--block-size") ?? s.blockSize
        if let v = l.flag("--gpu-memory-utilization"), let u = Double(v), u > 0, u <= 1 { s.gpuMemoryUtilization = LogRead(u, line: n) }
        if let v = l.flag("--kv-cache-dtype") { s.kvCacheDtype = LogRead(v, line: n) }
        if let v = l.flag("--quantization", "-q") { s.quantization = LogRead(v, line: n) }
        if let v = l.flag("--dtype") { s.dtype = LogRead(v, line: n) }
        if l.hasFlag("--enforce-eager") { s.enforceEager = LogRead(true, line: n) }
        log.settings = s
    }

    static func readSettings(_ l: LogLine, into log: inout EngineLog) {
        let n = l.number
        var s = log.settings
        func int(_ keys: String...) -> LogRead<Int64>? {
            for k in keys {
                if let v = l.value(ofKey: k), let x = Int64(v), x >= 0 { return LogRead(x, line: n) }
            }
            return nil
        }
        func str(_ keys: String...) -> LogRead<String>? {
            for k in keys {
                if let v = l.value(ofKey: k), v != "None", !v.isEmpty { return LogRead(v, line: n) }
            }
            return nil
        }
        func bool(_ k: String) -> LogRead<Bool>? {
            guard let v = l.value(ofKey: k) else { return nil }
            return v == "True" || v == "true" ? LogRead(true, line: n) : v == "False" || v == "false" ? LogRead(false, line: n) : nil
        }
        if let m = str("model", "model_tag") { log.modelName = m }
        s.maxModelLen = int("max_seq_len", "max_model_len") ?? s.maxModelLen
        s.tensorParallel = int("tensor_parallel_size") ?? s.tensorParallel
        s.pipelineParallel = int("pipeline_parallel_size") ?? s.pipelineParallel
        s.quantization = str("quantization") ?? s.quantization
        s.kvCacheDtype = str("kv_cache_dtype") ?? s.kvCacheDtype
        s.dtype = str("dtype") ?? s.dtype
        s.enforceEager = bool("enforce_eager") ?? s.enforceEager
        s.chunkedPrefill = bool("chunked_prefill_enabled") ?? bool("enable_chunked_prefill") ?? s.chunkedPrefill
        s.maxNumSeqs = int("max_num_seqs") ?? s.maxNumSeqs
        s.maxNumBatchedTokens = int("max_num_batched_tokens") ?? s.maxNumBatchedTokens
        s.blockSize = int("block_size") ?? s.blockSize
        if let v = l.value(ofKey: "gpu_memory_utilization"), let u = Double(v), u > 0, u <= 1 { s.gpuMemoryUtilization = LogRead(u, line: n) }
        log.settings = s
    }
}
