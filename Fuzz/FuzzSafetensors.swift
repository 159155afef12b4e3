import VramfitReaders

/// libFuzzer entry: a whole safetensors file (header + data) → tensor totals; also the shard index.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let h = try? SafetensorsHeaderReader.read(bytes, fileSize: Int64(size)) {
        precondition(8 + h.headerLength + h.totalBytes <= Int64(size), "accepted header claims bytes beyond the file")
        _ = try? TensorTotals(safetensors: h)
    }
    _ = try? SafetensorsHeaderReader.shardNames(indexJSON: bytes)
    return 0
}
