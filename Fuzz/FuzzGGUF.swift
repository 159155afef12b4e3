import VramfitReaders

/// libFuzzer entry: GGUF bytes → header → Model. Tensors it accepts must lie inside the input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let h = try? GGUFReader.read(bytes, fileSize: Int64(size)) {
        for t in h.tensors { precondition(h.dataOffset + t.offset + t.bytes <= Int64(size), "tensor outside the file") }
        if let c = try? GGUFModelReader.model(h) { _ = ModelYAMLWriter.entry(c.model) }
        _ = try? TensorTotals(gguf: h)
    }
    return 0
}
