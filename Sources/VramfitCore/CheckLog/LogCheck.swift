/// One figure an engine logged beside what vramfit predicts for it. Reusable outside the CLI
/// (docs/accuracy.md's log cases): the figures are plain numbers in `unit`, errors signed
/// predicted − logged.
public struct ComponentComparison: Sendable, Equatable {
    /// What the figure means to the engine, and therefore how far it can be trusted.
    public enum Basis: String, Sendable, Codable {
        /// Bytes the engine allocated for a buffer (llama.cpp buffers, SGLang's K/V buffers, vLLM's KV pool).
        case allocated
        /// A measurement: vLLM's profile (torch counters, free-memory deltas), SGLang's free-memory drop.
        case measured
        /// The engine's own prediction before loading (Ollama's offload plan).
        case engineEstimate = "engine_estimate"
        /// Counts derived from the allocation: KV tokens, concurrency.
        case capacity
        /// A property of the model file or the GPU (parameter count, file size, total memory).
        case property
    }

    public var name: String
    public var kind: LoggedFigure.Kind
    public var unit: LoggedFigure.Unit
    /// Device the figure is about (`gpu0`, `CUDA0+CUDA1`, `host`), nil for the whole run.
    public var device: String?
    public var logged: Double
    /// Half a unit of the last digit the log printed, in `unit`.
    public var loggedRounding: Double
    /// vramfit's figure; nil where vramfit does not model it (listed so nothing logged is hidden).
    public var predicted: Double?
    /// vramfit's range where the term is empirical (activations, overheads); equal to `predicted` when exact.
    public var predictedLow: Double?
    public var predictedHigh: Double?
    public var basis: Basis
    public var line: Int
    public var logText: String
    /// Why the two can differ, when known.
    public var note: String?

    public init(name: String, kind: LoggedFigure.Kind, unit: LoggedFigure.Unit, device: String?, logged: Double, loggedRounding: Double,
                predicted: Double?, predictedLow: Double? = nil, predictedHigh: Double? = nil, basis: Basis, line: Int, logText: String,
                note: String? = nil) {
        self.name = name; self.kind = kind; self.unit = unit; self.device = device; self.logged = logged
        self.loggedRounding = loggedRounding; self.predicted = predicted; self.predictedLow = predictedLow
        self.predictedHigh = predictedHigh; self.basis = basis; self.line = line; self.logText = logText; self.note = note
    }

    /// predicted − logged.
    public var absoluteError: Double? { predicted.map { $0 - logged } }
    /// (predicted − logged) / logged; nil when nothing is predicted or the logged figure is 0.
    public var relativeError: Double? {
        guard let p = predicted, logged != 0 else { return nil }
        return (p - logged) / logged
    }
    /// The difference is no larger than the log's own rounding.
    public var withinRounding: Bool {
        guard let p = predicted else { return false }
        return abs(p - logged) <= loggedRounding * (1 + 1e-9)
    }
    /// The logged figure lies in vramfit's stated range (nil when no range is stated).
    public var withinRange: Bool? {
        guard let lo = predictedLow, let hi = predictedHigh, lo != hi else { return nil }
        return logged + loggedRounding >= lo && logged - loggedRounding <= hi
    }
}

/// A setting the check used: from the log (with its line) or the engine's default.
public struct LogCheckSetting: Sendable, Equatable {
    public var name: String
    public var value: String
    /// Line it was read from; nil when it is the engine's default or a command-line option.
    public var line: Int?
    public var origin: String

    public init(name: String, value: String, line: Int?, origin: String) {
        self.name = name; self.value = value; self.line = line; self.origin = origin
    }
}

/// The result of checking one engine start-up log: what was read, what was assumed, vramfit's
/// estimate for that configuration, and every logged figure beside its prediction.
public struct LogCheck: Sendable {
    public var log: EngineLog
    /// Where the model came from: "catalog", "catalog (matched by the log's dimensions)",
    /// "built from the log's dimensions", "--model".
    public var modelSource: String
    public var settings: [LogCheckSetting]
    public var estimate: Estimate
    /// The estimate's own notes (defaults assumed) followed by the check's (what was resolved how).
    public var assumptions: [String]
    public var comparisons: [ComponentComparison]
    public var notes: [String]

    public init(log: EngineLog, modelSource: String, settings: [LogCheckSetting], estimate: Estimate, assumptions: [String],
                comparisons: [ComponentComparison], notes: [String]) {
        self.log = log; self.modelSource = modelSource; self.settings = settings; self.estimate = estimate
        self.assumptions = assumptions; self.comparisons = comparisons; self.notes = notes
    }

    /// Comparisons with a prediction, in bytes.
    public var byteComparisons: [ComponentComparison] {
        comparisons.filter { $0.unit == .bytes && $0.relativeError != nil }
    }

    /// Median and largest |relative error| over the byte figures vramfit predicts (the log's
    /// rounding counted as no error); nil when there are none.
    public var summary: (median: Double, max: Double, worst: String)? {
        let errs = byteComparisons.map { c -> (Double, String) in (c.withinRounding ? 0 : abs(c.relativeError ?? 0), c.name) }
        guard !errs.isEmpty else { return nil }
        let sorted = errs.map(\.0).sorted()
        let mid = sorted.count / 2
        let median = sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
        let worst = errs.max { $0.0 < $1.0 }!
        return (median, worst.0, worst.1)
    }
}
