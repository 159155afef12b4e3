import VramfitCore

/// libFuzzer entry: arbitrary text → `QuestionParser` → `AskIndex.resolve`, against the question
/// tests' catalog (Tests/VramfitCoreTests/Ask/AskTestCatalog.swift: models, GPUs, schemes,
/// engines and KV-cache types shaped like the built-in ones, which need Yams and the build plugin
/// that this standalone build leaves out). The index is built once, as a server asking many
/// questions would. Resolution errors are answers (`QuestionError`); only a trap is a finding.
let index = AskIndex(AskTestCatalog.catalog)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let q = QuestionParser.parse(text, index: index)
    _ = try? index.resolve(q)
    return 0
}
