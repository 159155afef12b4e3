import Foundation
import VramfitCore
import VramfitRunner

/// The `--json` contract of `vramfit validate`. Fields may be added; none may be renamed or dropped
/// without bumping `schema_version`. Bytes are integers; times are seconds; rates per second.
struct ValidateJSON: Encodable {
    static let schemaVersion = 1

    struct Tensor: Encodable {
        var name: String
        var role: String
        var predicted_storage: String
        var format: String
        var predicted_bytes: Int64
        var measured_bytes: Int64
        var match: Bool
    }

    struct Buffer: Encodable {
        var name: String
        var bytes: Int64
    }

    struct ErrorFigures: Encodable {
        var relative_l2: Double
        var cosine: Double
        var max_abs: Double
        var update_relative_l2: Double?
        var update_cosine: Double?
        /// ‖Ŵ−W‖/‖W‖ over the layer's matrices.
        var weight_relative_rms: Double?
        /// √3 × weight_relative_rms: the predicted relative L2 of the update (output − input).
        var expected_update_relative_l2: Double?
        var within_expectation: Bool
        var checked_positions: [Int]
    }

    struct Run: Encodable {
        var scheme: String
        var engine: String
        var layer: Int
        var kv_cache_type: String
        var weights_predicted_bytes: Int64
        var weights_measured_bytes: Int64
        var weights_match: Bool
        var tensors: [Tensor]
        var kv_bytes_per_token_predicted: Int64
        var kv_bytes_per_token_measured: Int64
        var kv_cache_allocated_bytes: Int64
        var kv_cache_capacity_tokens: Int
        var kv_match: Bool
        var working_memory_predicted_bytes: Int64
        var working_memory_measured_bytes: Int64
        var working_memory_miss_fraction: Double
        var working_memory_within_tolerance: Bool
        var working_memory_peak_phase: String
        var working_memory_buffers_at_peak: [Buffer]
        var output_error: ErrorFigures?
        var build_seconds: Double
        var prefill_tokens: Int
        var prefill_seconds: Double
        var prefill_gflops: Double
        var decode_step_seconds: [Double]
        var decode_median_seconds: Double
        var decode_weight_bytes_per_token: Double
        var decode_gb_per_second: Double
        var decode_layer_seconds_roofline: Double?
        var decode_tokens_per_second_measured: Double
        var decode_tokens_per_second_roofline: Double?
        var decode_fraction_of_roofline: Double?
        var reference_seconds: Double
        /// CPU seconds per wall second during prefill / decode (below the core count on a shared machine).
        var prefill_cores_busy: Double?
        var decode_cores_busy: Double?
        var assumptions: [String]
    }

    var schema_version = schemaVersion
    var model: String
    var model_name: String
    var target: String
    var device: String
    var prefill_tokens: Int
    var decode_steps: Int
    var seed: UInt64
    var weights_source: String
    var bandwidth_bytes_per_second: Double?
    var bandwidth_copy_bytes_per_second: Double?
    var bandwidth_source: String
    var runs: [Run]

    init(_ runs: [ValidateRun], header h: ValidateHeader) {
        model = h.modelId; model_name = h.modelName; target = h.target; device = h.device
        prefill_tokens = h.prefill; decode_steps = h.decode; seed = h.seed; weights_source = h.weightsSource
        bandwidth_bytes_per_second = h.bandwidth; bandwidth_copy_bytes_per_second = h.copyBandwidth; bandwidth_source = h.bandwidthSource
        self.runs = runs.map { r in
            let m = r.measurement
            return Run(
                scheme: r.scheme.id, engine: r.engine.id, layer: m.layerIndex, kv_cache_type: r.kvType.id,
                weights_predicted_bytes: r.predictedWeights.value, weights_measured_bytes: r.measuredWeights.value, weights_match: r.weightsMatch,
                tensors: r.tensors.map { Tensor(name: $0.name, role: $0.role, predicted_storage: $0.predictedStorage, format: $0.format,
                                                predicted_bytes: $0.predicted.value, measured_bytes: $0.measured.value, match: $0.predicted == $0.measured) },
                kv_bytes_per_token_predicted: r.predictedKVPerToken.value, kv_bytes_per_token_measured: m.kvBytesPerToken.value,
                kv_cache_allocated_bytes: m.kvCacheBytes.value, kv_cache_capacity_tokens: m.kvCapacity, kv_match: r.kvMatch,
                working_memory_predicted_bytes: r.predictedActivation.value, working_memory_measured_bytes: m.memory.peak.value,
                working_memory_miss_fraction: r.activationMiss, working_memory_within_tolerance: r.activationVerdict.ok,
                working_memory_peak_phase: m.memory.phase,
                working_memory_buffers_at_peak: m.memory.buffersAtPeak.map { Buffer(name: $0.name, bytes: $0.bytes.value) },
                output_error: m.outputError.map { e in
                    ErrorFigures(relative_l2: e.relativeL2, cosine: e.cosine, max_abs: e.maxAbs, update_relative_l2: m.updateError?.relativeL2,
                                 update_cosine: m.updateError?.cosine, weight_relative_rms: m.weightRelativeRMS,
                                 expected_update_relative_l2: r.expectedUpdateError, within_expectation: r.errorVerdict.ok,
                                 checked_positions: m.checkedPositions)
                },
                build_seconds: m.buildSeconds, prefill_tokens: m.prefillTokens, prefill_seconds: m.prefillSeconds, prefill_gflops: r.prefillGFLOPS,
                decode_step_seconds: m.decodeSeconds, decode_median_seconds: m.decodeMedianSeconds,
                decode_weight_bytes_per_token: m.decodeWeightBytes, decode_gb_per_second: r.decodeGBps,
                decode_layer_seconds_roofline: r.rooflineLayerSeconds, decode_tokens_per_second_measured: r.measuredTokensPerSecond,
                decode_tokens_per_second_roofline: r.rooflineTokensPerSecond, decode_fraction_of_roofline: r.fractionOfRoofline,
                reference_seconds: m.referenceSeconds, prefill_cores_busy: m.prefillCoresBusy, decode_cores_busy: m.decodeCoresBusy, assumptions: r.assumptions)
        }
    }
}
