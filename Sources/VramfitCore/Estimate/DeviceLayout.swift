/// How a model's tensors are spread over devices: pipeline stages take contiguous layers (the
/// first holds the embeddings, the last the final norm and head), tensor parallelism divides
/// each stage's matrices across its ranks (vLLM's column/row-parallel linears and vocab-parallel
/// embedding; norms and MoE routers are replicated).
public struct DeviceLayout: Sendable {
    public var stages: [[Int64]]
    public var tensorParallel: Int64

    /// The sizes a layout of `numLayers` layers actually takes for the asked ones: at least 1 each,
    /// and no more pipeline stages than layers.
    public static func sizes(numLayers: Int64, pipelineParallel: Int64, tensorParallel: Int64)
        -> (pipelineParallel: Int64, tensorParallel: Int64)
    {
        (max(1, min(pipelineParallel, numLayers)), max(1, tensorParallel))
    }

    public init(numLayers: Int64, pipelineParallel: Int64, tensorParallel: Int64) {
        let (p, tp) = Self.sizes(numLayers: numLayers, pipelineParallel: pipelineParallel, tensorParallel: tensorParallel)
        var stages: [[Int64]] = []
        // vLLM get_pp_indices: even split, remainder layers go to the later stages.
        let base = numLayers / p, extra = numLayers % p
        var start: Int64 = 0
        for s in 0..<p {
            let n = base + (s >= p - extra ? 1 : 0)
            stages.append(Array(start..<(start + n)))
            start += n
        }
        self.stages = stages
        self.tensorParallel = tp
    }

    public var pipelineParallel: Int64 { Int64(stages.count) }

    /// Stage of a tensor: its layer's stage; embeddings and vision on the first, head and final norm on the last.
    public func stage(of t: TensorSpec) -> Int {
        if let l = t.layer { return stages.firstIndex { $0.contains(l) } ?? 0 }
        switch t.role {
        case .tokenEmbedding, .vision: return 0
        default: return stages.count - 1
        }
    }

    /// Weight bytes per stage on one tensor-parallel rank.
    public func weightsPerRank(_ w: WeightBreakdown) -> [ByteCount] {
        var out = Array(repeating: ByteCount.zero, count: stages.count)
        for e in w.entries {
            let replicated = e.tensor.role == .norm || e.tensor.role == .router
            let b = replicated ? e.bytes : ByteCount((e.bytes.value + tensorParallel - 1) / tensorParallel)
            out[stage(of: e.tensor)] += b
        }
        return out
    }
}
