/// Splits a log into engine start-ups. A log file often holds several (a service restarted, a
/// user trying three `--max-model-len` values): a start marker opens a new start-up only once
/// the current one has printed memory figures, so the lines a start-up prints before its
/// figures (args, config, model metadata) stay with it. The last start-up with figures is the
/// one checked; the report says how many there were.
struct LogRuns {
    let engine: LogEngine
    var current: EngineLog
    var finished: [EngineLog] = []

    init(_ engine: LogEngine) {
        self.engine = engine
        current = EngineLog(engine: engine)
    }

    /// A line that begins a start-up (vLLM's args or engine config, SGLang's server_args,
    /// llama.cpp's model loader, Ollama's offload plan).
    mutating func startMarker(line: Int) {
        if !current.figures.isEmpty {
            finished.append(current)
            current = EngineLog(engine: engine)
            current.firstLine = line
        } else if current.figures.isEmpty && current.modelName == nil && current.settings == LogSettings() {
            current.firstLine = line
        }
    }

    /// The start-up to check: the last with figures (or the only one).
    func result() -> EngineLog {
        let all = finished + [current]
        let withFigures = all.filter { !$0.figures.isEmpty }
        var r = withFigures.last ?? current
        r.startups = max(withFigures.count, 1)
        if withFigures.count > 1 {
            r.notes.append("the log holds \(withFigures.count) start-ups; checked the last (from line \(r.firstLine))")
        }
        return r
    }
}
