/// llama.cpp start-up logs (llama-server, llama-cli, llama-cpp-python, and the runner Ollama
/// embeds). Function-name prefixes changed over time (b3000 `llm_load_print_meta:` /
/// `llm_load_tensors:` / `llama_new_context_with_model:`; b4500+ `print_info:` / `load_tensors:` /
/// `llama_context:`; b5500+ `llama_kv_cache_unified:`, b6500+ `llama_kv_cache:`), so lines are
/// matched by what follows the prefix:
///
/// - model: `general.name`, `arch`, `n_vocab`, `n_ctx_train`, `n_embd`, `n_layer`, `n_head`,
///   `n_head_kv`, `n_embd_head_k`, `n_ff`, `n_expert`, `n_expert_used`, `n_swa`, `file type =
///   Q4_K - Medium` (`model ftype` before b4500), `file size = 4.58 GiB (4.89 BPW)`, `model params =
///   8.03 B` (src/llama-model.cpp print_info), and the loader's `- kv N: key type = value` lines.
/// - placement: `offloaded 33/33 layers to GPU`; `CUDA0 model buffer size = X MiB`,
///   `CPU_Mapped model buffer size = X MiB` (`CUDA0 buffer size` before b3400).
/// - context: `n_ctx`, `n_seq_max`, `n_batch`, `n_ubatch`, `flash_attn` (src/llama-context.cpp);
///   `CUDA0 KV buffer size = X MiB`, `KV self size = X MiB, K (f16): …, V (f16): …` or
///   `size = X MiB (4096 cells, 32 layers, 1/1 seqs), K (f16): …` (src/llama-kv-cache*.cpp);
///   `CUDA_Host output buffer size`, `CUDA0 compute buffer size`, `CUDA_Host compute buffer size`.
/// - GPUs: `Device 0: NVIDIA GeForce RTX 4090, compute capability 8.9, VMM: yes`
///   (ggml-cuda.cu), `using device CUDA0 (NVIDIA …) - N MiB free`; `build: 4701 (be3bbd62)`.
///
/// All llama.cpp sizes are printed in MiB (`/ 1024.0 / 1024.0`).
enum LlamaCppLogParser {
    static func parse(_ lines: [LogLine]) -> EngineLog {
        var runs = LogRuns(.llamaCpp)
        for l in lines {
            if isStartMarker(l) { runs.startMarker(line: l.number) }
            read(l, into: &runs.current)
        }
        return runs.result()
    }

    static func isStartMarker(_ l: LogLine) -> Bool {
        l.contains("llama_model_loader: loaded meta data") || l.contains("print_info: file format")
            || l.contains("llm_load_print_meta: format")
    }

    /// Prefixes of the lines that print the model's dimensions.
    static let metaPrefixes = ["print_info:", "llm_load_print_meta:"]
    static let contextPrefixes = ["llama_context:", "llama_new_context_with_model:", "llama_init_from_model:"]

    static func read(_ l: LogLine, into log: inout EngineLog) {
        let n = l.number
        if let at = l.after("build: "), l.bytes.count - at < 200, let v = l.number(at: at), v.value >= 1, v.value < 1e7, l.contains("(") {
            log.engineVersion = LogRead("b\(Int64(v.value))", line: n)
        }
        // GPUs.
        if let at = l.after("Device "), let colon = l.after(": ", from: at), l.contains("compute capability") || l.contains("VMM") {
            let name = l.slice(colon, l.find(",", from: colon) ?? l.bytes.count).trimmingSpaces
            if !name.isEmpty && !log.gpuNames.contains(where: { $0.value == name }) { log.gpuNames.append(LogRead(name, line: n)) }
        }
        if let at = l.after("using device "), let open = l.after("(", from: at), let close = l.find(")", from: open) {
            let name = l.slice(open, close).trimmingSpaces
            if !name.isEmpty && !log.gpuNames.contains(where: { $0.value == name }) { log.gpuNames.append(LogRead(name, line: n)) }
        }
        // Model metadata.
        if let at = metaPrefixes.lazy.compactMap({ l.after($0) }).first { readMeta(l, at: at, into: &log) }
        if l.contains("llama_model_loader: - kv") { readLoaderKV(l, into: &log) }
        // Placement and buffers.
        if let at = l.after("offloaded "), let slash = l.find("/", from: at), l.contains("layers to GPU"),
           let g = l.number(at: at), let t = l.number(at: slash + 1), g.value < 1e5, t.value < 1e5 {
            log.settings.gpuLayers = LogRead(Int64(g.value), line: n)
            log.settings.totalLayers = LogRead(Int64(t.value), line: n)
        }
        if let at = l.find("buffer size =") ?? l.find("buffer size:") {
            readBuffer(l, markerAt: at, into: &log)
        }
        // Total KV ("KV self size = …" before b5500, "size = … (… cells, … layers, …)" after).
        if l.contains("KV self size") || (l.contains("llama_kv_cache") && l.contains(" cells,") && l.contains("size =")) {
            // "KV self size  =  144.00 MiB, …" (two spaces before '=') or "llama_kv_cache: size = 512.00 MiB (…)".
            if let at = l.after("KV self size") ?? l.after(": size ="), let q = l.quantity(at: at, gbIsGiB: false) {
                log.addSumming(LoggedFigure(kind: .kvCache, device: nil, value: q.bytes, rounding: q.rounding, line: n, text: l.text))
            }
            if let k = typeInParens(l, after: "K ("), log.settings.typeK == nil { log.settings.typeK = LogRead(k, line: n) }
            if let v = typeInParens(l, after: "V ("), log.settings.typeV == nil { log.settings.typeV = LogRead(v, line: n) }
        }
        if let at = l.after("type_k = ") ?? l.after("type_k="), let k = l.readValue(at: at) { log.settings.typeK = LogRead(k.lowercased(), line: n) }
        if let at = l.after("type_v = ") ?? l.after("type_v="), let v = l.readValue(at: at) { log.settings.typeV = LogRead(v.lowercased(), line: n) }
        // Context settings.
        if let at = contextPrefixes.lazy.compactMap({ l.after($0) }).first, let (key, value) = keyValue(l, at: at) {
            switch key {
            case "n_ctx": if let v = Int64(value) { log.settings.nCtx = LogRead(v, line: n) }
            case "n_seq_max": if let v = Int64(value) { log.settings.nSeqMax = LogRead(v, line: n) }
            case "n_batch": if let v = Int64(value) { log.settings.nBatch = LogRead(v, line: n) }
            case "n_ubatch": if let v = Int64(value) { log.settings.nUbatch = LogRead(v, line: n) }
            case "flash_attn":
                switch value.lowercased() {
                case "1", "true", "enabled", "on": log.settings.flashAttention = LogRead(true, line: n)
                case "0", "false", "disabled", "off": log.settings.flashAttention = LogRead(false, line: n)
                default: break  // "auto": resolved by a later line
                }
            default: break
            }
        }
        // The KV cache's cell count is n_ctx (padded): "kv_size = 4096", "(4096 cells, …)".
        if log.settings.nCtx == nil, l.contains("llama_kv_cache"), let v = l.integer(after: "kv_size = ") {
            log.settings.nCtx = LogRead(v, line: n)
        }
        if log.settings.nCtx == nil, l.contains("llama_kv_cache"), let open = l.find("("), let v = l.number(at: open + 1), l.contains(" cells") {
            if v.value >= 1, v.value < 1e10 { log.settings.nCtx = LogRead(Int64(v.value), line: n) }
        }
        if l.contains("pipeline parallelism enabled (n_copies="), let c = l.integer(after: "n_copies="), !log.notes.contains(where: { $0.hasPrefix("pipeline parallelism") }) {
            log.notes.append("pipeline parallelism enabled with \(c) graph copies (line \(n)): llama.cpp keeps \(c) copies of the inputs for overlapping micro-batches; vramfit sizes one compute graph per GPU")
        }
        if l.contains("Flash Attention was auto, set to ") {
            log.settings.flashAttention = LogRead(l.contains("set to enabled"), line: n)
        }
    }

    /// `key = value` after a prefix, key and value trimmed.
    static func keyValue(_ l: LogLine, at: Int) -> (String, String)? {
        guard let eq = l.find("=", from: at) else { return nil }
        let key = l.slice(at, eq).trimmingSpaces
        guard !key.isEmpty, key.count < 40 else { return nil }
        let value = l.slice(eq + 1, l.bytes.count).trimmingSpaces
        return (key, value)
    }

    static func readMeta(_ l: LogLine, at: Int, into log: inout EngineLog) {
        let n = l.number
        guard let (key, value) = keyValue(l, at: at) else { return }
        var a = log.architecture ?? LoggedArchitecture()
        if a.firstLine == nil { a.firstLine = n }
        func int() -> Int64? {
            // Arrays ("n_head_kv = [8, 8, 0, …]") give their largest entry; the model's shape is the widest layer.
            guard let eq = l.find("=", from: at) else { return nil }
            var i = eq + 1
            var best: Double? = nil
            while let v = l.number(at: i) {
                best = max(best ?? v.value, v.value)
                i = v.end
                while i < l.bytes.count, l.bytes[i] == 0x2C || l.bytes[i] == 0x20 || l.bytes[i] == 0x5B { i += 1 }
                if value.first != "[" { break }
            }
            guard let b = best, b >= 0, b < 1e12 else { return nil }
            return Int64(b)
        }
        switch key {
        case "arch": a.arch = value
        case "general.name": a.name = value
        case "n_vocab": a.vocab = int()
        case "n_ctx_train": a.contextTrain = int()
        case "n_embd": a.embedding = int()
        case "n_layer": a.layers = int()
        case "n_head": a.heads = int()
        case "n_head_kv": a.kvHeads = int()
        case "n_embd_head_k": a.headDimK = int()
        case "n_embd_head_v": a.headDimV = int()
        case "n_ff": a.feedForward = int()
        case "n_expert": a.experts = int()
        case "n_expert_used": a.expertsUsed = int()
        case "n_ff_exp": a.expertFeedForward = int()
        case "n_expert_shared": a.sharedExperts = int()
        case "n_layer_dense_lead": a.leadingDenseLayers = int()
        case "n_swa": a.slidingWindow = int()
        case "n_rot": a.rotaryDims = int()
        case "n_lora_q": a.qLoraRank = int()
        case "n_lora_kv": a.kvLoraRank = int()
        case "model params":
            if let eq = l.find("=", from: at), let v = l.number(at: eq + 1) {
                let scale: Double = value.hasSuffix("B") ? 1e9 : value.hasSuffix("M") ? 1e6 : value.hasSuffix("K") ? 1e3 : 1
                a.parameters = v.value * scale
                var half = 0.5
                for _ in 0..<v.decimals { half /= 10 }
                log.addOnce(LoggedFigure(kind: .parameters, value: v.value * scale, rounding: half * scale, line: n, text: l.text))
            }
        case "file type", "model ftype":
            log.fileType = LogRead(value, line: n)
        case "file size", "model size":
            if let eq = l.find("=", from: at), let q = l.quantity(at: eq + 1, gbIsGiB: false) {
                log.addOnce(LoggedFigure(kind: .fileSize, value: q.bytes, rounding: q.rounding, line: n, text: l.text))
            }
        default: break
        }
        if let name = a.name, log.modelName == nil { log.modelName = LogRead(name, line: n) }
        log.architecture = a
    }

    /// `llama_model_loader: - kv  17: llama.block_count u32 = 32`: the GGUF metadata itself,
    /// for logs cut before print_info (and Ollama runners that print only these).
    static func readLoaderKV(_ l: LogLine, into log: inout EngineLog) {
        guard let colon = l.after(": ", from: (l.find("- kv") ?? 0) + 4), let eq = l.find(" = ", from: colon) else { return }
        let lhs = l.slice(colon, eq).trimmingSpaces
        guard let space = lhs.lastIndex(of: " ") else { return }
        let key = String(lhs[..<space]).trimmingSpaces
        let value = l.slice(eq + 3, l.bytes.count).trimmingSpaces
        var a = log.architecture ?? LoggedArchitecture()
        if a.firstLine == nil { a.firstLine = l.number }
        let int = Int64(value.prefix { $0.isNumber })
        let suffix = key.split(separator: ".", maxSplits: 1).last.map(String.init) ?? key
        switch key {
        case "general.name": if a.name == nil { a.name = value }
        case "general.architecture": if a.arch == nil { a.arch = value }
        case "general.file_type":
            if log.fileType == nil, let v = int { log.fileType = LogRead("\(v)", line: l.number) }
        default:
            guard key.hasPrefix((a.arch ?? "§") + ".") else { break }
            switch suffix {
            case "block_count": a.layers = a.layers ?? int
            case "embedding_length": a.embedding = a.embedding ?? int
            case "feed_forward_length": a.feedForward = a.feedForward ?? int
            case "attention.head_count": a.heads = a.heads ?? int
            case "attention.head_count_kv": a.kvHeads = a.kvHeads ?? int
            case "attention.key_length": a.headDimK = a.headDimK ?? int
            case "attention.value_length": a.headDimV = a.headDimV ?? int
            case "context_length": a.contextTrain = a.contextTrain ?? int
            case "expert_count": a.experts = a.experts ?? int
            case "expert_used_count": a.expertsUsed = a.expertsUsed ?? int
            case "expert_feed_forward_length": a.expertFeedForward = a.expertFeedForward ?? int
            case "vocab_size": a.vocab = a.vocab ?? int
            case "attention.sliding_window": a.slidingWindow = a.slidingWindow ?? int
            default: break
            }
        }
        if let name = a.name, log.modelName == nil { log.modelName = LogRead(name, line: l.number) }
        log.architecture = a
    }

    /// `<device> [model|KV|compute|output] buffer size = X MiB`.
    static func readBuffer(_ l: LogLine, markerAt at: Int, into log: inout EngineLog) {
        guard let q = l.quantity(at: at + "buffer size =".utf8.count, gbIsGiB: false) else { return }
        // Walk back over the word before "buffer" (model / KV / compute / output), then the device.
        var words: [String] = []
        var end = at
        while words.count < 2 {
            var e = end
            while e > 0, l.bytes[e - 1] == 0x20 { e -= 1 }
            var s = e
            while s > 0, l.bytes[s - 1] != 0x20, l.bytes[s - 1] != 0x3A { s -= 1 }
            guard s < e else { break }
            words.append(l.slice(s, e))
            end = s
        }
        guard let first = words.first else { return }
        let kind: LoggedFigure.Kind
        let device: String?
        switch first {
        case "model": kind = .modelBuffer; device = words.count > 1 ? words[1] : nil
        case "KV": kind = .kvCache; device = words.count > 1 ? words[1] : nil
        case "compute": kind = .computeBuffer; device = words.count > 1 ? words[1] : nil
        case "output": kind = .outputBuffer; device = words.count > 1 ? words[1] : nil
        default:
            // "llm_load_tensors:      CUDA0 buffer size" (b3400 and earlier): a model buffer.
            guard l.contains("load_tensors") else { return }
            kind = .modelBuffer
            device = first
        }
        guard let device, !device.isEmpty, device.count < 40 else { return }
        log.addSumming(LoggedFigure(kind: kind, device: device, value: q.bytes, rounding: q.rounding, line: l.number, text: l.text))
    }

    /// The cache type inside "K (q8_0):".
    static func typeInParens(_ l: LogLine, after marker: String) -> String? {
        guard let at = l.after(marker), let close = l.find(")", from: at), close - at < 12 else { return nil }
        return l.slice(at, close).lowercased()
    }
}
