/// Decode speed bound by memory bandwidth: each generated token reads every active weight once
/// and the sequence's KV cache once. Pipeline stages run one after another for one sequence;
/// tensor-parallel ranks read their shards at the same time. Real engines reach 60–85 % of this
/// bound (docs/estimator.md), so it is reported as an upper bound.
enum DecodeRoofline {
    static func tokensPerSecond(_ r: Resolved, context: Int64, batch: Int64) -> Double {
        let bw = Double(r.gpu.bandwidthBytesPerSecond)
        guard bw > 0 else { return 0 }
        let kv = r.kvSize(latentMLA: r.engine.memoryModel != .transformers, capsSliding: true)
        var seconds = 0.0
        for (stage, layers) in r.layout.stages.enumerated() {
            var bytes = 0.0
            for e in r.weights.entries where r.layout.stage(of: e.tensor) == stage {
                if e.tensor.role == .tokenEmbedding || e.tensor.role == .vision { continue }  // a row lookup, not a read
                var b = Double(e.bytes.value)
                if e.tensor.role.isExpert, let moe = r.model.moe { b *= Double(moe.expertsPerToken) / Double(moe.numExperts) }
                bytes += b / Double(r.layout.tensorParallel)
            }
            bytes += Double(kv.bytes(layers: layers, tokens: context, sequences: batch).value)
            seconds += bytes / bw
        }
        return seconds > 0 ? Double(batch) / seconds : 0
    }
}
