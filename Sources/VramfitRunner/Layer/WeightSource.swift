/// What a weight is for, so a seeded source can draw it the way a model initialises it.
public enum WeightKind: Sendable, Equatable {
    case matrix, norm, bias
}

/// Where a layer's full-precision weights come from: seeded random numbers, or a checkpoint's
/// tensors (the CLI reads safetensors files and wraps them in a source; the runner does no file I/O).
/// Tensor names are Hugging Face's (`model.layers.0.self_attn.q_proj.weight`, Mixtral's
/// `block_sparse_moe.experts.3.w1.weight`, …); shapes are `[rows, cols]` (vectors: rows = 1).
public protocol WeightSource: Sendable {
    /// Row-major fp32 values of `name`. A source holding a tensor of another shape throws
    /// `RunnerError.wrongShape`; one missing the tensor throws `RunnerError.invalidRequest`.
    func values(name: String, rows: Int, cols: Int, kind: WeightKind) throws -> [Float]
}

/// Seeded Gaussian weights like a freshly initialised model: matrices and biases N(0, 0.02²)
/// (`initializer_range` 0.02 in Llama/Qwen/Mistral configs), RMSNorm weights N(1, 0.05²) — near
/// the ones they are initialised to, with enough spread that a wrong norm weight shows in tests.
/// Each tensor's stream is seeded from (seed, name), so a tensor's values do not depend on which
/// other tensors were drawn before it.
public struct SeededWeights: WeightSource {
    public var seed: UInt64
    public var matrixStd: Float
    public var normStd: Float

    public init(seed: UInt64 = 42, matrixStd: Float = 0.02, normStd: Float = 0.05) {
        self.seed = seed; self.matrixStd = matrixStd; self.normStd = normStd
    }

    public func values(name: String, rows: Int, cols: Int, kind: WeightKind) throws -> [Float] {
        let s = GaussianFill.seed(seed, name)
        switch kind {
        case .matrix, .bias: return GaussianFill.values(rows * cols, seed: s, std: matrixStd)
        case .norm: return GaussianFill.values(rows * cols, seed: s, mean: 1, std: normStd)
        }
    }
}
