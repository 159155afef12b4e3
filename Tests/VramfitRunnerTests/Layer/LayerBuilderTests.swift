import Testing
import VramfitCatalog
import VramfitCore
@testable import VramfitRunner

@Suite struct LayerBuilderTests {
    let catalog = try! CatalogLoader.builtIn()
    /// Shapes every scheme can store: rows of 256 (K-quants), groups of 128 (AWQ), blocks of 64 (bnb).
    let model = RunnerFixtures.model(hidden: 256, intermediate: 512, heads: 4, kvHeads: 2, layers: 8, qkvBias: true)

    /// Every tensor the runner allocates equals the estimator's bytes for it, for the schemes.
    @Test(arguments: ["awq", "bnb-nf4", "int8", "q4_k_m", "fp8", "bf16", "gptq-int4", "bnb-nf4-dq", "q8_0"])
    func allocatedBytesEqualTheEstimate(_ id: String) throws {
        let scheme = try catalog.scheme(id).value
        let engine = scheme.isGGUF ? "llama.cpp" : "transformers"
        let b = LayerBuilder(model: model, scheme: scheme, engine: engine, source: SeededWeights(seed: 1))
        for layer in [0, 3] {
            let built = try b.build(layer: layer, reference: false)
            #expect(built.layer.tensors.count == b.specs(layer: layer).count)
            for t in built.layer.tensors {
                let predicted = WeightBytes.bytes(of: t.spec, scheme: scheme, model: model, engine: engine).bytes
                #expect(t.allocatedBytes == predicted, "\(id) layer \(layer) \(t.spec.name): \(t.allocatedBytes.value) vs \(predicted.value)")
            }
            #expect(built.layer.weights.allocatedBytes == WeightBreakdown(model: model, scheme: scheme, engine: engine).layer(Int64(layer)))
        }
    }

    @Test func referenceIsTheCheckpointInTheModelDType() throws {
        let scheme = try catalog.scheme("int8").value
        let built = try LayerBuilder(model: model, scheme: scheme, engine: "transformers", source: SeededWeights(seed: 1)).build(layer: 0, reference: true)
        let ref = try #require(built.reference)
        #expect(ref.weights.q.format == "bfloat16" && built.layer.weights.q.format != "bfloat16")
        // The quantized q_proj dequantizes to within int8's error of the reference.
        let err = WeightError.relativeRMS([(built.layer.weights.q, ref.weights.q)])
        #expect(err > 0 && err < 0.01)
    }

    @Test func huggingFaceTensorNames() throws {
        let shape = try LayerShape(model: model, layer: 2)
        let specs = TensorInventory.tensors(of: model).filter { $0.layer == 2 }
        let names = specs.flatMap { LayerBuilder.parts(of: $0, shape: shape).map(\.name) }
        #expect(names.contains("model.layers.2.self_attn.q_proj.weight"))
        #expect(names.contains("model.layers.2.self_attn.v_proj.bias"))
        #expect(names.contains("model.layers.2.post_attention_layernorm.weight"))
        #expect(names.contains("model.layers.2.mlp.down_proj.weight"))
        let mixtral = RunnerFixtures.model(moe: .init(numExperts: 2, expertsPerToken: 1, expertIntermediateSize: 32), family: "mixtral")
        let ms = try LayerShape(model: mixtral, layer: 0)
        let mnames = TensorInventory.tensors(of: mixtral).filter { $0.layer == 0 }.flatMap { LayerBuilder.parts(of: $0, shape: ms).map(\.name) }
        #expect(mnames.contains("model.layers.0.block_sparse_moe.experts.1.w2.weight"))
        #expect(mnames.contains("model.layers.0.block_sparse_moe.gate.weight"))
    }
}
