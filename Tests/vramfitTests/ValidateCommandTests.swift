import Foundation
import Testing

/// `vramfit validate` through the built binary: a tiny model from a user catalog keeps the debug
/// build fast; the bad-input cases check the exit-code contract (2) and that the message names the problem.
@Suite struct ValidateCommandTests {
    /// A Qwen2-shaped toy: rows of 256 so every scheme (K-quants included) stores it natively.
    static func catalogDir() throws -> URL {
        let dir = try CLI.tempDir()
        try """
        models:
          - id: tiny-validate
            family: qwen2.5
            vocab_size: 512
            hidden_size: 256
            intermediate_size: 512
            num_hidden_layers: 4
            num_attention_heads: 4
            num_key_value_heads: 2
            attention_bias: true
            max_context: 4096
            published_params: 3000000
            source: [test fixture]
        """.write(to: dir.appendingPathComponent("tiny.yaml"), atomically: true, encoding: .utf8)
        return dir
    }

    func validate(_ extra: [String]) throws -> CLIResult {
        try CLI.run(["validate", "-m", "tiny-validate", "--catalog", Self.catalogDir().path, "-c", "16", "--decode", "3"] + extra)
    }

    @Test func tableShowsExactWeightsAndKV() throws {
        let r = try validate(["-q", "awq"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("weights, layer 0"))
        #expect(r.stdout.contains("KV cache per token (fp16)"))
        let weights = r.stdout.split(separator: "\n").first { $0.hasPrefix("weights, layer 0") } ?? ""
        #expect(weights.hasSuffix("✓ exact"), "\(weights)")
        #expect(!r.stdout.contains("✗ +") && !r.stdout.contains("✗ −0"), "no byte mismatch expected:\n\(r.stdout)")
        #expect(r.stdout.contains("measured on this machine: STREAM-style read"))
        // Not a terminal: no progress bar on stderr.
        #expect(r.stderr.isEmpty, "\(r.stderr)")
    }

    @Test func jsonContract() throws {
        let r = try validate(["-q", "int8,q4_k_m", "--layers", "2", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(obj["schema_version"] as? Int == 1)
        #expect(obj["target"] as? String == "cpu")
        let runs = try #require(obj["runs"] as? [[String: Any]])
        #expect(runs.count == 4)                                        // 2 schemes × layers 0 and 3
        #expect(runs.map { $0["layer"] as? Int } == [0, 3, 0, 3])
        for run in runs {
            #expect(run["weights_match"] as? Bool == true)
            #expect(run["kv_match"] as? Bool == true)
            #expect((run["weights_predicted_bytes"] as? Int64) == (run["weights_measured_bytes"] as? Int64))
            let err = try #require(run["output_error"] as? [String: Any])
            #expect((err["update_relative_l2"] as? Double ?? 1) < 0.2)
            #expect(run["decode_step_seconds"] as? [Double] != nil)
        }
        // llama.cpp's Q4_K_M gives layer 0 (first eighth) Q6_K for attn_v; the estimate knows.
        let q4 = try #require(runs.first { $0["scheme"] as? String == "q4_k_m" })
        let tensors = try #require(q4["tensors"] as? [[String: Any]])
        #expect(tensors.first { $0["role"] as? String == "attn_v" }?["predicted_storage"] as? String == "Q6_K")
    }

    @Test func kvCacheTypeOption() throws {
        let r = try validate(["-q", "bf16", "--kv-cache-type", "q8_0", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let run = try #require((obj["runs"] as? [[String: Any]])?.first)
        #expect(run["kv_cache_type"] as? String == "q8_0")
        // 2 KV heads × 64 = 128 values per row: 4 blocks × 34 B, K and V → 272 B per token (by hand).
        #expect(run["kv_bytes_per_token_measured"] as? Int == 272)
        #expect(run["kv_bytes_per_token_predicted"] as? Int == 272)
    }

    @Test func unknownModelSuggests() throws {
        let r = try CLI.run(["validate", "-m", "qwen2.5-7c"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("qwen2.5-7b"), "\(r.stderr)")
    }

    @Test func unknownTarget() throws {
        let r = try validate(["--target", "tpu"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("unknown target 'tpu'") && r.stderr.contains("cpu"), "\(r.stderr)")
    }

    @Test func cudaWithoutGPUIsACleanError() throws {
        // On a machine with a GPU this would run; here (no libcuda) it must say why and exit 2.
        guard !FileManager.default.fileExists(atPath: "/dev/nvidia0") else { return }
        let r = try validate(["--target", "cuda"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("not available"), "\(r.stderr)")
    }

    @Test func unsupportedArchitecture() throws {
        let r = try CLI.run(["validate", "-m", "deepseek-v3", "-q", "fp8"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("MLA"), "\(r.stderr)")
    }

    @Test func unsupportedSchemeOnTheRunner() throws {
        // No quantizer implements IQ4_XS's lattice codebook; refused before anything is allocated.
        let r = try validate(["-q", "iq4_xs"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("iq4_xs") || r.stderr.contains("IQ4_XS"), "\(r.stderr)")
    }

    @Test func tooBigForMemoryIsRefusedWithTheBytes() throws {
        let r = try CLI.run(["validate", "-m", "llama-3.1-405b", "-q", "bf16", "-c", "1m"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("not enough memory"), "\(r.stderr)")
        #expect(r.stderr.range(of: #"needs \d+ bytes"#, options: .regularExpression) != nil, "\(r.stderr)")
    }

    @Test func badNumbersAndLayers() throws {
        #expect(try validate(["--decode", "-1"]).status == 2)
        #expect(try validate(["-c", "0"]).status == 2)
        let l = try validate(["--layer", "9"])
        #expect(l.status == 2 && l.stderr.contains("layer 9"), "\(l.stderr)")
        #expect(try validate(["--layers", "2", "--layer", "1"]).status == 2)
        #expect(try validate(["--kv-cache-type", "q5_9"]).status == 2)
    }

    /// A checkpoint whose q_proj has the wrong shape: refused with the tensor named.
    @Test func safetensorsWithWrongShapes() throws {
        let dir = try CLI.tempDir()
        let file = dir.appendingPathComponent("model.safetensors")
        try Self.writeSafetensors(file, tensors: [("model.layers.0.self_attn.q_proj.weight", [128, 256])])
        let r = try validate(["--weights", file.path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("q_proj") && r.stderr.contains("[256, 256]"), "\(r.stderr)")
    }

    /// A checkpoint with every tensor of layer 0 (F32 zeros and ones): runs, and the weights are read.
    @Test func safetensorsWithRightShapesRuns() throws {
        let dir = try CLI.tempDir()
        let file = dir.appendingPathComponent("model.safetensors")
        let p = "model.layers.0"
        try Self.writeSafetensors(file, tensors: [
            ("\(p).input_layernorm.weight", [256]), ("\(p).post_attention_layernorm.weight", [256]),
            ("\(p).self_attn.q_proj.weight", [256, 256]), ("\(p).self_attn.k_proj.weight", [128, 256]),
            ("\(p).self_attn.v_proj.weight", [128, 256]), ("\(p).self_attn.o_proj.weight", [256, 256]),
            ("\(p).self_attn.q_proj.bias", [256]), ("\(p).self_attn.k_proj.bias", [128]), ("\(p).self_attn.v_proj.bias", [128]),
            ("\(p).mlp.gate_proj.weight", [512, 256]), ("\(p).mlp.up_proj.weight", [512, 256]), ("\(p).mlp.down_proj.weight", [256, 512]),
        ])
        let r = try validate(["--weights", file.path, "-q", "bf16", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\"weights_source\" : \"safetensors"))
    }

    /// F32 tensors of the given shapes, values 0.01 · (i mod 7).
    static func writeSafetensors(_ url: URL, tensors: [(String, [Int])]) throws {
        var header: [String] = []
        var data = Data()
        for (name, shape) in tensors {
            let n = shape.reduce(1, *)
            let begin = data.count
            for i in 0..<n { var v = Float(i % 7) * 0.01; withUnsafeBytes(of: &v) { data.append(contentsOf: $0) } }
            header.append("\"\(name)\":{\"dtype\":\"F32\",\"shape\":[\(shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(begin),\(data.count)]}")
        }
        let json = Data(("{" + header.joined(separator: ",") + "}").utf8)
        var out = Data()
        var len = UInt64(json.count).littleEndian
        withUnsafeBytes(of: &len) { out.append(contentsOf: $0) }
        out.append(json)
        out.append(data)
        try out.write(to: url)
    }
}
