import Foundation

/// Builds safetensors bytes in memory: the 8-byte length, the JSON header, zeroed data.
struct SafetensorsWriter {
    var tensors: [(name: String, dtype: String, shape: [Int64])] = []
    var elementBytes: [String: Int64] = ["BF16": 2, "F16": 2, "F32": 4, "I32": 4, "U8": 1, "F8_E4M3": 1]

    mutating func add(_ name: String, _ dtype: String, _ shape: [Int64]) { tensors.append((name, dtype, shape)) }

    /// The header JSON text, for tests that want to corrupt it.
    func headerJSON() -> (json: String, dataBytes: Int64) {
        var parts: [String] = []
        var off: Int64 = 0
        for t in tensors {
            let n = t.shape.reduce(1, *) * elementBytes[t.dtype]!
            parts.append("\"\(t.name)\":{\"dtype\":\"\(t.dtype)\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(off),\(off + n)]}")
            off += n
        }
        return ("{\"__metadata__\":{\"format\":\"pt\"}," + parts.joined(separator: ",") + "}", off)
    }

    func bytes() -> [UInt8] {
        let h = headerJSON()
        return Self.file(header: h.json, dataBytes: h.dataBytes)
    }

    static func file(header: String, dataBytes: Int64, declaredLength: UInt64? = nil) -> [UInt8] {
        let json = Array(header.utf8)
        let n = declaredLength ?? UInt64(json.count)
        var out = (0..<8).map { UInt8((n >> (8 * UInt64($0))) & 0xFF) }
        out += json
        out += [UInt8](repeating: 0, count: Int(dataBytes))
        return out
    }
}

/// Builds GGUF v3 bytes in memory (ggml/docs/gguf.md), with hooks to write hostile values.
struct GGUFWriter {
    var out: [UInt8] = []
    var version: UInt32 = 3
    var kvs: [[UInt8]] = []
    var infos: [[UInt8]] = []
    var dataBytes: Int64 = 0
    var alignment: Int64 = 32
    /// Overrides for the counts in the header (to claim more than is there).
    var tensorCountOverride: UInt64?
    var kvCountOverride: UInt64?

    static func u32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * UInt32($0))) & 0xFF) } }
    static func u64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8((v >> (8 * UInt64($0))) & 0xFF) } }
    static func str(_ s: String) -> [UInt8] { u64(UInt64(s.utf8.count)) + Array(s.utf8) }

    mutating func string(_ k: String, _ v: String) { kvs.append(Self.str(k) + Self.u32(8) + Self.str(v)) }
    mutating func u16(_ k: String, _ v: UInt16) { kvs.append(Self.str(k) + Self.u32(2) + [UInt8(v & 0xFF), UInt8(v >> 8)]) }
    mutating func u32(_ k: String, _ v: UInt32) { kvs.append(Self.str(k) + Self.u32(4) + Self.u32(v)) }
    mutating func i32(_ k: String, _ v: Int32) { kvs.append(Self.str(k) + Self.u32(5) + Self.u32(UInt32(bitPattern: v))) }
    mutating func f32(_ k: String, _ v: Float) { kvs.append(Self.str(k) + Self.u32(6) + Self.u32(v.bitPattern)) }
    mutating func stringArray(_ k: String, _ items: [String]) {
        kvs.append(Self.str(k) + Self.u32(9) + Self.u32(8) + Self.u64(UInt64(items.count)) + items.flatMap(Self.str))
    }
    mutating func raw(_ bytes: [UInt8]) { kvs.append(bytes) }

    /// A tensor of `type` (ggml id) with its size from the block table; data placed in order, aligned.
    mutating func tensor(_ name: String, dims: [UInt64], type: UInt32, blockSize: Int64, blockBytes: Int64, offset: UInt64? = nil) {
        let off = offset ?? UInt64(dataBytes)
        infos.append(Self.str(name) + Self.u32(UInt32(dims.count)) + dims.flatMap(Self.u64) + Self.u32(type) + Self.u64(off))
        // Hostile tensors (explicit offset) claim sizes the file does not hold: no data for them.
        guard offset == nil else { return }
        let elems = dims.reduce(1) { $0 * Int64($1) }
        let bytes = elems / blockSize * blockBytes
        dataBytes += (bytes + alignment - 1) / alignment * alignment
    }

    func bytes() -> [UInt8] {
        var b: [UInt8] = Array("GGUF".utf8) + Self.u32(version)
        b += Self.u64(tensorCountOverride ?? UInt64(infos.count)) + Self.u64(kvCountOverride ?? UInt64(kvs.count))
        for kv in kvs { b += kv }
        for i in infos { b += i }
        while Int64(b.count) % alignment != 0 { b.append(0) }
        return b + [UInt8](repeating: 0, count: Int(dataBytes))
    }

    /// The metadata of `tinyLlama`.
    mutating func tinyLlamaMetadata() {
        string("general.architecture", "llama")
        string("general.name", "Tiny Llama")
        u32("general.file_type", 7)
        u32("llama.context_length", 2048)
        u32("llama.embedding_length", 256)
        u32("llama.block_count", 2)
        u32("llama.feed_forward_length", 512)
        u32("llama.attention.head_count", 8)
        u32("llama.attention.head_count_kv", 4)
        f32("llama.rope.freq_base", 10000)
        stringArray("tokenizer.ggml.tokens", (0..<320).map { "t\($0)" })
    }

    /// The tensors of `tinyLlama`: name, dims, ggml type, block size, block bytes.
    static let tinyLlamaTensors: [(name: String, dims: [UInt64], type: UInt32, blockSize: Int64, blockBytes: Int64)] = {
        var t: [(name: String, dims: [UInt64], type: UInt32, blockSize: Int64, blockBytes: Int64)] = [("token_embd.weight", [256, 320], 8, 32, 34)]
        for l in 0..<2 {
            t.append(("blk.\(l).attn_norm.weight", [256], 0, 1, 4))
            t.append(("blk.\(l).attn_q.weight", [256, 256], 8, 32, 34))
            t.append(("blk.\(l).attn_k.weight", [256, 128], 8, 32, 34))
            t.append(("blk.\(l).attn_v.weight", [256, 128], 8, 32, 34))
            t.append(("blk.\(l).attn_output.weight", [256, 256], 8, 32, 34))
            t.append(("blk.\(l).ffn_norm.weight", [256], 0, 1, 4))
            t.append(("blk.\(l).ffn_gate.weight", [256, 512], 8, 32, 34))
            t.append(("blk.\(l).ffn_up.weight", [256, 512], 8, 32, 34))
            t.append(("blk.\(l).ffn_down.weight", [512, 256], 8, 32, 34))
        }
        t.append(("output_norm.weight", [256], 0, 1, 4))
        t.append(("output.weight", [256, 320], 14, 256, 210))
        return t
    }()

    /// A small llama-architecture file: 2 layers, hidden 256, Q8_0 matrices, F32 norms.
    static func tinyLlama(outputTensor: Bool = true) -> GGUFWriter {
        var g = GGUFWriter()
        g.tinyLlamaMetadata()
        for t in tinyLlamaTensors where outputTensor || t.name != "output.weight" {
            g.tensor(t.name, dims: t.dims, type: t.type, blockSize: t.blockSize, blockBytes: t.blockBytes)
        }
        return g
    }

    /// `tinyLlama` as llama.cpp's gguf-split writes it in `count` shards (tools/gguf-split,
    /// `split_strategy`): every shard has `split.no` (u16, from 0), `split.count` (u16) and
    /// `split.tensors.count` (i32, all shards' tensors); the first also has all the metadata;
    /// tensors go to the shards in order, `perShard` each (gguf-split's --split-max-tensors), the
    /// last taking the rest. `firstWithoutTensors` is gguf-split's --no-tensor-first-split.
    static func tinyLlamaSplit(count: Int, perShard: Int, firstWithoutTensors: Bool = false) -> [GGUFWriter] {
        let tensors = tinyLlamaTensors
        var shards: [GGUFWriter] = []
        var next = 0
        for k in 0..<count {
            var g = GGUFWriter()
            if k == 0 { g.tinyLlamaMetadata() }
            g.u16("split.no", UInt16(k))
            g.u16("split.count", UInt16(count))
            g.i32("split.tensors.count", Int32(tensors.count))
            let take = (k == 0 && firstWithoutTensors) ? 0 : (k == count - 1 ? tensors.count - next : min(perShard, tensors.count - next))
            for t in tensors[next..<(next + take)] { g.tensor(t.name, dims: t.dims, type: t.type, blockSize: t.blockSize, blockBytes: t.blockBytes) }
            next += take
            shards.append(g)
        }
        return shards
    }

    /// gguf-split's file name for shard `index` (0-based) of `count`.
    static func splitName(_ prefix: String, _ index: Int, _ count: Int) -> String {
        func pad(_ n: Int) -> String { let s = String(n); return String(repeating: "0", count: max(0, 5 - s.count)) + s }
        return "\(prefix)-\(pad(index + 1))-of-\(pad(count)).gguf"
    }
}

/// Deterministic pseudo-random numbers for the property tests (SplitMix64), so a failure reproduces.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
