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

    /// Checks, before anything is drawn or allocated, that every tensor a layer will ask for is
    /// there in the shape (and a dtype) the source can deliver; throws
    /// `RunnerError.checkpointMismatch` naming each tensor that is not. Without it a checkpoint
    /// of the wrong model would fail on whichever tensor happens to be read first, after the
    /// ones before it were read and quantized.
    func check(_ tensors: [ExpectedTensor]) throws
}

extension WeightSource {
    /// A source that makes its values (seeded, a test's) can deliver any shape: nothing to check.
    public func check(_ tensors: [ExpectedTensor]) throws {}
}

/// One tensor a layer build reads from its `WeightSource`: its Hugging Face name and its shape.
public struct ExpectedTensor: Sendable, Equatable {
    public var name: String
    public var rows: Int
    public var cols: Int
    public var kind: WeightKind

    public init(name: String, rows: Int, cols: Int, kind: WeightKind) {
        self.name = name; self.rows = rows; self.cols = cols; self.kind = kind
    }

    /// The shape a checkpoint stores it in: `[cols]` for norm weights and biases, `[rows, cols]`
    /// (out_features, in_features, as `nn.Linear` stores it) for matrices.
    public var checkpointShape: [Int] { rows == 1 && kind != .matrix ? [cols] : [rows, cols] }
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
