import Foundation
import VramfitCore
import VramfitRunner

/// The text report of `vramfit validate`: per scheme × layer, predicted vs measured with a check
/// column, then what explains each comparison. Bytes are exact integers (B) with binary units
/// (MiB/GiB) beside them; bandwidth and speeds are decimal (GB/s), as spec sheets quote them.
enum ValidateTable {
    static func render(_ runs: [ValidateRun], header: ValidateHeader) -> String {
        var out: [String] = []
        out.append("vramfit validate: \(header.modelName) on target \(header.target) (\(header.device))")
        out.append("prefill \(header.prefill) tokens + \(header.decode) decode steps · seed \(header.seed) · weights: \(header.weightsSource)")
        out.append("bandwidth: \(header.bandwidthText)")
        for run in runs {
            out.append("")
            out += section(run)
        }
        if runs.count > 1 { out.append(""); out += summary(runs) }
        return out.joined(separator: "\n")
    }

    static func section(_ r: ValidateRun) -> [String] {
        let m = r.measurement
        var rows: [[String]] = [["", "predicted", "measured", "check"]]
        rows.append(["weights, layer \(m.layerIndex)", bytes(r.predictedWeights), bytes(r.measuredWeights), r.weightVerdict.text])
        for t in r.tensors {
            let name = t.name.replacingOccurrences(of: #"^model\.layers\.\d+\."#, with: "", options: .regularExpression)
            let storage = t.format == t.predictedStorage ? t.format : "\(t.predictedStorage) → \(t.format)"
            rows.append(["  \(name) (\(storage))", grouped(t.predicted.value), grouped(t.measured.value), ValidateCheck.bytes(predicted: t.predicted, measured: t.measured).text])
        }
        rows.append(["KV cache per token (\(r.kvType.id))", bytes(r.predictedKVPerToken), bytes(m.kvBytesPerToken), r.kvVerdict.text])
        rows.append(["peak working memory, prefill \(m.prefillTokens)", bytes(r.predictedActivation), bytes(m.memory.peak), r.activationVerdict.text])
        if let e = m.outputError, let u = m.updateError {
            rows.append(["layer update vs unquantized: rel. L2", r.expectedUpdateError.map { String(format: "%.4f (√3 × weights)", $0) } ?? "—",
                         String(format: "%.4f", u.relativeL2), r.errorVerdict.text])
            rows.append(["  cosine", "", String(format: "%.6f", u.cosine), ""])
            rows.append(["layer output (with residual): rel. L2, cosine", "", String(format: "%.4f, %.6f", e.relativeL2, e.cosine), ""])
        }
        rows.append(["decode time per layer (median of \(m.decodeSeconds.count))", r.rooflineLayerSeconds.map { ms($0) + " (roofline)" } ?? "—",
                     ms(m.decodeMedianSeconds), r.rooflineLayerSeconds.map { String(format: "%.1f× the roofline", m.decodeMedianSeconds / $0) } ?? ""])
        rows.append(["decode tokens/s, \(r.numLayers) layers + head", r.rooflineTokensPerSecond.map { String(format: "%.2f", $0) } ?? "—",
                     String(format: "%.2f", r.measuredTokensPerSecond), r.decodeVerdict.text])
        rows.append(["decode weight streaming", "", String(format: "%.2f GB/s", r.decodeGBps), ""])
        rows.append(["prefill \(m.prefillTokens) tokens", "", String(format: "%.2f s (%.1f GFLOP/s)", m.prefillSeconds, r.prefillGFLOPS), ""])
        if let p = m.prefillCoresBusy {
            rows.append(["cores busy, prefill / decode (of \(Parallel.cores))", "", String(format: "%.2f / %@", p, m.decodeCoresBusy.map { String(format: "%.2f", $0) } ?? "—"), ""])
        }
        rows.append(["time: build (draw + quantize), float64 reference", "", String(format: "%.2f s, %.2f s", m.buildSeconds, m.referenceSeconds), ""])
        var lines = ["\(r.scheme.id) (\(r.scheme.name)) · layer \(m.layerIndex) of \(r.numLayers) · engine \(r.engine.id) · KV cache \(r.kvType.id)"]
        lines += table(rows)
        lines += notes(r)
        return lines
    }

    static func notes(_ r: ValidateRun) -> [String] {
        let m = r.measurement
        var n: [String] = []
        let buffers = m.memory.buffersAtPeak.map { "\($0.name) \(ByteFormat.binary($0.bytes))" }.joined(separator: ", ")
        n.append("working memory: the runner's own buffers, counted at allocation; peak in \(m.memory.phase): \(buffers).")
        n.append("  predicted: the estimator's activation model (ActivationPeak.forward) at \(m.prefillTokens) tokens × 4 B (fp32, the runner's activation type):")
        n.append("  residual + normed (2·hidden) + max(MLP 3·intermediate, q+k+v+attention output) per token. The runner keeps 2·intermediate")
        n.append("  (SiLU·up in place, where transformers holds gate, up and their product) and frees K/V once they are in the cache.")
        let s = m.shape
        if s.moe == nil, s.intermediate > 0, m.memory.phase.hasSuffix("mlp") {
            let unit = Double(m.prefillTokens * s.intermediate * 4)
            let diff = Double(r.predictedActivation.value - m.memory.peak.value)
            n.append(String(format: "  The difference is %.3f × (tokens × intermediate × 4 B = %@): that one buffer.", diff / unit, ByteFormat.binary(ByteCount(Int64(unit)))))
        }
        if m.outputError != nil, let w = m.weightRelativeRMS {
            n.append("output error: \(m.checkedPositions.count) positions (\(m.checkedPositions.filter { $0 < m.prefillTokens }.count) of the prefill, every decode step) against the same layer")
            n.append("  unquantized (the checkpoint in the model's dtype), KV exact, in float64. The update is output − input (the residual passes")
            n.append(String(format: "  through exactly). Predicted: ‖Ŵ−W‖/‖W‖ = %.4f over the layer's matrices is the error of one projection y = Wx;", w))
            n.append("  the SwiGLU MLP, which dominates the update, adds three such errors (gate, up, down) in quadrature: √3 ×.")
        }
        n.append("decode: roofline = (weight bytes a token reads + KV cache at \(r.context) tokens) / bandwidth, the estimator's DecodeRoofline;")
        n.append("  measured = \(r.numLayers) × the median decode step + the head (\(ByteFormat.binary(r.headBytes))) at this layer's streaming rate.")
        n += r.assumptions.map { "note: \($0)" }
        return n
    }

    static func summary(_ runs: [ValidateRun]) -> [String] {
        var rows: [[String]] = [["scheme", "layer", "weights", "KV/token", "working memory", "update rel. L2", "decode ms", "tokens/s", "of roofline"]]
        for r in runs {
            rows.append([r.scheme.id, "\(r.measurement.layerIndex)", r.weightVerdict.ok ? "✓ exact" : "✗", r.kvVerdict.ok ? "✓ exact" : "✗",
                         String(format: "%+.1f %%", r.activationMiss * 100), r.measurement.updateError.map { String(format: "%.4f", $0.relativeL2) } ?? "—",
                         ms(r.measurement.decodeMedianSeconds), String(format: "%.2f", r.measuredTokensPerSecond),
                         r.fractionOfRoofline.map { String(format: "%.0f %%", $0 * 100) } ?? "—"])
        }
        return ["summary"] + table(rows)
    }

    static func table(_ rows: [[String]]) -> [String] {
        var w = [Int](repeating: 0, count: rows.map(\.count).max() ?? 0)
        for r in rows { for (i, c) in r.enumerated() { w[i] = max(w[i], c.count) } }
        return rows.map { r in
            r.enumerated().map { i, c in i == r.count - 1 ? c : c.padding(toLength: w[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
    }

    static func bytes(_ b: ByteCount) -> String { "\(grouped(b.value)) B (\(ByteFormat.binary(b)))" }

    static func ms(_ s: Double) -> String { String(format: "%.2f ms", s * 1000) }

    static func grouped(_ v: Int64) -> String {
        let s = String(abs(v))
        var out = ""
        for (i, c) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (v < 0 ? "−" : "") + out
    }
}

/// What every section shares.
struct ValidateHeader {
    var modelId: String
    var modelName: String
    var target: String
    var device: String
    var prefill: Int
    var decode: Int
    var seed: UInt64
    var weightsSource: String
    var bandwidth: Double?
    var copyBandwidth: Double?
    var bandwidthSource: String

    var bandwidthText: String {
        guard let b = bandwidth else { return "unknown (\(bandwidthSource))" }
        var s = String(format: "%.2f GB/s", b / 1e9) + " (\(bandwidthSource))"
        if let c = copyBandwidth { s += String(format: "; copy %.2f GB/s", c / 1e9) }
        return s
    }
}
