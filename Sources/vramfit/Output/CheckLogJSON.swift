import Foundation
import VramfitCore

/// The `check-log --json` contract (schema_version 1). Fields may be added; none renamed or
/// dropped without bumping `schema_version`. Optionals are written as `null`, never left out.
/// Figures are numbers in the comparison's `unit` (bytes, tokens, ratio, count); errors are
/// predicted − logged, relative to the logged figure.
struct CheckLogJSON: Encodable {
    static let schemaVersion = 1

    struct SettingJSON: Encodable {
        var name: String
        var value: String
        var line: Int?
        var origin: String

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name); try c.encode(value, forKey: .value)
            try c.encode(line, forKey: .line); try c.encode(origin, forKey: .origin)
        }
        enum CodingKeys: String, CodingKey { case name, value, line, origin }
    }

    struct ComparisonJSON: Encodable {
        var c: ComponentComparison

        enum CodingKeys: String, CodingKey {
            case name, kind, unit, device, logged, logged_rounding, predicted, predicted_low, predicted_high
            case absolute_error, relative_error, within_rounding, within_range, basis, line, log_text, note
        }

        func encode(to encoder: Encoder) throws {
            var k = encoder.container(keyedBy: CodingKeys.self)
            try k.encode(c.name, forKey: .name); try k.encode(c.kind.rawValue, forKey: .kind)
            try k.encode(c.unit.rawValue, forKey: .unit); try k.encode(c.device, forKey: .device)
            // JSON has no infinity: a figure that overflows a double is written as null.
            func f(_ d: Double?) -> Double? { d.flatMap { $0.isFinite ? $0 : nil } }
            try k.encode(f(c.logged), forKey: .logged); try k.encode(f(c.loggedRounding), forKey: .logged_rounding)
            try k.encode(f(c.predicted), forKey: .predicted); try k.encode(f(c.predictedLow), forKey: .predicted_low)
            try k.encode(f(c.predictedHigh), forKey: .predicted_high); try k.encode(f(c.absoluteError), forKey: .absolute_error)
            try k.encode(f(c.relativeError.map { ($0 * 1e6).rounded() / 1e6 }), forKey: .relative_error)
            try k.encode(c.withinRounding, forKey: .within_rounding); try k.encode(c.withinRange, forKey: .within_range)
            try k.encode(c.basis.rawValue, forKey: .basis); try k.encode(c.line, forKey: .line)
            try k.encode(c.logText, forKey: .log_text); try k.encode(c.note, forKey: .note)
        }
    }

    struct SummaryJSON: Encodable {
        var compared: Int
        var median: Double?
        var max: Double?
        var worst: String?
        enum CodingKeys: String, CodingKey { case compared, median_abs_relative_error, max_abs_relative_error, worst }
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(compared, forKey: .compared)
            try c.encode(median.flatMap { $0.isFinite ? ($0 * 1e6).rounded() / 1e6 : nil }, forKey: .median_abs_relative_error)
            try c.encode(max.flatMap { $0.isFinite ? ($0 * 1e6).rounded() / 1e6 : nil }, forKey: .max_abs_relative_error)
            try c.encode(worst, forKey: .worst)
        }
    }

    var file: String
    var check: LogCheck

    init(_ check: LogCheck, file: String) { self.check = check; self.file = file }

    enum CodingKeys: String, CodingKey {
        case schema_version, file, engine, engine_version, vllm_engine, startups, first_line, model, model_name, model_source
        case model_in_log, quant, gpu, gpu_in_log, gpus, tensor_parallel, pipeline_parallel, context, batch, kv_cache_dtype
        case settings, comparisons, summary, estimate, notes
    }

    func encode(to encoder: Encoder) throws {
        let log = check.log, e = check.estimate
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(Self.schemaVersion, forKey: .schema_version)
        try c.encode(file, forKey: .file)
        try c.encode(log.engine.rawValue, forKey: .engine)
        try c.encode(log.engineVersion?.value, forKey: .engine_version)
        try c.encode(log.engine == .vllm ? log.vllmV0.map { $0.value ? "v0" : "v1" } : nil, forKey: .vllm_engine)
        try c.encode(log.startups, forKey: .startups); try c.encode(log.firstLine, forKey: .first_line)
        try c.encode(e.model.id, forKey: .model); try c.encode(e.model.name, forKey: .model_name)
        try c.encode(check.modelSource, forKey: .model_source); try c.encode(log.modelName?.value, forKey: .model_in_log)
        try c.encode(e.scheme.id, forKey: .quant); try c.encode(e.gpu.id, forKey: .gpu)
        try c.encode(log.gpuNames.first?.value, forKey: .gpu_in_log)
        try c.encode(e.gpus, forKey: .gpus); try c.encode(e.tensorParallel, forKey: .tensor_parallel)
        try c.encode(e.pipelineParallel, forKey: .pipeline_parallel); try c.encode(e.context, forKey: .context)
        try c.encode(e.batch, forKey: .batch); try c.encode(e.kvCacheType.id, forKey: .kv_cache_dtype)
        try c.encode(check.settings.map { SettingJSON(name: $0.name, value: $0.value, line: $0.line, origin: $0.origin) }, forKey: .settings)
        try c.encode(check.comparisons.map(ComparisonJSON.init), forKey: .comparisons)
        let s = check.summary
        try c.encode(SummaryJSON(compared: check.byteComparisons.count, median: s?.median, max: s?.max, worst: s?.worst), forKey: .summary)
        try c.encode(EstimateJSON(e, assumptions: check.assumptions), forKey: .estimate)
        try c.encode(check.notes, forKey: .notes)
    }
}
