/// Text → `EngineLog`: tells the engine from its own lines, then reads it with that engine's parser.
public enum EngineLogParser {
    /// Marker strings per engine, each distinctive enough that one hit is evidence. Ollama logs
    /// embed llama.cpp's lines, so Ollama wins whenever its own markers appear.
    static let markers: [(LogEngine, [String])] = [
        (.vllm, ["Initializing a V1 LLM engine", "Initializing a V0 LLM engine", "Initializing an LLM engine (v", "Model loading took",
                 "Loading model weights took", "GPU KV cache size:", "# GPU blocks:", "reserved for KV Cache is",
                 "Available KV cache memory:", "Maximum concurrency for", "non-default args:", "vllm serve", "[gpu_worker.py",
                 "Memory profiling results:", "total_gpu_memory"]),
        (.sglang, ["server_args=ServerArgs(", "Load weight begin", "Load weight end", "KV Cache is allocated", "max_total_num_tokens=",
                   "sglang.launch_server", "Capture cuda graph end"]),
        (.llamaCpp, ["llama_model_loader:", "print_info:", "llm_load_print_meta:", "load_tensors:", "llm_load_tensors:", "llama_context:",
                     "llama_new_context_with_model:", "llama_kv_cache", "compute buffer size =", "model buffer size ="]),
        (.ollama, ["source=server.go", "source=sched.go", "source=ggml.go", "layers.model=", "memory.required.full=", "msg=\"starting llama server\"",
                   "msg=\"inference compute\"", "ollama_llama_server", "OLLAMA_"]),
    ]

    /// The engine whose markers the text holds, or nil.
    public static func detect(_ lines: [LogLine]) -> LogEngine? {
        var hits: [LogEngine: Int] = [:]
        for l in lines {
            for (engine, ms) in markers where ms.contains(where: { l.contains($0) }) { hits[engine, default: 0] += 1 }
        }
        if hits[.ollama, default: 0] > 0 { return .ollama }
        return hits.filter { $0.value > 0 }.max { a, b in a.value < b.value || (a.value == b.value && a.key.rawValue > b.key.rawValue) }?.key
    }

    /// Share of the characters that no log holds: U+FFFD (a byte that was not UTF-8, replaced when the
    /// file was read) and control characters other than tab, line ends and ESC (ANSI colours).
    static func nonTextFraction(_ text: String) -> Double {
        var bad = 0, all = 0
        for u in text.unicodeScalars {
            all += 1
            if u == "\u{FFFD}" || (u.value < 0x20 && ![0x09, 0x0A, 0x0D, 0x1B].contains(u.value)) || u.value == 0x7F { bad += 1 }
        }
        return all == 0 ? 0 : Double(bad) / Double(all)
    }

    /// Reads a start-up log. `engine` forces the parser (a log the detector cannot tell apart).
    public static func parse(_ text: String, engine: LogEngine? = nil) throws(LogCheckError) -> EngineLog {
        guard text.contains(where: { !$0.isWhitespace }) else { throw .empty }
        let lines = LogLine.lines(of: text)
        guard let e = engine ?? detect(lines) else {
            let f = nonTextFraction(text)
            throw f > 0.1 ? .notText(nonTextFraction: f) : .noEngineLines(lines: lines.count)
        }
        let log: EngineLog
        switch e {
        case .vllm: log = VLLMLogParser.parse(lines)
        case .sglang: log = SGLangLogParser.parse(lines)
        case .llamaCpp: log = LlamaCppLogParser.parse(lines)
        case .ollama: log = OllamaLogParser.parse(lines)
        }
        guard !log.figures.isEmpty else { throw .noFigures(engine: e) }
        return log
    }
}
