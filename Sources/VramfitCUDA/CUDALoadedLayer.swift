import CUDADriver
import VramfitCore
import VramfitRunner

/// A layer resident on the GPU: every matrix as a `DeviceMatrix`, the vectors (norms, biases)
/// uploaded in their stored dtype, and the RoPE inverse frequencies.
final class CUDALoadedLayer: LoadedLayer {
    let layer: Layer
    let runtime: CUDARuntime
    let q: DeviceMatrix, k: DeviceMatrix, v: DeviceMatrix, o: DeviceMatrix
    let mlp: MLP
    let inputNorm: DeviceVector, postNorm: DeviceVector
    let qBias: DeviceVector?, kBias: DeviceVector?, vBias: DeviceVector?, oBias: DeviceVector?
    let qNorm: DeviceVector?, kNorm: DeviceVector?
    let invFreq: DeviceBuffer

    enum MLP {
        case dense(Expert)
        case moe(router: DeviceMatrix, experts: [Expert], shared: Expert?, sharedGate: DeviceMatrix?)
    }
    struct Expert { let gate: DeviceMatrix, up: DeviceMatrix, down: DeviceMatrix }

    var shape: LayerShape { layer.shape }

    /// The bytes uploaded for weights (the quantizers' buffers byte for byte, plus GPTQ act-order
    /// permutations); the RoPE table is not a weight and is not counted.
    var residentWeightBytes: ByteCount {
        var n = [q, k, v, o].reduce(0) { $0 + $1.residentBytes }
        n += [inputNorm, postNorm].reduce(0) { $0 + $1.buffer.byteCount }
        for b in [qBias, kBias, vBias, oBias, qNorm, kNorm] { n += b?.buffer.byteCount ?? 0 }
        switch mlp {
        case .dense(let e): n += e.gate.residentBytes + e.up.residentBytes + e.down.residentBytes
        case .moe(let r, let experts, let shared, let gate):
            n += r.residentBytes + (gate?.residentBytes ?? 0)
            for e in experts + (shared.map { [$0] } ?? []) { n += e.gate.residentBytes + e.up.residentBytes + e.down.residentBytes }
        }
        return ByteCount(Int64(n))
    }

    init(_ layer: Layer, runtime: CUDARuntime) throws {
        self.layer = layer; self.runtime = runtime
        let w = layer.weights
        func m(_ x: any QuantizedWeight) throws -> DeviceMatrix { try DeviceMatrix(x, runtime: runtime) }
        func vec(_ x: DenseWeight?) throws -> DeviceVector? { try x.map { try DeviceVector($0, runtime: runtime) } }
        func ex(_ e: LayerWeights.Expert) throws -> Expert { Expert(gate: try m(e.gate), up: try m(e.up), down: try m(e.down)) }
        q = try m(w.q); k = try m(w.k); v = try m(w.v); o = try m(w.o)
        switch w.mlp {
        case .dense(let e): mlp = .dense(try ex(e))
        case .moe(let router, let experts, let shared, let gate):
            mlp = .moe(router: try m(router), experts: try experts.map(ex), shared: try shared.map(ex), sharedGate: try gate.map(m))
        }
        inputNorm = try DeviceVector(w.inputNorm, runtime: runtime)
        postNorm = try DeviceVector(w.postAttentionNorm, runtime: runtime)
        qBias = try vec(w.qBias); kBias = try vec(w.kBias); vBias = try vec(w.vBias); oBias = try vec(w.oBias)
        qNorm = try vec(w.qNorm); kNorm = try vec(w.kNorm)
        // θ^(−2i/d) in Double, exactly the CPU's table (CPUKernels.inverseFrequencies).
        let d = layer.shape.headDim
        let inv = (0..<(d / 2)).map { i in 1 / pow(layer.shape.ropeTheta, Double(2 * i) / Double(d)) }
        invFreq = try runtime.context.upload(inv)
        try runtime.context.synchronize("layer upload")
    }

    func makeSession(kvCache: KVCacheStorage, capacity: Int) throws -> any LayerSession {
        guard capacity > 0 else { throw RunnerError.invalidRequest("KV cache capacity must be at least 1 position") }
        return try CUDALayerSession(self, storage: kvCache, capacity: capacity)
    }
}

/// A norm or bias vector in its stored dtype (fp32, fp16 or bf16); kernels convert on read.
struct DeviceVector {
    let buffer: DeviceBuffer
    /// 0 fp32, 1 fp16, 2 bf16 (the kernels' `vec_get`).
    let dtype: Int32

    init(_ w: DenseWeight, runtime: CUDARuntime) throws {
        buffer = try runtime.context.upload(w.data)
        switch w.storage {
        case .fp32: dtype = 0
        case .fp16: dtype = 1
        case .bf16: dtype = 2
        }
    }

    var arguments: [KernelArgument] { [.buffer(buffer), .int32(dtype)] }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
