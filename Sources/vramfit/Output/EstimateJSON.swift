import Foundation
import VramfitCore

/// The `--json` contract of `estimate` (and of each estimate `ask` prints). Fields may be added;
/// none may be renamed or dropped without bumping `schema_version`. Byte counts are integers;
/// top-level figures are sums over the accelerators.
struct EstimateJSON: Encodable {
    static let schemaVersion = 1

    struct DeviceJSON: Encodable {
        var device: String
        var weights_bytes: Int64
        var kv_cache_bytes: Int64
        var activation_bytes: Int64
        var output_bytes: Int64
        var overhead_bytes: Int64
        var total_bytes: Int64
        var capacity_bytes: Int64
        var is_accelerator: Bool
    }

    struct ComponentJSON: Encodable {
        var name: String
        var kind: String
        var bytes: Int64
        var low_bytes: Int64
        var high_bytes: Int64
        var device: String
    }

    var schema_version = schemaVersion
    var model: String
    var model_name: String
    var quant: String
    var engine: String
    var engine_version: String
    var gpu: String
    var gpus: Int64
    var tensor_parallel: Int64
    var pipeline_parallel: Int64
    var context: Int64
    var batch: Int64
    var kv_cache_dtype: String
    var weights_bytes: Int64
    var kv_cache_bytes: Int64
    var activation_bytes: Int64
    var output_bytes: Int64
    var overhead_bytes: Int64
    var total_bytes: Int64
    var total_low_bytes: Int64
    var total_high_bytes: Int64
    var capacity_bytes: Int64
    var fits: Bool
    var headroom_bytes: Int64
    var max_context: Int64
    var max_batch: Int64
    var kv_cache_tokens: Int64?
    var max_concurrency: Double?
    var decode_tokens_per_second: Double
    var devices: [DeviceJSON]
    var components: [ComponentJSON]
    var notes: [String]

    init(_ e: Estimate, assumptions: [String] = []) {
        model = e.model.id; model_name = e.model.name; quant = e.scheme.id; engine = e.engine.id
        engine_version = e.engine.version; gpu = e.gpu.id; gpus = e.gpus
        tensor_parallel = e.tensorParallel; pipeline_parallel = e.pipelineParallel
        context = e.context; batch = e.batch; kv_cache_dtype = e.kvCacheType.id
        weights_bytes = e.bytes(.weights).value; kv_cache_bytes = e.bytes(.kvCache).value
        activation_bytes = e.bytes(.activation).value; output_bytes = e.bytes(.output).value
        overhead_bytes = e.bytes(.overhead).value; total_bytes = e.total.value
        total_low_bytes = e.totalLow.value; total_high_bytes = e.totalHigh.value
        capacity_bytes = e.capacity.value; fits = e.fits; headroom_bytes = e.headroom.value
        max_context = e.maxContext; max_batch = e.maxBatch
        kv_cache_tokens = e.kvCacheTokens
        max_concurrency = e.maxConcurrency.map { ($0 * 100).rounded() / 100 }
        decode_tokens_per_second = (e.decodeTokensPerSecond * 10).rounded() / 10
        devices = e.devices.map { d in
            DeviceJSON(device: d.name, weights_bytes: d.bytes(.weights).value, kv_cache_bytes: d.bytes(.kvCache).value,
                       activation_bytes: d.bytes(.activation).value, output_bytes: d.bytes(.output).value,
                       overhead_bytes: d.bytes(.overhead).value, total_bytes: d.total.value, capacity_bytes: d.capacity.value,
                       is_accelerator: d.isAccelerator)
        }
        components = e.components.map {
            ComponentJSON(name: $0.name, kind: $0.kind.rawValue, bytes: $0.bytes.value, low_bytes: $0.low.value,
                          high_bytes: $0.high.value, device: $0.device)
        }
        notes = assumptions + e.notes + (e.engineRefusal.map { [$0] } ?? [])
    }

    /// Optionals are written as `null`, never left out: scripts can rely on every key being present.
    enum CodingKeys: String, CodingKey {
        case schema_version, model, model_name, quant, engine, engine_version, gpu, gpus, tensor_parallel, pipeline_parallel
        case context, batch, kv_cache_dtype, weights_bytes, kv_cache_bytes, activation_bytes, output_bytes, overhead_bytes
        case total_bytes, total_low_bytes, total_high_bytes, capacity_bytes, fits, headroom_bytes, max_context, max_batch
        case kv_cache_tokens, max_concurrency, decode_tokens_per_second, devices, components, notes
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(schema_version, forKey: .schema_version)
        try c.encode(model, forKey: .model); try c.encode(model_name, forKey: .model_name)
        try c.encode(quant, forKey: .quant); try c.encode(engine, forKey: .engine)
        try c.encode(engine_version, forKey: .engine_version); try c.encode(gpu, forKey: .gpu)
        try c.encode(gpus, forKey: .gpus); try c.encode(tensor_parallel, forKey: .tensor_parallel)
        try c.encode(pipeline_parallel, forKey: .pipeline_parallel); try c.encode(context, forKey: .context)
        try c.encode(batch, forKey: .batch); try c.encode(kv_cache_dtype, forKey: .kv_cache_dtype)
        try c.encode(weights_bytes, forKey: .weights_bytes); try c.encode(kv_cache_bytes, forKey: .kv_cache_bytes)
        try c.encode(activation_bytes, forKey: .activation_bytes); try c.encode(output_bytes, forKey: .output_bytes)
        try c.encode(overhead_bytes, forKey: .overhead_bytes); try c.encode(total_bytes, forKey: .total_bytes)
        try c.encode(total_low_bytes, forKey: .total_low_bytes); try c.encode(total_high_bytes, forKey: .total_high_bytes)
        try c.encode(capacity_bytes, forKey: .capacity_bytes); try c.encode(fits, forKey: .fits)
        try c.encode(headroom_bytes, forKey: .headroom_bytes); try c.encode(max_context, forKey: .max_context)
        try c.encode(max_batch, forKey: .max_batch)
        if let v = kv_cache_tokens { try c.encode(v, forKey: .kv_cache_tokens) } else { try c.encodeNil(forKey: .kv_cache_tokens) }
        if let v = max_concurrency { try c.encode(v, forKey: .max_concurrency) } else { try c.encodeNil(forKey: .max_concurrency) }
        try c.encode(decode_tokens_per_second, forKey: .decode_tokens_per_second)
        try c.encode(devices, forKey: .devices); try c.encode(components, forKey: .components); try c.encode(notes, forKey: .notes)
    }
}

enum JSONOutput {
    static func string<T: Encodable>(_ value: T) throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try enc.encode(value), as: UTF8.self)
    }
}
