import VramfitCore
@testable import VramfitRunner

/// Small layers for fast tests (the debug build is slow): real code paths, toy sizes.
enum RunnerFixtures {
    /// A Llama/Qwen-style model small enough to run in milliseconds.
    static func model(hidden: Int64 = 64, intermediate: Int64 = 96, heads: Int64 = 4, kvHeads: Int64 = 2, headDim: Int64? = nil,
                      layers: Int64 = 2, qkvBias: Bool = false, outputBias: Bool = false, qkNorm: Bool = false,
                      moe: Model.MoE? = nil, sliding: Model.SlidingWindow? = nil, family: String = "qwen2.5", dtype: DType = .bf16) -> Model {
        Model(id: "tiny-\(family)", name: "Tiny", family: family, vocabSize: 256, hiddenSize: hidden, intermediateSize: intermediate,
              numLayers: layers, numAttentionHeads: heads, numKVHeads: kvHeads, headDimOverride: headDim, qkvBias: qkvBias,
              outputBias: outputBias, qkNorm: qkNorm, moe: moe, slidingWindow: sliding, maxContext: 4096, dtype: dtype, publishedParams: 0)
    }

    static func scheme(_ id: String = "bf16", bytes: Int64 = 2, dtype: DType = .bf16) -> QuantScheme {
        QuantScheme(id: id, name: id, storage: .dense(bytesPerElement: bytes), keepUnquantized: [], unquantizedDType: dtype, engines: ["transformers"])
    }

    static func builder(_ m: Model, scheme s: QuantScheme? = nil, seed: UInt64 = 7) -> LayerBuilder {
        LayerBuilder(model: m, scheme: s ?? scheme(), engine: "transformers", source: SeededWeights(seed: seed))
    }

    static func cpu(memory: ByteCount = .gib(Int64(64))) -> CPUBackend { CPUBackend(availableMemory: { memory }) }

    /// Layer `index` of `m` (bf16 weights) and its input for `n` positions.
    static func layer(_ m: Model, index: Int = 0, positions n: Int, seed: UInt64 = 7) throws -> (layer: Layer, input: [Float]) {
        let built = try builder(m, seed: seed).build(layer: index, reference: false)
        let input = GaussianFill.values(n * Int(m.hiddenSize), seed: seed &+ 100, std: 1)
        return (built.layer, input)
    }

    /// Runs `n` positions through the CPU backend as one prefill; returns all outputs.
    static func prefill(_ layer: Layer, _ input: [Float], positions n: Int, kv: KVCacheStorage = .fp32) throws -> [Float] {
        let session = try cpu().load(layer).makeSession(kvCache: kv, capacity: n)
        return try session.prefill(input, tokens: n).output
    }
}
