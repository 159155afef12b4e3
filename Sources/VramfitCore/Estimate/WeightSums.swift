/// Sums over a `WeightBreakdown` that the engines' memory models read on every evaluation, taken
/// once per `Resolved` (and, in a sweep, once per model × scheme × engine through `PreparedWeights`)
/// so that evaluating one more context or batch never walks the tensor list again. The formulas
/// stay with their engines (`LlamaCppMemory.cpuRepack`, `TransformersPrefill.dequantizedLargest`);
/// this only decides when they run.
struct WeightSums: Sendable {
    /// Weight bytes per pipeline stage on one tensor-parallel rank (`DeviceLayout.weightsPerRank`).
    let stageWeights: [ByteCount]
    /// `token_embd`: llama.cpp keeps it in host memory.
    let tokenEmbedding: ByteCount
    /// llama.cpp's CPU_REPACK copy on an AVX2 host (`LlamaCppMemory.cpuRepack`).
    let cpuRepack: ByteCount
    /// The widest quantized matrix dequantized to 16 bits (`TransformersPrefill.dequantizedLargest`).
    let dequantizedLargest: ByteCount

    init(weights: WeightBreakdown, layout: DeviceLayout, scheme: QuantScheme, engine: String) {
        stageWeights = layout.weightsPerRank(weights)
        tokenEmbedding = weights.bytes { $0.role == .tokenEmbedding }
        cpuRepack = LlamaCppMemory.cpuRepack(weights)
        dequantizedLargest = TransformersPrefill.dequantizedLargest(weights, scheme: scheme, engine: engine)
    }
}
