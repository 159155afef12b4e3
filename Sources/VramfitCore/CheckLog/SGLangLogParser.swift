/// SGLang start-up logs (0.3 – 0.5). The lines, with the file that prints them:
///
/// - `server_args=ServerArgs(model_path='…', dtype='auto', kv_cache_dtype='auto', quantization=None,
///   context_length=None, mem_fraction_static=0.88, chunked_prefill_size=8192, tp_size=1, …)`
///   (srt/server_args.py, printed first).
/// - `Load weight begin. avail mem=X GB` and `Load weight end. type=…, dtype=…, avail mem=X GB,
///   mem usage=Y GB.` (srt/model_executor/model_runner.py): `mem usage` is the drop in free memory
///   across loading, i.e. the weights plus whatever the loader left allocated.
/// - `KV Cache is allocated. #tokens: N, K size: X GB, V size: Y GB` (MHA) or `…, KV size: X GB`
///   (MLA) (srt/mem_cache/memory_pool.py): the buffers hold N + page_size token slots (slot 0 is
///   a dummy), so K + V is a little more than N × bytes per token.
/// - `max_total_num_tokens=N, chunked_prefill_size=…, max_prefill_tokens=…, max_running_requests=…,
///   context_len=…` (srt/managers/scheduler.py).
/// - `Capture cuda graph end. Time elapsed: S s. mem usage=G GB. avail mem=…`.
///
/// Every "GB" SGLang prints is `/ (1 << 30)` (`GB = 1024 * 1024 * 1024` in memory_pool.py,
/// `get_available_gpu_memory` in srt/utils.py), i.e. GiB.
enum SGLangLogParser {
    static func parse(_ lines: [LogLine]) -> EngineLog {
        var runs = LogRuns(.sglang)
        var maxTP: Int64 = -1
        for (i, l) in lines.enumerated() {
            if l.contains("sglang.launch_server") || l.contains("sglang serve") { readCommand(LogLine.command(in: lines, at: i), into: &runs.current) }
            if l.contains("server_args=ServerArgs(") || l.contains("ServerArgs(model_path=") { runs.startMarker(line: l.number) }
            read(l, into: &runs.current, maxTP: &maxTP)
        }
        if runs.current.settings.tensorParallel == nil, maxTP >= 0 {
            runs.current.gpuCount = LogRead(maxTP + 1, line: runs.current.firstLine)
        }
        return runs.result()
    }

    /// `python -m sglang.launch_server --model-path M --tp 4 --mem-fraction-static 0.93 …` pasted
    /// with the log; server_args (printed later) restates these.
    static func readCommand(_ l: LogLine, into log: inout EngineLog) {
        let n = l.number
        var s = log.settings
        if let m = l.flag("--model-path", "--model") { log.modelName = LogRead(m, line: n) }
        func int(_ names: String...) -> LogRead<Int64>? {
            for name in names { if let v = l.flag(name), let x = Int64(v), x > 0 { return LogRead(x, line: n) } }
            return nil
        }
        s.tensorParallel = int("--tp", "--tp-size", "--tensor-parallel-size") ?? s.tensorParallel
        s.contextLength = int("--context-length") ?? s.contextLength
        s.chunkedPrefillSize = int("--chunked-prefill-size") ?? s.chunkedPrefillSize
        s.maxRunningRequests = int("--max-running-requests") ?? s.maxRunningRequests
        if let v = l.flag("--mem-fraction-static"), let f = Double(v), f > 0, f <= 1 { s.memFractionStatic = LogRead(f, line: n) }
        if let v = l.flag("--kv-cache-dtype") { s.kvCacheDtype = LogRead(v, line: n) }
        if let v = l.flag("--quantization") { s.quantization = LogRead(v, line: n) }
        log.settings = s
    }

    static func read(_ l: LogLine, into log: inout EngineLog, maxTP: inout Int64) {
        let n = l.number
        func fig(_ k: LoggedFigure.Kind, _ q: LogQuantity?) {
            guard let q else { return }
            log.addOnce(LoggedFigure(kind: k, device: "gpu0", value: q.bytes, rounding: q.rounding, line: n, text: l.text))
        }
        if let at = l.after(" TP"), let v = l.number(at: at), v.value < 4096, v.end < l.bytes.count, l.bytes[v.end] == 0x5D || l.bytes[v.end] == 0x20 {
            maxTP = max(maxTP, Int64(v.value))
        }
        if l.contains("ServerArgs(") {
            var s = log.settings
            func str(_ k: String) -> LogRead<String>? {
                guard let v = l.value(ofKey: k), v != "None", !v.isEmpty else { return nil }
                return LogRead(v, line: n)
            }
            func int(_ k: String) -> LogRead<Int64>? { str(k).flatMap { r in Int64(r.value).map { LogRead($0, line: n) } } }
            if let m = str("model_path") { log.modelName = m }
            s.dtype = str("dtype") ?? s.dtype
            s.kvCacheDtype = str("kv_cache_dtype") ?? s.kvCacheDtype
            s.quantization = str("quantization") ?? s.quantization
            s.contextLength = int("context_length") ?? s.contextLength
            if let v = str("mem_fraction_static"), let f = Double(v.value), f > 0, f <= 1 { s.memFractionStatic = LogRead(f, line: n) }
            s.maxRunningRequests = int("max_running_requests") ?? s.maxRunningRequests
            s.chunkedPrefillSize = int("chunked_prefill_size") ?? s.chunkedPrefillSize
            s.tensorParallel = int("tp_size") ?? s.tensorParallel
            s.pipelineParallel = int("pp_size") ?? s.pipelineParallel
            log.settings = s
        }
        if l.contains("Init torch distributed ends") {
            // torch.distributed / NCCL set-up before the weights (about 2 GB per GPU at TP 8).
            fig(.nonTorch, l.quantity(after: "mem usage=", gbIsGiB: true))
        }
        if l.contains("Load weight begin"), log.gpuFreeAtStart == nil, let q = l.quantity(after: "avail mem=", gbIsGiB: true) {
            log.gpuFreeAtStart = LogRead(ByteCount(fromDouble: q.bytes), line: n)
        }
        if l.contains("Load weight end") {
            fig(.weights, l.quantity(after: "mem usage=", gbIsGiB: true))
            if log.settings.dtype == nil || log.settings.dtype?.value == "auto", let d = l.value(ofKey: "dtype") {
                log.settings.dtype = LogRead(d, line: n)
            }
        }
        if l.contains("KV Cache is allocated") {
            if let t = l.integer(after: "#tokens: ") {
                log.addOnce(LoggedFigure(kind: .kvTokens, value: Double(t), rounding: 0, line: n, text: l.text))
            }
            if let k = l.quantity(after: "K size: ", gbIsGiB: true), let v = l.quantity(after: "V size: ", gbIsGiB: true) {
                log.addOnce(LoggedFigure(kind: .kvCache, device: "gpu0", value: k.bytes + v.bytes, rounding: k.rounding + v.rounding, line: n, text: l.text))
            } else {
                fig(.kvCache, l.quantity(after: "KV size: ", gbIsGiB: true))
            }
        }
        if l.contains("max_total_num_tokens=") {
            if let t = l.integer(after: "max_total_num_tokens=") {
                log.addOnce(LoggedFigure(kind: .kvTokens, value: Double(t), rounding: 0, line: n, text: l.text))
            }
            if let v = l.integer(after: "context_len=") { log.settings.contextLength = LogRead(v, line: n) }
            if let v = l.integer(after: "chunked_prefill_size=") { log.settings.chunkedPrefillSize = LogRead(v, line: n) }
            if let v = l.integer(after: "max_running_requests=") { log.settings.maxRunningRequests = LogRead(v, line: n) }
        }
        if l.contains("Capture cuda graph end") { fig(.cudaGraphs, l.quantity(after: "mem usage=", gbIsGiB: true)) }
    }
}
