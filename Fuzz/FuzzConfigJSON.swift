import VramfitReaders

/// libFuzzer entry: config.json bytes → Model. Any input must return or throw ModelFileError.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let c = try? ConfigJSONReader.read(bytes) { _ = ModelYAMLWriter.entry(c.model) }
    return 0
}
