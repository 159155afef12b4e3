import VramfitReaders

/// libFuzzer entry: GGUF bytes → header → Model. Tensors it accepts must lie inside the input.
/// The header also goes through the split-model checks (`GGUFSplit`): its own split keys, and a
/// merge with itself, which a valid shard set never is (same shard twice), so it must be refused.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let h = try? GGUFReader.read(bytes, fileSize: Int64(size)) {
        for t in h.tensors { precondition(h.dataOffset + t.offset + t.bytes <= Int64(size), "tensor outside the file") }
        if let c = try? GGUFModelReader.model(h) { _ = ModelYAMLWriter.entry(c.model) }
        _ = try? TensorTotals(gguf: h)
        if let info = try? GGUFSplit.info(h) {
            precondition(info.index >= 0 && info.index < info.count && info.count <= GGUFSplit.maxShards, "split keys out of range")
            precondition((try? GGUFSplit.merge([h, h])) == nil, "a shard merged with itself")
        }
    }
    // The input's first bytes as a file name: the shard-name parser must give names it parses back.
    let name = String(decoding: bytes.prefix(48), as: UTF8.self)
    if let n = GGUFSplit.name(name) { precondition(GGUFSplit.name(n.shard(n.index)) == n, "shard name does not round-trip") }
    return 0
}
