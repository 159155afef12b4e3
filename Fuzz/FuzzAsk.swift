import VramfitCore

/// libFuzzer entry: arbitrary text → QuestionParser (with a small in-code catalog; the built-in
/// one needs Yams and the plugin, which this standalone build leaves out).
let catalog: Catalog = {
    var c = Catalog()
    c.models = [Model(id: "llama-3.1-8b", name: "Llama-3.1-8B-Instruct", aliases: ["llama 3.1 8b"], family: "llama-3.1",
                      vocabSize: 128256, hiddenSize: 4096, intermediateSize: 14336, numLayers: 32, numAttentionHeads: 32,
                      numKVHeads: 8, maxContext: 131072, publishedParams: 8_030_261_248)]
    return c
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = QuestionParser.parse(text, catalog: catalog)
    return 0
}
