import Foundation
import VramfitCore
import VramfitRunner

/// One scheme × layer of `vramfit validate`: the estimator's predictions next to what the
/// micro-runner measured, and the verdict on each. Built by ValidateCommand, printed by
/// ValidateTable and ValidateJSON.
struct ValidateRun {
    struct TensorRow {
        var name: String
        var role: String
        /// The estimator's storage name (WeightBytes), e.g. "int4-g128", "Q6_K", "float16".
        var predictedStorage: String
        /// The runner's `QuantizedWeight.format`.
        var format: String
        var predicted: ByteCount
        var measured: ByteCount
    }

    var scheme: QuantScheme
    var engine: Engine
    var kvType: KVCacheType
    var measurement: LayerMeasurement
    var tensors: [TensorRow]
    /// `KVCacheSize.bytesPerTokenPerLayer` for the cache type.
    var predictedKVPerToken: ByteCount
    /// `ActivationPeak.forward` at the prefill's token count, fp32 elements (the runner's activation type).
    var predictedActivation: ByteCount
    /// Tokens the roofline reads the KV cache of (prefill + decode).
    var context: Int64
    /// Bandwidth the roofline used (bytes/s) and where it came from.
    var bandwidth: Double?
    var bandwidthSource: String
    /// The estimator's whole-model decode tokens/s at `bandwidth` (DecodeRoofline through Estimator).
    var rooflineTokensPerSecond: Double?
    /// The same rule for this one layer: its decode weight bytes plus its KV cache at `context`, over `bandwidth`.
    var rooflineLayerSeconds: Double?
    /// Bytes the head (lm_head, or the tied embedding) reads per token.
    var headBytes: ByteCount
    var numLayers: Int64
    var assumptions: [String]

    var predictedWeights: ByteCount { tensors.reduce(.zero) { $0 + $1.predicted } }
    var measuredWeights: ByteCount { tensors.reduce(.zero) { $0 + $1.measured } }
    var weightsMatch: Bool { tensors.allSatisfy { $0.predicted == $0.measured } }
    var kvMatch: Bool { predictedKVPerToken == measurement.kvBytesPerToken }

    /// Measured peak working memory vs the activation model, as a signed fraction of the prediction.
    var activationMiss: Double {
        let p = Double(predictedActivation.value)
        return p > 0 ? (Double(measurement.memory.peak.value) - p) / p : 0
    }
    /// Tolerance of the activation comparison: the model's stated use is sizing within ±10 %.
    static let activationTolerance = 0.10

    /// Whole-model decode tokens/s from the measured layer: every layer takes this layer's median
    /// step, and the head streams its bytes at the rate this layer streamed its own.
    var measuredTokensPerSecond: Double {
        let t = measurement.decodeMedianSeconds
        guard t > 0 else { return 0 }
        let rate = measurement.decodeWeightBytes / t
        let head = rate > 0 ? Double(headBytes.value) / rate : 0
        return 1 / (Double(numLayers) * t + head)
    }

    var fractionOfRoofline: Double? {
        guard let r = rooflineTokensPerSecond, r > 0 else { return nil }
        return measuredTokensPerSecond / r
    }
    /// Real engines reach 60–85 % of the bandwidth roofline (docs/estimator.md).
    static let rooflineFloor = 0.60

    var prefillGFLOPS: Double { measurement.prefillFLOPs / max(measurement.prefillSeconds, 1e-12) / 1e9 }
    var decodeGBps: Double { measurement.decodeWeightBytes / max(measurement.decodeMedianSeconds, 1e-12) / 1e9 }
}

/// A verdict cell: exact, within tolerance, or the size of the miss.
enum ValidateCheck {
    case exact
    case within(String)
    case miss(String)
    case info(String)

    var ok: Bool {
        switch self {
        case .exact, .within, .info: true
        case .miss: false
        }
    }

    var text: String {
        switch self {
        case .exact: "✓ exact"
        case .within(let s): "✓ " + s
        case .miss(let s): "✗ " + s
        case .info(let s): s
        }
    }

    static func bytes(predicted p: ByteCount, measured m: ByteCount) -> ValidateCheck {
        if p == m { return .exact }
        let d = m.value - p.value
        let pct = p.value != 0 ? Double(d) / Double(p.value) * 100 : 0
        return .miss("\(d > 0 ? "+" : "−")\(abs(d)) B (\(d > 0 ? "+" : "−")\(String(format: "%.3f", abs(pct))) %)")
    }
}

extension ValidateRun {
    var weightVerdict: ValidateCheck { .bytes(predicted: predictedWeights, measured: measuredWeights) }
    var kvVerdict: ValidateCheck { .bytes(predicted: predictedKVPerToken, measured: measurement.kvBytesPerToken) }

    var activationVerdict: ValidateCheck {
        let miss = activationMiss
        let d = measurement.memory.peak.value - predictedActivation.value
        let text = "\(d >= 0 ? "+" : "−")\(ByteFormat.binary(ByteCount(abs(d)))) (\(String(format: "%+.1f", miss * 100)) %)"
        return abs(miss) <= Self.activationTolerance ? .within(text) : .miss(text)
    }

    /// The predicted error of the layer's update to the residual stream: √3 × ‖Ŵ−W‖/‖W‖. For
    /// y = Wx with an independent weight error, ‖ΔW x‖/‖Wx‖ ≈ ‖ΔW‖/‖W‖; the SwiGLU MLP, which
    /// dominates the update, passes three such errors (gate, up, down) of about equal size, which
    /// add in quadrature. The KV cache's rounding comes on top (small next to 4–8-bit weights).
    var expectedUpdateError: Double? { measurement.weightRelativeRMS.map { $0 * 3.0.squareRoot() } }
    static let errorTolerance = 0.25

    var errorVerdict: ValidateCheck {
        guard let u = measurement.updateError, let e = expectedUpdateError else { return .info("not measured") }
        if e < 1e-6 {
            // Weights stored exactly as the checkpoint: what remains is the KV cache and fp32 arithmetic.
            return u.relativeL2 < 0.01 ? .within("weights exact; KV cache rounding only") : .miss(String(format: "%.4f with exact weights", u.relativeL2))
        }
        let miss = (u.relativeL2 - e) / e
        let text = String(format: "%+.0f %%", miss * 100)
        return abs(miss) <= Self.errorTolerance ? .within(text) : .miss(text)
    }

    var decodeVerdict: ValidateCheck {
        guard let f = fractionOfRoofline else { return .info("no roofline (bandwidth unknown)") }
        let pct = String(format: "%.0f %% of the roofline", f * 100)
        if f > 1.05 { return .miss(pct + ": faster than the bandwidth bound (measurement or bandwidth wrong)") }
        return f >= Self.rooflineFloor ? .within(pct) : .miss(pct)
    }
}
