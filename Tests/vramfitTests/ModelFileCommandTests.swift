import Foundation
import Testing

/// `estimate --model PATH` and `catalog import PATH` on files written by the test.
@Suite struct ModelFileCommandTests {
    static let config = #"""
    {"_name_or_path":"Qwen/Qwen2.5-0.5B-Instruct","model_type":"qwen2","hidden_size":896,"intermediate_size":4864,
     "num_hidden_layers":24,"num_attention_heads":14,"num_key_value_heads":2,"vocab_size":151936,
     "max_position_embeddings":32768,"tie_word_embeddings":true,"torch_dtype":"bfloat16","use_sliding_window":false}
    """#

    /// A sparse safetensors file whose header lists Qwen2.5-0.5B's tensors (data is a hole).
    static func writeModel(in dir: URL, headerLength: UInt64? = nil) throws {
        try Data(config.utf8).write(to: dir.appendingPathComponent("config.json"))
        var entries: [String] = []
        var off: Int64 = 0
        func add(_ name: String, _ shape: [Int64]) {
            let n = shape.reduce(1, *) * 2
            entries.append("\"\(name)\":{\"dtype\":\"BF16\",\"shape\":\(shape),\"data_offsets\":[\(off),\(off + n)]}")
            off += n
        }
        add("model.embed_tokens.weight", [151936, 896])
        for l in 0..<24 {
            let p = "model.layers.\(l)."
            for (n, s) in [("self_attn.q_proj.weight", [896, 896]), ("self_attn.k_proj.weight", [128, 896]), ("self_attn.v_proj.weight", [128, 896]),
                           ("self_attn.o_proj.weight", [896, 896]), ("self_attn.q_proj.bias", [896]), ("self_attn.k_proj.bias", [128]),
                           ("self_attn.v_proj.bias", [128]), ("mlp.gate_proj.weight", [4864, 896]), ("mlp.up_proj.weight", [4864, 896]),
                           ("mlp.down_proj.weight", [896, 4864]), ("input_layernorm.weight", [896]), ("post_attention_layernorm.weight", [896])] as [(String, [Int64])] {
                add(p + n, s)
            }
        }
        add("model.norm.weight", [896])
        let json = Array(("{" + entries.joined(separator: ",") + "}").utf8)
        let len = headerLength ?? UInt64(json.count)
        let url = dir.appendingPathComponent("model.safetensors")
        try Data((0..<8).map { UInt8((len >> (8 * UInt64($0))) & 0xFF) } + json).write(to: url)
        let h = try FileHandle(forWritingTo: url)
        try h.truncate(atOffset: UInt64(8 + json.count) + UInt64(off))
        try h.close()
    }

    @Test func estimateUsesExactWeightsFromTheFolder() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.writeModel(in: dir)
        let r = try CLI.run(["estimate", "--model", dir.path, "--gpu", "rtx-4090", "--context", "8k"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("weights: exact 942.29 MiB from 290 tensors (BF16 942.29 MiB); formula 942.29 MiB, difference +0 B"), "\(r.stdout)")
        let j = try CLI.run(["estimate", "--model", dir.appendingPathComponent("config.json").path, "--gpu", "rtx-4090", "--quant", "awq", "--json"])
        #expect(j.status == 0, "\(j.stderr)")
        #expect(j.stdout.contains("weights from the formula: the files hold bf16, the estimate is for awq"))
    }

    @Test func hostileSafetensorsExitsTwo() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.writeModel(in: dir, headerLength: UInt64.max)
        let r = try CLI.run(["estimate", "--model", dir.path, "--gpu", "rtx-4090"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("model.safetensors: safetensors header length is 9223372036854775807, beyond the limit of 100000000"), "\(r.stderr)")
        try Data(#"{"weight_map":{"a":"../../x.safetensors"}}"#.utf8).write(to: dir.appendingPathComponent("model.safetensors.index.json"))
        let t = try CLI.run(["estimate", "--model", dir.path, "--gpu", "rtx-4090"])
        #expect(t.status == 2 && t.stderr.contains("is not a plain file name"), "\(t.stderr)")
        try Data(#"{"hidden_size": 1, "hidden_size": 2}"#.utf8).write(to: dir.appendingPathComponent("config.json"))
        let d = try CLI.run(["catalog", "import", dir.path])
        #expect(d.status == 2 && d.stderr.contains("duplicate JSON key 'hidden_size'"), "\(d.stderr)")
    }

    @Test func importPrintsAnEntryThatValidates() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.writeModel(in: dir)
        let r = try CLI.run(["catalog", "import", dir.path, "--id", "my-qwen"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("  - id: \"my-qwen\"") && r.stdout.contains("attention_bias: true") && r.stdout.contains("published_params: 494032768"))
        let yaml = dir.appendingPathComponent("my.yaml")
        try Data(r.stdout.utf8).write(to: yaml)
        let v = try CLI.run(["catalog", "validate", yaml.path])
        #expect(v.status == 0, "\(v.stderr)")
        let e = try CLI.run(["estimate", "--model", "my-qwen", "--gpu", "t4", "--catalog", yaml.path])
        #expect(e.status == 0, "\(e.stderr)")
    }

    /// A GGUF v3 file with one Q8_0 layer: the estimate runs on llama.cpp with the file's bytes.
    @Test func ggufEstimate() throws {
        func u32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * UInt32($0))) & 0xFF) } }
        func u64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8((v >> (8 * UInt64($0))) & 0xFF) } }
        func str(_ s: String) -> [UInt8] { u64(UInt64(s.utf8.count)) + Array(s.utf8) }
        let kv: [[UInt8]] = [
            str("general.architecture") + u32(8) + str("llama"), str("general.file_type") + u32(4) + u32(7),
            str("llama.context_length") + u32(4) + u32(4096), str("llama.embedding_length") + u32(4) + u32(256),
            str("llama.block_count") + u32(4) + u32(1), str("llama.feed_forward_length") + u32(4) + u32(512),
            str("llama.attention.head_count") + u32(4) + u32(4), str("llama.vocab_size") + u32(4) + u32(256),
        ]
        let tensors: [(String, [UInt64], Int64)] = [("token_embd.weight", [256, 256], 69632), ("blk.0.attn_q.weight", [256, 256], 69632),
                                                    ("blk.0.ffn_up.weight", [256, 512], 139264), ("output.weight", [256, 256], 69632)]
        var b = Array("GGUF".utf8) + u32(3) + u64(UInt64(tensors.count)) + u64(UInt64(kv.count)) + kv.flatMap { $0 }
        var off: Int64 = 0
        for t in tensors { b += str(t.0) + u32(2) + t.1.flatMap(u64) + u32(8) + u64(UInt64(off)); off += t.2 }
        while b.count % 32 != 0 { b.append(0) }
        b += [UInt8](repeating: 0, count: Int(off))
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("tiny.gguf")
        try Data(b).write(to: file)
        let r = try CLI.run(["estimate", "--model", file.path, "--gpu", "rtx-4090", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\"engine\" : \"llama.cpp\"") || r.stdout.contains("\"engine\": \"llama.cpp\""), "\(r.stdout)")
        #expect(r.stdout.contains("weights: exact 340.00 KiB from 4 tensors (Q8_0 340.00 KiB)"), "\(r.stdout)")
        var bad = b; bad[8] = 0xFF; bad[15] = 0x7F   // tensor count 2^63-ish
        try Data(bad).write(to: file)
        let h = try CLI.run(["estimate", "--model", file.path, "--gpu", "rtx-4090"])
        #expect(h.status == 2 && h.stderr.contains("tiny.gguf: tensor count is"), "\(h.stderr)")
    }
}
