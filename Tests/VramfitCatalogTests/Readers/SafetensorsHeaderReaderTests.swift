import Testing
@testable import VramfitCatalog

@Suite struct SafetensorsHeaderReaderTests {
    func read(_ b: [UInt8]) throws -> SafetensorsHeader { try SafetensorsHeaderReader.read(b, fileSize: Int64(b.count)) }

    @Test func sumsExactBytesByDTypeAndRole() throws {
        var w = SafetensorsWriter()
        w.add("model.embed_tokens.weight", "BF16", [100, 64])
        w.add("model.layers.0.self_attn.q_proj.qweight", "I32", [64, 8])
        w.add("model.layers.0.self_attn.q_proj.qzeros", "I32", [1, 8])
        w.add("model.layers.0.self_attn.q_proj.scales", "F16", [1, 64])
        w.add("model.layers.0.input_layernorm.weight", "BF16", [64])
        w.add("lm_head.weight", "BF16", [100, 64])
        let h = try read(w.bytes())
        #expect(h.tensors.count == 6 && h.metadata["format"] == "pt")
        let t = try TensorTotals(safetensors: h)
        #expect(t.total == 12800 + 2048 + 32 + 128 + 128 + 12800)
        #expect(t.byDType == ["BF16": 25728, "I32": 2080, "F16": 128])
        #expect(t.byRole["packed weights (qweight)"] == 2048)
        #expect(t.byRole["quantization parameters"] == 160)
        #expect(t.byRole["embeddings"] == 12800 && t.byRole["output head"] == 12800 && t.byRole["norms"] == 128)
        #expect(t.byLayer == [0: 2336])
    }

    @Test func headerLengthBeyondLimitOrFile() {
        let huge = SafetensorsWriter.file(header: "{}", dataBytes: 0, declaredLength: UInt64.max)
        #expect(throws: ModelFileError.tooLarge(what: "safetensors header length", value: Int64.max, limit: 100_000_000)) { try read(huge) }
        let past = SafetensorsWriter.file(header: "{}", dataBytes: 0, declaredLength: 1000)
        #expect(throws: ModelFileError.truncated(what: "the safetensors header (1000 bytes announced)", offset: 10)) { try read(past) }
        #expect(throws: ModelFileError.truncated(what: "the 8-byte header length", offset: 0)) { try read([1, 2, 3]) }
    }

    @Test func prefixAsksForMore() {
        let b = SafetensorsWriter.file(header: "{}", dataBytes: 100)
        #expect(throws: ModelFileError.needMoreBytes(10)) { try SafetensorsHeaderReader.read(Array(b.prefix(9)), fileSize: Int64(b.count)) }
    }

    @Test func hostileTensorEntries() {
        func file(_ entry: String, data: Int64 = 16) -> [UInt8] { SafetensorsWriter.file(header: "{\"t\":\(entry)}", dataBytes: data) }
        #expect(throws: ModelFileError.malformed("tensor 't' ends at 17, past the 16 data bytes in the file")) {
            try read(file(#"{"dtype":"U8","shape":[17],"data_offsets":[0,17]}"#))
        }
        #expect(throws: ModelFileError.malformed("tensor 't': F32 [4] is 16 bytes but data_offsets span 8")) {
            try read(file(#"{"dtype":"F32","shape":[4],"data_offsets":[0,8]}"#))
        }
        #expect(throws: ModelFileError.malformed("element count of 't' overflows 64 bits")) {
            try read(file(#"{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}"#))
        }
        #expect(throws: ModelFileError.malformed("tensor 't' has a negative or non-integer dimension")) {
            try read(file(#"{"dtype":"F32","shape":[-4],"data_offsets":[0,0]}"#))
        }
        #expect(throws: ModelFileError.malformed("tensor 't' has data_offsets [8, 4] out of order")) {
            try read(file(#"{"dtype":"U8","shape":[4],"data_offsets":[8,4]}"#))
        }
        #expect(throws: ModelFileError.unsupported("tensor 't' has unknown dtype 'Q9'")) {
            try read(file(#"{"dtype":"Q9","shape":[4],"data_offsets":[0,4]}"#))
        }
        #expect(throws: ModelFileError.duplicateKey("t", offset: 53)) {
            try read(SafetensorsWriter.file(header: #"{"t":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"t":{"dtype":"U8","shape":[4],"data_offsets":[4,8]}}"#, dataBytes: 8))
        }
        #expect(throws: ModelFileError.malformed("tensor data ranges overlap at offset 2")) {
            try read(SafetensorsWriter.file(header: #"{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"b":{"dtype":"U8","shape":[4],"data_offsets":[2,6]}}"#, dataBytes: 8))
        }
    }

    @Test func shardIndexRejectsPathsOutsideTheFolder() throws {
        #expect(try SafetensorsHeaderReader.shardNames(indexJSON: Array(#"{"weight_map":{"a":"m-2.safetensors","b":"m-1.safetensors","c":"m-1.safetensors"}}"#.utf8))
                == ["m-1.safetensors", "m-2.safetensors"])
        #expect(throws: ModelFileError.malformed("shard name '../../etc/passwd' is not a plain file name")) {
            try SafetensorsHeaderReader.shardNames(indexJSON: Array(#"{"weight_map":{"a":"../../etc/passwd"}}"#.utf8))
        }
        #expect(throws: ModelFileError.missingKey("weight_map")) { try SafetensorsHeaderReader.shardNames(indexJSON: Array("{}".utf8)) }
    }

    /// Property: random byte flips of a valid file give a header or a ModelFileError, never a trap,
    /// and any header that is accepted fits inside the file.
    @Test func mutatedFilesNeverTrap() {
        var w = SafetensorsWriter()
        w.add("model.layers.0.mlp.up_proj.weight", "BF16", [8, 4])
        w.add("model.norm.weight", "F32", [4])
        let base = w.bytes()
        var rng = SeededRandom(11)
        for _ in 0..<3000 {
            var b = base
            for _ in 0..<Int.random(in: 1...3, using: &rng) { b[Int.random(in: 0..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            if let h = try? read(b) { #expect(8 + h.headerLength + h.totalBytes <= Int64(b.count)) }
        }
    }
}
