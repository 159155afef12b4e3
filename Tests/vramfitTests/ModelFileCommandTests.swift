import Foundation
import Testing

/// `estimate --model PATH` and `catalog import PATH` on files written by the test.
@Suite struct ModelFileCommandTests {
    static let config = #"""
    {"_name_or_path":"Qwen/Qwen2.5-0.5B-Instruct","model_type":"qwen2","hidden_size":896,"intermediate_size":4864,
     "num_hidden_layers":24,"num_attention_heads":14,"num_key_value_heads":2,"vocab_size":151936,
     "max_position_embeddings":32768,"tie_word_embeddings":true,"torch_dtype":"bfloat16","use_sliding_window":false}
    """#

    /// Qwen2.5-0.5B's tensors, in checkpoint order.
    static var qwenTensors: [(String, [Int64])] {
        var t: [(String, [Int64])] = [("model.embed_tokens.weight", [151936, 896])]
        for l in 0..<24 {
            let p = "model.layers.\(l)."
            for (n, s) in [("self_attn.q_proj.weight", [896, 896]), ("self_attn.k_proj.weight", [128, 896]), ("self_attn.v_proj.weight", [128, 896]),
                           ("self_attn.o_proj.weight", [896, 896]), ("self_attn.q_proj.bias", [896]), ("self_attn.k_proj.bias", [128]),
                           ("self_attn.v_proj.bias", [128]), ("mlp.gate_proj.weight", [4864, 896]), ("mlp.up_proj.weight", [4864, 896]),
                           ("mlp.down_proj.weight", [896, 4864]), ("input_layernorm.weight", [896]), ("post_attention_layernorm.weight", [896])] as [(String, [Int64])] {
                t.append((p + n, s))
            }
        }
        t.append(("model.norm.weight", [896]))
        return t
    }

    /// config.json and sparse safetensors listing Qwen2.5-0.5B's tensors (data is a hole): one
    /// model.safetensors, or `shards` files named by a model.safetensors.index.json as
    /// transformers' save_pretrained shards them (model-0000K-of-0000N.safetensors).
    static func writeModel(in dir: URL, headerLength: UInt64? = nil, shards: Int = 1) throws {
        try Data(config.utf8).write(to: dir.appendingPathComponent("config.json"))
        let all = qwenTensors
        var weightMap: [String] = []
        for k in 0..<shards {
            let name = shards == 1 ? "model.safetensors" : "model-0000\(k + 1)-of-0000\(shards).safetensors"
            let part = all.enumerated().filter { $0.offset % shards == k }.map(\.element)
            var entries: [String] = []
            var off: Int64 = 0
            for (tensor, shape) in part {
                let n = shape.reduce(1, *) * 2
                entries.append("\"\(tensor)\":{\"dtype\":\"BF16\",\"shape\":\(shape),\"data_offsets\":[\(off),\(off + n)]}")
                off += n
                weightMap.append("\"\(tensor)\":\"\(name)\"")
            }
            let json = Array(("{" + entries.joined(separator: ",") + "}").utf8)
            let len = headerLength ?? UInt64(json.count)
            let url = dir.appendingPathComponent(name)
            try Data((0..<8).map { UInt8((len >> (8 * UInt64($0))) & 0xFF) } + json).write(to: url)
            let h = try FileHandle(forWritingTo: url)
            try h.truncate(atOffset: UInt64(8 + json.count) + UInt64(off))
            try h.close()
        }
        if shards > 1 {
            let index = #"{"metadata":{"total_size":988065536},"weight_map":{"# + weightMap.joined(separator: ",") + "}}"
            try Data(index.utf8).write(to: dir.appendingPathComponent("model.safetensors.index.json"))
        }
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

    /// The done-when case: a folder with config.json and safetensors shards named by an index.
    @Test func estimateReadsShardedSafetensorsThroughTheIndex() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.writeModel(in: dir, shards: 3)
        let r = try CLI.run(["estimate", "--model", dir.path, "--gpu", "rtx-4090", "--context", "8k"])
        #expect(r.status == 0, "\(r.stderr)")
        // 494,032,768 BF16 parameters × 2 bytes = 988,065,536 B = 942.29 MiB, the same as one file.
        #expect(r.stdout.contains("weights: exact 942.29 MiB from 290 tensors (BF16 942.29 MiB); formula 942.29 MiB, difference +0 B"), "\(r.stdout)")
        try FileManager.default.removeItem(at: dir.appendingPathComponent("model-00002-of-00003.safetensors"))
        let m = try CLI.run(["estimate", "--model", dir.path, "--gpu", "rtx-4090"])
        #expect(m.status == 2 && m.stderr.contains("model-00002-of-00003.safetensors: missing: model.safetensors.index.json names this shard"), "\(m.stderr)")
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

    /// GGUF bytes: header, key-values, tensor infos (Q8_0, laid out in order), aligned zero data.
    static func gguf(_ kv: [[UInt8]], _ tensors: [(String, [UInt64], Int64)]) -> [UInt8] {
        var b = Array("GGUF".utf8) + GG.u32(3) + GG.u64(UInt64(tensors.count)) + GG.u64(UInt64(kv.count)) + kv.flatMap { $0 }
        var off: Int64 = 0
        for t in tensors { b += GG.str(t.0) + GG.u32(UInt32(t.1.count)) + t.1.flatMap(GG.u64) + GG.u32(8) + GG.u64(UInt64(off)); off += (t.2 + 31) / 32 * 32 }
        while b.count % 32 != 0 { b.append(0) }
        return b + [UInt8](repeating: 0, count: Int(off))
    }

    enum GG {
        static func u32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * UInt32($0))) & 0xFF) } }
        static func u64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8((v >> (8 * UInt64($0))) & 0xFF) } }
        static func str(_ s: String) -> [UInt8] { u64(UInt64(s.utf8.count)) + Array(s.utf8) }
        static func kvU32(_ k: String, _ v: UInt32) -> [UInt8] { str(k) + u32(4) + u32(v) }
        static func kvU16(_ k: String, _ v: UInt16) -> [UInt8] { str(k) + u32(2) + [UInt8(v & 0xFF), UInt8(v >> 8)] }
        static func kvI32(_ k: String, _ v: Int32) -> [UInt8] { str(k) + u32(5) + u32(UInt32(bitPattern: v)) }
    }

    /// A model gguf-split cut in three (llama.cpp tools/gguf-split: split.no u16, split.count u16,
    /// split.tensors.count i32 in every shard, the metadata in the first): `--model` on the first
    /// shard or the folder sums all three; a missing shard exits 2 naming it.
    @Test func splitGGUFEstimate() throws {
        let meta: [[UInt8]] = [
            GG.str("general.architecture") + GG.u32(8) + GG.str("llama"), GG.kvU32("general.file_type", 7),
            GG.kvU32("llama.context_length", 4096), GG.kvU32("llama.embedding_length", 256), GG.kvU32("llama.block_count", 1),
            GG.kvU32("llama.feed_forward_length", 512), GG.kvU32("llama.attention.head_count", 4), GG.kvU32("llama.vocab_size", 256),
        ]
        // Q8_0: 34 bytes per 32 weights. 256×256 → 69,632 B; 256×512 → 139,264 B.
        let tensors: [[(String, [UInt64], Int64)]] = [
            [("token_embd.weight", [256, 256], 69632)], [("blk.0.attn_q.weight", [256, 256], 69632), ("blk.0.ffn_up.weight", [256, 512], 139264)],
            [("output.weight", [256, 256], 69632)],
        ]
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        for k in 0..<3 {
            let split = [GG.kvU16("split.no", UInt16(k)), GG.kvU16("split.count", 3), GG.kvI32("split.tensors.count", 4)]
            try Data(Self.gguf((k == 0 ? meta : []) + split, tensors[k])).write(to: dir.appendingPathComponent("tiny-Q8_0-0000\(k + 1)-of-00003.gguf"))
        }
        for path in [dir.appendingPathComponent("tiny-Q8_0-00001-of-00003.gguf").path, dir.path] {
            let r = try CLI.run(["estimate", "--model", path, "--gpu", "rtx-4090"])
            #expect(r.status == 0, "\(r.stderr)")
            // 69,632 × 3 + 139,264 = 348,160 B = 340.00 KiB, as in the one-file test below.
            #expect(r.stdout.contains("weights: exact 340.00 KiB from 4 tensors (Q8_0 340.00 KiB)"), "\(r.stdout)")
            #expect(r.stdout.contains("split GGUF: 3 shards, 4 tensors"), "\(r.stdout)")
        }
        try FileManager.default.removeItem(at: dir.appendingPathComponent("tiny-Q8_0-00003-of-00003.gguf"))
        let m = try CLI.run(["estimate", "--model", dir.appendingPathComponent("tiny-Q8_0-00001-of-00003.gguf").path, "--gpu", "rtx-4090"])
        #expect(m.status == 2, "\(m.stdout)")
        #expect(m.stderr.contains("tiny-Q8_0-00003-of-00003.gguf: shard 3 of 3 of this split GGUF is missing"), "\(m.stderr)")
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
