/// Ollama server logs (0.1.30 – 0.12). Ollama plans the load itself, then starts a runner that
/// is llama.cpp (or, since 0.6, its own Go engine over ggml), so the log holds both:
///
/// - the plan (llm/memory.go, logged from llm/server.go): `msg="offload to cuda"` (or
///   `msg=offload library=cuda`) `layers.requested=-1 layers.model=33 layers.offload=33
///   layers.split="" memory.available="[23.4 GiB]" memory.required.full="6.2 GiB"
///   memory.required.partial=… memory.required.kv="1.0 GiB" memory.weights.total="4.6 GiB"
///   memory.graph.full="560.0 MiB" …`. These are Ollama's own estimates, not allocations.
/// - the runner command: `msg="starting llama server" cmd="… --ctx-size 8192 --batch-size 512
///   --n-gpu-layers 33 --flash-attn --kv-cache-type q8_0 --parallel 4 …"`.
/// - the GPU: `msg="inference compute" … name="NVIDIA GeForce RTX 3090" total="23.7 GiB"`.
/// - the runner's llama.cpp lines (see LlamaCppLogParser), or the Go engine's `msg="model
///   weights" buffer=CUDA0 size="4.3 GiB"`, `msg="kv cache" device=CUDA0 size="…"`,
///   `msg="compute graph" backend=CUDA0 buffer_type=CUDA0 size="…"`.
///
/// Sizes are `format.HumanBytes2`: binary units labelled GiB/MiB, one decimal.
enum OllamaLogParser {
    static func parse(_ lines: [LogLine]) -> EngineLog {
        var runs = LogRuns(.ollama)
        var version: LogRead<String>? = nil
        var gpuNames: [LogRead<String>] = []
        var gpuTotal: LogRead<ByteCount>? = nil
        for l in lines {
            // A plan opens a start-up once the runner of the previous one has printed its buffers;
            // a plan repeated before any runner line (Ollama re-plans per GPU library) replaces it.
            if isPlan(l) {
                if runs.current.figures.contains(where: { !$0.kind.isEstimate }) {
                    runs.startMarker(line: l.number)
                } else {
                    runs.current.figures.removeAll { $0.kind.isEstimate }
                    if runs.current.firstLine == 1 || runs.current.figures.isEmpty { runs.current.firstLine = l.number }
                }
            } else if !l.contains("source=") && LlamaCppLogParser.isStartMarker(l) && runs.current.first(.modelBuffer) != nil {
                runs.startMarker(line: l.number)
            }
            // Server-wide facts (printed once at start, before any model load) carry over to every start-up.
            if let at = l.after("(version "), let v = l.readValue(at: at) {
                version = LogRead(String(v.prefix { $0 != ")" }), line: l.number)
            }
            if l.contains("inference compute") || l.contains("msg=\"inference compute\"") {
                if let name = l.value(ofKey: "name"), !name.isEmpty, !gpuNames.contains(where: { $0.value == name }) {
                    gpuNames.append(LogRead(name, line: l.number))
                }
                if let at = l.after("total=\""), let q = l.quantity(at: at, gbIsGiB: true), gpuTotal == nil {
                    gpuTotal = LogRead(ByteCount(fromDouble: q.bytes), line: l.number)
                }
            }
            read(l, into: &runs.current)
            LlamaCppLogParser.read(l, into: &runs.current)
        }
        var log = runs.result()
        log.engine = .ollama
        if log.engineVersion == nil || log.engineVersion?.value.hasPrefix("b") == true, let v = version { log.engineVersion = v }
        for g in gpuNames where !log.gpuNames.contains(where: { $0.value == g.value }) { log.gpuNames.append(g) }
        if log.gpuTotal == nil { log.gpuTotal = gpuTotal }
        return log
    }

    static func isPlan(_ l: LogLine) -> Bool {
        (l.contains("msg=offload") || l.contains("msg=\"offload to")) && l.contains("layers.model=")
    }

    static func read(_ l: LogLine, into log: inout EngineLog) {
        let n = l.number
        func est(_ k: LoggedFigure.Kind, _ key: String) {
            guard let at = l.after("\(key)=\""), let q = l.quantity(at: at, gbIsGiB: true) else { return }
            log.addOnce(LoggedFigure(kind: k, value: q.bytes, rounding: q.rounding, line: n, text: l.text))
        }
        if isPlan(l) {
            est(.estimatedWeights, "memory.weights.total")
            est(.estimatedKV, "memory.required.kv")
            est(.estimatedGraph, "memory.graph.full")
            est(.estimatedTotal, "memory.required.full")
            if let v = l.value(ofKey: "layers.model"), let x = Int64(v) { log.settings.totalLayers = LogRead(x, line: n) }
            if let v = l.value(ofKey: "layers.offload"), let x = Int64(v) { log.settings.gpuLayers = LogRead(x, line: n) }
            if let at = l.after("memory.available=\"[") {
                var count: Int64 = 0
                var i = at
                while let q = l.quantity(at: i, gbIsGiB: true) {
                    count += 1
                    i = q.end
                }
                if count > 0 { log.gpuCount = LogRead(count, line: n) }
            }
        }
        if l.contains("starting llama server") || l.contains("msg=\"starting runner\"") || l.contains("runner --model") || l.contains("ollama_llama_server") {
            func flag(_ f: String) -> Int64? { l.integer(after: "--\(f) ") }
            if let v = flag("ctx-size") { log.settings.nCtx = LogRead(v, line: n) }
            if let v = flag("batch-size") { log.settings.nBatch = LogRead(v, line: n) }
            if let v = flag("parallel") { log.settings.parallel = LogRead(v, line: n) }
            if let v = flag("n-gpu-layers") { log.settings.gpuLayers = LogRead(v, line: n) }
            if l.contains("--flash-attn") {
                let off = l.contains("--flash-attn off") || l.contains("--flash-attn false")
                log.settings.flashAttention = LogRead(!off, line: n)
            }
            if let at = l.after("--kv-cache-type "), let t = l.readValue(at: at) {
                log.settings.typeK = LogRead(t.lowercased(), line: n)
                log.settings.typeV = LogRead(t.lowercased(), line: n)
            }
        }
        if l.contains("enabling flash attention") { log.settings.flashAttention = LogRead(true, line: n) }
        // Ollama's own engine (ml/backend/ggml/ggml.go).
        if l.contains("msg=\"model weights\""), let dev = l.value(ofKey: "buffer"), let at = l.after("size=\""), let q = l.quantity(at: at, gbIsGiB: true) {
            log.addSumming(LoggedFigure(kind: .modelBuffer, device: dev, value: q.bytes, rounding: q.rounding, line: n, text: l.text))
        }
        if l.contains("msg=\"kv cache\""), let dev = l.value(ofKey: "device"), let at = l.after("size=\""), let q = l.quantity(at: at, gbIsGiB: true) {
            log.addSumming(LoggedFigure(kind: .kvCache, device: dev, value: q.bytes, rounding: q.rounding, line: n, text: l.text))
        }
        if l.contains("msg=\"compute graph\""), let dev = l.value(ofKey: "buffer_type") ?? l.value(ofKey: "backend"),
           let at = l.after("size=\""), let q = l.quantity(at: at, gbIsGiB: true), q.bytes > 0 {
            // A first "0 B" line is printed before the graph is reserved; only the sized one counts.
            log.addSumming(LoggedFigure(kind: .computeBuffer, device: dev, value: q.bytes, rounding: q.rounding, line: n, text: l.text))
        }
        if l.contains("architecture="), l.contains("file_type=") {
            if let a = l.value(ofKey: "architecture") {
                var arch = log.architecture ?? LoggedArchitecture()
                if arch.arch == nil { arch.arch = a }
                log.architecture = arch
            }
            if let f = l.value(ofKey: "file_type"), log.fileType == nil { log.fileType = LogRead(f, line: n) }
            if let name = l.value(ofKey: "name"), !name.isEmpty, log.modelName == nil { log.modelName = LogRead(name, line: n) }
        }
    }
}
