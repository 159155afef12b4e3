import Testing
import VramfitCore
@testable import VramfitCatalog

@Suite struct GGUFReaderTests {
    func read(_ b: [UInt8]) throws -> GGUFHeader { try GGUFReader.read(b, fileSize: Int64(b.count)) }

    @Test func readsMetadataTensorsAndModel() throws {
        let h = try read(GGUFWriter.tinyLlama().bytes())
        #expect(h.version == 3 && h.tensors.count == 21 && h.alignment == 32)
        #expect(h.totalBytes == 1_412_736)
        #expect(h.tensors.first { $0.name == "output.weight" }?.typeName == "Q6_K")
        guard case .array(8, 320, _)? = h.metadata["tokenizer.ggml.tokens"] else { Issue.record("tokens array"); return }
        let c = try GGUFModelReader.model(h)
        #expect(c.model.family == "llama" && c.model.vocabSize == 320 && c.model.numLayers == 2 && c.model.numKVHeads == 4)
        #expect(c.model.intermediateSize == 512 && c.model.maxContext == 2048 && !c.model.tieWordEmbeddings)
        #expect(c.schemeId == "q8_0" && c.model.id == "tiny-llama")
        let t = try TensorTotals(gguf: h)
        #expect(t.byDType == ["Q8_0": 1_257_472 - 4096 + 87040, "F32": 5120, "Q6_K": 67200])
        #expect(try GGUFModelReader.model(read(GGUFWriter.tinyLlama(outputTensor: false).bytes())).model.tieWordEmbeddings)
    }

    /// Without general.file_type the scheme follows the dominant tensor type (Q8_0 here), not bf16.
    @Test func schemeFromDominantTypeWithoutFileType() throws {
        var g = GGUFWriter.tinyLlama()
        g.kvs.remove(at: 2)
        #expect(try GGUFModelReader.model(read(g.bytes())).schemeId == "ggml-q8_0")
    }

    @Test func prefixAsksForMoreAndTruncationIsAnError() throws {
        let b = GGUFWriter.tinyLlama().bytes()
        #expect(throws: ModelFileError.self) { try GGUFReader.read(Array(b.prefix(100)), fileSize: Int64(b.count)) }
        do { _ = try GGUFReader.read(Array(b.prefix(100)), fileSize: Int64(b.count)); Issue.record("no error") } catch ModelFileError.needMoreBytes {} catch { Issue.record("\(error)") }
        do { _ = try read(Array(b.prefix(100))); Issue.record("no error") } catch ModelFileError.truncated {} catch { Issue.record("\(error)") }
    }

    @Test func hostileHeaders() {
        var bad = GGUFWriter.tinyLlama().bytes(); bad[0] = UInt8(ascii: "X")
        #expect(throws: ModelFileError.malformed("not a GGUF file (magic bytes are not 'GGUF')")) { try read(bad) }
        var v1 = GGUFWriter.tinyLlama(); v1.version = 1
        #expect(throws: ModelFileError.unsupported("GGUF version 1 (vramfit reads 2 and 3)")) { try read(v1.bytes()) }
        var many = GGUFWriter.tinyLlama(); many.tensorCountOverride = UInt64.max
        #expect(throws: ModelFileError.tooLarge(what: "tensor count", value: Int64.max, limit: 1 << 20)) { try read(many.bytes()) }
        var moreKV = GGUFWriter(); moreKV.kvCountOverride = 1 << 19
        #expect(throws: ModelFileError.truncated(what: "metadata count (524288 announced)", offset: 24)) { try read(moreKV.bytes()) }
        var longString = GGUFWriter(); longString.raw(GGUFWriter.u64(1 << 40) + [UInt8](repeating: 0, count: 16))
        #expect(throws: ModelFileError.tooLarge(what: "length of metadata key", value: 1 << 40, limit: 16 << 20)) { try read(longString.bytes()) }
        var badUTF8 = GGUFWriter(); badUTF8.raw(GGUFWriter.u64(2) + [0xFF, 0xFE] + GGUFWriter.u32(4) + GGUFWriter.u32(1))
        #expect(throws: ModelFileError.invalidUTF8(offset: 32)) { try read(badUTF8.bytes()) }
        var hugeArray = GGUFWriter(); hugeArray.raw(GGUFWriter.str("a") + GGUFWriter.u32(9) + GGUFWriter.u32(10) + GGUFWriter.u64(1 << 31))
        #expect(throws: ModelFileError.truncated(what: "element count of 'a' (2147483648 announced)", offset: 49)) { try read(hugeArray.bytes()) }
        var nested = GGUFWriter()
        nested.raw(GGUFWriter.str("n") + GGUFWriter.u32(9) + (0..<6).flatMap { _ in GGUFWriter.u32(9) + GGUFWriter.u64(1) } + GGUFWriter.u32(4) + GGUFWriter.u64(1) + GGUFWriter.u32(0))
        #expect(throws: ModelFileError.malformed("arrays nested deeper than 4 in 'n'")) { try read(nested.bytes()) }
        var dup = GGUFWriter(); dup.u32("k", 1); dup.u32("k", 2)
        #expect(throws: ModelFileError.malformed("duplicate metadata key 'k' at byte 41")) { try read(dup.bytes()) }
        var unknownType = GGUFWriter(); unknownType.tensor("t", dims: [32], type: 4, blockSize: 32, blockBytes: 18, offset: 0)
        #expect(throws: ModelFileError.unsupported("tensor 't' has unknown ggml type 4")) { try read(unknownType.bytes()) }
        var misaligned = GGUFWriter(); misaligned.tensor("t", dims: [32], type: 0, blockSize: 1, blockBytes: 4, offset: 3)
        #expect(throws: ModelFileError.malformed("tensor 't' offset 3 is not aligned to 32")) { try read(misaligned.bytes()) }
        var outside = GGUFWriter(); outside.tensor("t", dims: [32], type: 0, blockSize: 1, blockBytes: 4, offset: 1 << 40)
        #expect(throws: ModelFileError.malformed("tensor 't' (128 bytes at 1099511627776) runs past the end of the file")) { try read(outside.bytes()) }
        var overflow = GGUFWriter(); overflow.tensor("t", dims: [1 << 32, 1 << 32], type: 0, blockSize: 1, blockBytes: 4, offset: 0)
        #expect(throws: ModelFileError.malformed("element count of 't' overflows 64 bits")) { try read(overflow.bytes()) }
        var row = GGUFWriter(); row.tensor("t", dims: [33], type: 8, blockSize: 1, blockBytes: 34, offset: 0)
        #expect(throws: ModelFileError.malformed("tensor 't': row of 33 is not a multiple of Q8_0's block of 32")) { try read(row.bytes()) }
        var badBool = GGUFWriter(); badBool.raw(GGUFWriter.str("b") + GGUFWriter.u32(7) + [2])
        #expect(throws: ModelFileError.malformed("boolean 'b' is 2, not 0 or 1")) { try read(badBool.bytes()) }
    }

    @Test func hostileMetadataForTheModel() throws {
        var g = GGUFWriter.tinyLlama(); g.u32("llama.block_count", 0)
        #expect(throws: ModelFileError.self) { try GGUFModelReader.model(read(g.bytes())) }
        var big = GGUFWriter(); big.string("general.architecture", "llama"); big.u32("llama.embedding_length", 1 << 30)
        #expect(throws: ModelFileError.tooLarge(what: "llama.embedding_length", value: 1 << 30, limit: 1 << 16)) { try GGUFModelReader.model(read(big.bytes())) }
        #expect(throws: ModelFileError.missingKey("general.architecture")) { try GGUFModelReader.model(read(GGUFWriter().bytes())) }
    }

    /// Property: byte flips and truncations of a valid file give a header or a ModelFileError,
    /// never a trap, and accepted tensors lie inside the file.
    @Test func mutatedFilesNeverTrap() {
        let base = GGUFWriter.tinyLlama().bytes()
        var rng = SeededRandom(3)
        let headerEnd = 2000
        for _ in 0..<2000 {
            var b = base
            for _ in 0..<Int.random(in: 1...4, using: &rng) { b[Int.random(in: 0..<headerEnd, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            if Bool.random(using: &rng) { b = Array(b.prefix(Int.random(in: 0..<b.count, using: &rng))) }
            if let h = try? read(b) {
                for t in h.tensors { #expect(h.dataOffset + t.offset + t.bytes <= Int64(b.count)) }
                _ = try? GGUFModelReader.model(h)
            }
        }
    }
}
