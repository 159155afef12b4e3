import Testing
import VramfitCore
@testable import VramfitRunner

/// Every quantizer allocates exactly the bytes the estimator counts for the same tensor
/// (`WeightBytes.bytes(of:...)`), for the built-in catalog's real scheme entries and the real
/// Qwen2.5-7B / Llama-3.1-8B layer tensors: same roles, same layer index (so llama.cpp's
/// per-layer mix rules apply), same row lengths (so groups, blocks and fallbacks are the real
/// ones). Only the number of rows is cut to 8 (AWQ packs 8 output columns per int32) to keep the
/// test fast; every format's per-row byte count is independent of the row count, and the
/// per-column packings (qzeros) are exercised by the odd-shape tests below.
@Suite struct ByteMatchTests {
    static let schemes = [
        "awq", "gptq-int4", "gptq-int4-actorder", "gptq-int8", "int8", "bnb-int8", "bnb-nf4", "bnb-nf4-dq",
        "bnb-fp4", "bnb-fp4-dq", "q8_0", "q4_0", "q4_k_m", "q5_k_m", "q6_k", "fp8", "fp8-channel", "fp8-block",
    ]

    struct Row: CustomStringConvertible {
        var tensor: String, format: String, allocated: Int64, estimated: Int64, estimatedType: String
        var description: String { "\(tensor) \(format): \(allocated) vs \(estimated) (\(estimatedType))" }
    }

    /// Quantizes each tensor of `layer` (rows cut to 8) and returns allocated vs estimated bytes.
    static func rows(model: Model, scheme: QuantScheme, layer: Int64, engine: String? = nil) throws -> [Row] {
        let specs = TensorInventory.tensors(of: model).filter { $0.layer == layer }
        var out: [Row] = []
        for full in specs {
            var t = full
            t.rows = min(full.rows, 8)
            let q = try QuantizerFactory.quantizer(for: t, scheme: scheme, model: model, engine: engine)
            let w = try q.quantize(QuantFixtures.gaussian(rows: Int(t.rows), cols: Int(t.rowLength), seed: 7), rows: Int(t.rows), cols: Int(t.rowLength))
            let expected = WeightBytes.bytes(of: t, scheme: scheme, model: model, engine: engine)
            out.append(Row(tensor: t.name, format: w.format, allocated: w.allocatedBytes.value * t.count,
                           estimated: expected.bytes.value, estimatedType: expected.type))
        }
        return out
    }

    @Test("allocated bytes equal the estimator's, Qwen2.5-7B layers 0 and 4", arguments: schemes)
    func qwenLayers(_ id: String) throws {
        let model = try #require(QuantFixtures.model("qwen2.5-7b"))
        let scheme = try #require(QuantFixtures.scheme(id), "scheme \(id) is in the built-in catalog")
        for layer: Int64 in [0, 4] {
            for r in try Self.rows(model: model, scheme: scheme, layer: layer) {
                #expect(r.allocated == r.estimated, "\(id) layer \(layer): \(r)")
            }
        }
    }

    @Test("allocated bytes equal the estimator's, Llama-3.1-8B layer 0", arguments: ["awq", "gptq-int4", "bnb-nf4-dq", "q4_k_m", "fp8-channel"])
    func llamaLayer(_ id: String) throws {
        let model = try #require(QuantFixtures.model("llama-3.1-8b"))
        let scheme = try #require(QuantFixtures.scheme(id))
        for r in try Self.rows(model: model, scheme: scheme, layer: 0) {
            #expect(r.allocated == r.estimated, "\(id): \(r)")
        }
    }

    /// The Q4_K_M mix gives Qwen2.5-7B (28 layers) Q6_K attn_v and ffn_down on use_more_bits
    /// layers (layer < 28/8 = 3, ≥ 7·28/8 = 24, or (layer − 3) % 3 == 2) and Q4_K elsewhere;
    /// 1-D tensors are F32 (llama-quant.cpp; convert_hf_to_gguf.py), weights F32 → 4 bytes each.
    @Test func q4KMixTypesPerLayer() throws {
        let model = try #require(QuantFixtures.model("qwen2.5-7b"))
        let scheme = try #require(QuantFixtures.scheme("q4_k_m"))
        func formats(_ layer: Int64) throws -> [String: String] {
            Dictionary(uniqueKeysWithValues: try Self.rows(model: model, scheme: scheme, layer: layer).map { ($0.tensor.split(separator: ".").suffix(2).joined(separator: "."), $0.format) })
        }
        let l0 = try formats(0), l4 = try formats(4), l5 = try formats(5)
        #expect(l0["self_attn.v_proj"] == "Q6_K" && l0["mlp.down_proj"] == "Q6_K" && l0["self_attn.q_proj"] == "Q4_K")
        #expect(l4["self_attn.v_proj"] == "Q4_K" && l4["mlp.down_proj"] == "Q4_K")
        #expect(l5["self_attn.v_proj"] == "Q6_K" && l5["mlp.down_proj"] == "Q6_K")   // (5 − 3) % 3 == 2
        #expect(l0["0.norms"] == "float32" && l0["self_attn.qkv_bias"] == "float32")
    }

    @Test func unsupportedSchemeIsAClearError() throws {
        let model = try #require(QuantFixtures.model("qwen2.5-7b"))
        let scheme = try #require(QuantFixtures.scheme("q2_k"))
        let spec = try #require(TensorInventory.tensors(of: model).first { $0.layer == 0 && $0.role == .attnQ })
        #expect(throws: QuantizeError.self) { _ = try QuantizerFactory.quantizer(for: spec, scheme: scheme, model: model) }
    }

    @Test func awqRejectsRowsNotMultipleOf8() {
        #expect(throws: QuantizeError.self) { _ = try AWQQuantizer().quantize([Float](repeating: 0.1, count: 12 * 128), rows: 12, cols: 128) }
    }

    @Test func nonFiniteInputIsRejected() {
        var w = [Float](repeating: 0.1, count: 64)
        w[5] = .nan
        #expect(throws: QuantizeError.nonFinite(format: "nf4-b64", index: 5)) {
            _ = try Bnb4bitQuantizer(dataType: .nf4, doubleQuant: false).quantize(w, rows: 1, cols: 64)
        }
    }
}
