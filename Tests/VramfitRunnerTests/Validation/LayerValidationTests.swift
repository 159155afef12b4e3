import Testing
import VramfitCatalog
import VramfitCore
@testable import VramfitRunner

/// Counts the tensors a build asks for: zero means nothing was allocated.
final class CountingSource: WeightSource, @unchecked Sendable {
    var calls = 0
    func values(name: String, rows: Int, cols: Int, kind: WeightKind) throws -> [Float] {
        calls += 1
        return try SeededWeights(seed: 1).values(name: name, rows: rows, cols: cols, kind: kind)
    }
}

/// A checkpoint-like source holding exactly the tensors it was given: `check` reports the others.
final class PartialSource: WeightSource, @unchecked Sendable {
    let holds: Set<String>
    var calls = 0
    var checked: [ExpectedTensor] = []
    init(holds: Set<String>) { self.holds = holds }
    func check(_ tensors: [ExpectedTensor]) throws {
        checked += tensors
        let missing = tensors.filter { !holds.contains($0.name) }.map { "tensor '\($0.name)' is not in the checkpoint" }
        if !missing.isEmpty { throw RunnerError.checkpointMismatch(source: "test", problems: missing) }
    }
    func values(name: String, rows: Int, cols: Int, kind: WeightKind) throws -> [Float] {
        calls += 1
        return try SeededWeights(seed: 1).values(name: name, rows: rows, cols: cols, kind: kind)
    }
}

/// A CPU backend that refuses one weight format (as a GPU backend would).
final class PickyBackend: RunnerBackend {
    let cpu = RunnerFixtures.cpu()
    let refused: String
    init(refusing f: String) { refused = f }
    var target: String { "picky" }
    var deviceName: String { "test" }
    func availableMemory() -> ByteCount { cpu.availableMemory() }
    func unsupportedReason(weightFormat: String) -> String? { weightFormat == refused ? "no kernel for \(weightFormat)" : nil }
    func unsupportedReason(kvCache: KVCacheStorage) -> String? { nil }
    func workingMemoryBound(_ shape: LayerShape, tokens: Int, context: Int) -> ByteCount { cpu.workingMemoryBound(shape, tokens: tokens, context: context) }
    func load(_ layer: Layer) throws -> any LoadedLayer { try cpu.load(layer) }
}

@Suite struct LayerValidationTests {
    let catalog = try! CatalogLoader.builtIn()
    let model = RunnerFixtures.model(hidden: 256, intermediate: 512, heads: 4, kvHeads: 2)

    @Test func endToEndOnATinyLayer() throws {
        let scheme = try catalog.scheme("int8").value
        let b = LayerBuilder(model: model, scheme: scheme, engine: "transformers", source: SeededWeights(seed: 3))
        let o = ValidationOptions(prefillTokens: 20, decodeSteps: 4, kvCache: .fp16, seed: 3, checkedPrefillRows: 4)
        let m = try LayerValidation.run(b, layer: 1, backend: RunnerFixtures.cpu(), options: o)
        #expect(m.weightBytes == WeightBreakdown(model: model, scheme: scheme, engine: "transformers").layer(1))
        let fp16 = try catalog.kvCacheType("fp16").value
        #expect(m.kvBytesPerToken == KVCacheSize(model: model, type: fp16, latentMLA: false).bytesPerTokenPerLayer)
        #expect(m.checkedPositions == [4, 9, 14, 19, 20, 21, 22, 23])
        #expect(m.decodeSeconds.count == 4 && m.prefillSeconds > 0)
        // int8 per-channel: weight error ~0.5 %; the layer's output error of the same order.
        let w = try #require(m.weightRelativeRMS), e = try #require(m.outputError)
        #expect(w > 0.001 && w < 0.01)
        #expect(e.relativeL2 < 3 * w && e.cosine > 0.999)
    }

    @Test func tooBigIsRefusedBeforeAnythingIsAllocated() throws {
        let source = CountingSource()
        let b = LayerBuilder(model: model, scheme: try catalog.scheme("bf16").value, engine: "transformers", source: source)
        let o = ValidationOptions(prefillTokens: 64, decodeSteps: 4)
        do {
            _ = try LayerValidation.run(b, layer: 0, backend: RunnerFixtures.cpu(memory: .mib(Int64(1))), options: o)
            Issue.record("expected insufficientMemory")
        } catch let RunnerError.insufficientMemory(_, needed, available, _) {
            #expect(needed > available && available == .mib(Int64(1)))
        }
        #expect(source.calls == 0)
    }

    @Test func unsupportedFormatIsRefusedBeforeAnythingIsAllocated() throws {
        let source = CountingSource()
        let b = LayerBuilder(model: model, scheme: try catalog.scheme("awq").value, engine: "transformers", source: source)
        let format = try b.quantizer(b.specs(layer: 0).first { $0.role == .attnQ }!).format
        #expect(throws: RunnerError.self) {
            try LayerValidation.run(b, layer: 0, backend: PickyBackend(refusing: format), options: ValidationOptions(prefillTokens: 4, decodeSteps: 1))
        }
        #expect(source.calls == 0)
    }

    @Test func checkpointMismatchIsRefusedBeforeAnythingIsRead() throws {
        let b0 = LayerBuilder(model: model, scheme: try catalog.scheme("int8").value, engine: "transformers", source: SeededWeights())
        let expected = try b0.expectedTensors(layer: 0)
        // 2 norms, q/k/v/o, gate/up/down (no biases in this fixture) — shapes [out, in], vectors [n].
        #expect(expected.count == 9)
        #expect(expected.first { $0.name == "model.layers.0.self_attn.k_proj.weight" }?.checkpointShape == [128, 256])
        #expect(expected.first { $0.name == "model.layers.0.mlp.down_proj.weight" }?.checkpointShape == [256, 512])
        #expect(expected.first { $0.name == "model.layers.0.input_layernorm.weight" }?.checkpointShape == [256])

        let source = PartialSource(holds: Set(expected.map(\.name).filter { !$0.hasSuffix("down_proj.weight") }))
        let b = LayerBuilder(model: model, scheme: b0.scheme, engine: "transformers", source: source)
        do {
            _ = try LayerValidation.run(b, layer: 0, backend: RunnerFixtures.cpu(), options: ValidationOptions(prefillTokens: 4, decodeSteps: 1))
            Issue.record("expected checkpointMismatch")
        } catch let e as RunnerError {
            #expect(e == .checkpointMismatch(source: "test", problems: ["tensor 'model.layers.0.mlp.down_proj.weight' is not in the checkpoint"]))
            #expect(e.description == "test does not match the model: tensor 'model.layers.0.mlp.down_proj.weight' is not in the checkpoint")
        }
        #expect(source.checked == expected)
        #expect(source.calls == 0)
    }

    @Test func checkpointProblemsAreListedUpToEight() {
        let e = RunnerError.checkpointMismatch(source: "x.safetensors", problems: (1...10).map { "p\($0)" })
        #expect(e.description == "x.safetensors does not match the model: p1; p2; p3; p4; p5; p6; p7; p8; and 2 more")
    }

    @Test func checkedPositionsSpreadAndEndAtTheLast() {
        #expect(LayerValidation.checkedPositions(prefill: 512, rows: 8) == [63, 127, 191, 255, 319, 383, 447, 511])
        #expect(LayerValidation.checkedPositions(prefill: 3, rows: 8) == [0, 1, 2])
    }
}
