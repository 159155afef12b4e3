import Dispatch
import VramfitCore

/// The CPU backend: Swift SIMD kernels on all cores. Weights stay in their quantized storage and
/// are dequantized inside the formats' own kernels; activations are fp32.
public final class CPUBackend: RunnerBackend {
    public let target = "cpu"
    public let deviceName: String
    private let available: @Sendable () -> ByteCount

    /// `deviceName` and `availableMemory` come from the caller (the CLI reads /proc/cpuinfo and
    /// /proc/meminfo): the runner itself does no file I/O.
    public init(deviceName: String = "CPU, \(Parallel.cores) cores", availableMemory: @escaping @Sendable () -> ByteCount) {
        self.deviceName = deviceName
        self.available = availableMemory
    }

    public func availableMemory() -> ByteCount { available() }

    /// Every format is a `QuantizedWeight` with CPU matvec/matmul, so the CPU runs whatever the
    /// quantizers produce.
    public func unsupportedReason(weightFormat: String) -> String? { nil }
    public func unsupportedReason(kvCache: KVCacheStorage) -> String? { nil }

    public func workingMemoryBound(_ s: LayerShape, tokens t: Int, context: Int) -> ByteCount {
        let attention = t * (2 * s.qDim + 2 * s.kvDim)
        var mlp = 2 * t * s.intermediate
        if let m = s.moe {
            let expert = 2 * t * s.hidden + 2 * t * m.expertIntermediate
            let shared = m.sharedIntermediate > 0 ? 2 * t * m.sharedIntermediate + t * s.hidden + t : 0
            mlp = t * m.experts + 2 * t * m.topK + t * s.hidden + max(expert, shared)
        }
        let workers = Parallel.cores
        let scratch = workers * CPUAttention(shape: s, storage: .fp32, rowBytes: 0).scratchFloats(queries: t)
        return ByteCount(Int64(4 * (2 * t * s.hidden + max(attention + scratch, mlp))))
    }

    /// STREAM-style read bandwidth of this host on all cores (`MemoryBandwidth`), measured once per backend.
    public func measuredBandwidth() -> Double? {
        if let b = bandwidth { return b.readBytesPerSecond }
        let b = MemoryBandwidth.measure()
        bandwidth = b
        return b.readBytesPerSecond
    }

    /// The last measurement, with the copy figure too.
    public private(set) var bandwidth: MemoryBandwidth?

    public func load(_ layer: Layer) throws -> any LoadedLayer { CPULoadedLayer(layer) }
}

/// A layer on the CPU: the weights by reference, the vectors (norms, biases) decoded to fp32.
final class CPULoadedLayer: LoadedLayer {
    let layer: Layer
    let inputNorm: [Float], postNorm: [Float]
    let qBias: [Float]?, kBias: [Float]?, vBias: [Float]?, oBias: [Float]?
    let qNorm: [Float]?, kNorm: [Float]?
    let invFreq: [Double]

    var shape: LayerShape { layer.shape }
    var residentWeightBytes: ByteCount { layer.weights.allocatedBytes }

    init(_ layer: Layer) {
        self.layer = layer
        let w = layer.weights
        inputNorm = w.inputNorm.floats(); postNorm = w.postAttentionNorm.floats()
        qBias = w.qBias?.floats(); kBias = w.kBias?.floats(); vBias = w.vBias?.floats(); oBias = w.oBias?.floats()
        qNorm = w.qNorm?.floats(); kNorm = w.kNorm?.floats()
        invFreq = CPUKernels.inverseFrequencies(headDim: layer.shape.headDim, theta: layer.shape.ropeTheta)
    }

    func makeSession(kvCache: KVCacheStorage, capacity: Int) throws -> any LayerSession {
        guard capacity > 0 else { throw RunnerError.invalidRequest("KV cache capacity must be at least 1 position") }
        return CPULayerSession(self, storage: kvCache, capacity: capacity)
    }
}

/// One sequence on a CPU layer: the KV cache and the forward pass.
final class CPULayerSession: LayerSession {
    let loaded: CPULoadedLayer
    let kvCache: KVCacheStorage
    let capacity: Int
    private(set) var position = 0
    let rowBytes: Int
    private let k: UnsafeMutableRawPointer
    private let v: UnsafeMutableRawPointer
    private let ws = Workspace()

    var kvCacheBytes: ByteCount { ByteCount(Int64(2 * rowBytes * capacity)) }
    var memory: WorkingMemoryReport { ws.report }

    init(_ loaded: CPULoadedLayer, storage: KVCacheStorage, capacity: Int) {
        self.loaded = loaded; kvCache = storage; self.capacity = capacity
        rowBytes = storage.bytes(forValues: loaded.shape.kvDim)
        k = .allocate(byteCount: rowBytes * capacity, alignment: 64)
        v = .allocate(byteCount: rowBytes * capacity, alignment: 64)
        k.initializeMemory(as: UInt8.self, repeating: 0, count: rowBytes * capacity)
        v.initializeMemory(as: UInt8.self, repeating: 0, count: rowBytes * capacity)
    }

    deinit { k.deallocate(); v.deallocate() }

    func prefill(_ input: [Float], tokens: Int) throws -> StepResult { try step(input, tokens: tokens, decode: false) }

    func decode(_ input: [Float]) throws -> StepResult { try step(input, tokens: 1, decode: true) }

    private func step(_ input: [Float], tokens: Int, decode: Bool) throws -> StepResult {
        let s = loaded.shape
        guard tokens > 0 else { throw RunnerError.invalidRequest("at least one token is needed") }
        guard input.count == tokens * s.hidden else { throw RunnerError.wrongInputSize(expected: tokens * s.hidden, got: input.count) }
        guard position + tokens <= capacity else { throw RunnerError.cacheFull(capacity: capacity, position: position, tokens: tokens) }
        let phase = decode ? "decode" : "prefill"
        ws.phase = phase
        let residual = ws.floats("residual", tokens * s.hidden)
        _ = residual.initialize(from: input)
        let t0 = DispatchTime.now().uptimeNanoseconds
        forward(residual, tokens: tokens, phase: phase)
        let t1 = DispatchTime.now().uptimeNanoseconds
        let out = Array(residual)
        ws.free(residual)
        position += tokens
        return StepResult(output: out, seconds: Double(t1 - t0) / 1e9)
    }

    /// The layer, in place on `x` (tokens × hidden): x += attn(norm(x)); x += mlp(norm(x)).
    private func forward(_ x: UnsafeMutableBufferPointer<Float>, tokens t: Int, phase: String) {
        let s = loaded.shape, w = loaded.layer.weights, h = s.hidden
        let eps = Float(s.rmsEps)
        ws.phase = "\(phase): attention"
        let normed = ws.floats("normed hidden", t * h)
        CPUKernels.rmsNorm(x.baseAddress!, rows: t, width: h, weight: loaded.inputNorm, eps: eps, into: normed.baseAddress!)
        let q = ws.floats("q", t * s.qDim), kk = ws.floats("k", t * s.kvDim), vv = ws.floats("v", t * s.kvDim)
        CPUKernels.project(w.q, normed, tokens: t, into: q)
        CPUKernels.project(w.k, normed, tokens: t, into: kk)
        CPUKernels.project(w.v, normed, tokens: t, into: vv)
        if let b = loaded.qBias { CPUKernels.addBias(q.baseAddress!, rows: t, bias: b) }
        if let b = loaded.kBias { CPUKernels.addBias(kk.baseAddress!, rows: t, bias: b) }
        if let b = loaded.vBias { CPUKernels.addBias(vv.baseAddress!, rows: t, bias: b) }
        if let n = loaded.qNorm { CPUKernels.rmsNorm(q.baseAddress!, rows: t * s.heads, width: s.headDim, weight: n, eps: eps, into: q.baseAddress!) }
        if let n = loaded.kNorm { CPUKernels.rmsNorm(kk.baseAddress!, rows: t * s.kvHeads, width: s.headDim, weight: n, eps: eps, into: kk.baseAddress!) }
        CPUKernels.rope(q.baseAddress!, rows: t, heads: s.heads, headDim: s.headDim, start: position, invFreq: loaded.invFreq)
        CPUKernels.rope(kk.baseAddress!, rows: t, heads: s.kvHeads, headDim: s.headDim, start: position, invFreq: loaded.invFreq)
        for i in 0..<t {
            kvCache.encode(kk.baseAddress! + i * s.kvDim, count: s.kvDim, into: k + (position + i) * rowBytes)
            kvCache.encode(vv.baseAddress! + i * s.kvDim, count: s.kvDim, into: v + (position + i) * rowBytes)
        }
        // K and V now live in the cache; the attention reads them back from there.
        ws.free(vv); ws.free(kk)
        let attn = ws.floats("attention output", t * s.qDim)
        CPUAttention(shape: s, storage: kvCache, rowBytes: rowBytes)
            .run(q: q.baseAddress!, tokens: t, start: position, kCache: k, vCache: v, out: attn.baseAddress!, workspace: ws)
        ws.free(q)
        CPUKernels.project(w.o, attn, tokens: t, into: normed)  // normed is dead: reuse it for o_proj's output
        ws.free(attn)
        if let b = loaded.oBias { CPUKernels.addBias(normed.baseAddress!, rows: t, bias: b) }
        CPUKernels.add(x.baseAddress!, normed.baseAddress!, count: t * h)

        ws.phase = "\(phase): mlp"
        CPUKernels.rmsNorm(x.baseAddress!, rows: t, width: h, weight: loaded.postNorm, eps: eps, into: normed.baseAddress!)
        switch w.mlp {
        case .dense(let e):
            swiglu(e, input: normed, tokens: t, width: s.intermediate, into: normed, name: "mlp")
            CPUKernels.add(x.baseAddress!, normed.baseAddress!, count: t * h)
        case .moe(let router, let experts, let shared, let sharedGate):
            moe(router: router, experts: experts, shared: shared, sharedGate: sharedGate, input: normed, tokens: t, residual: x)
        }
        ws.free(normed)
    }

    /// out = down(silu(gate(x)) · up(x)); `out` may alias `input` (it is written last).
    private func swiglu(_ e: LayerWeights.Expert, input: UnsafeMutableBufferPointer<Float>, tokens t: Int, width: Int,
                        into out: UnsafeMutableBufferPointer<Float>, name: String) {
        let gate = ws.floats("\(name) gate", t * width), up = ws.floats("\(name) up", t * width)
        CPUKernels.project(e.gate, input, tokens: t, into: gate)
        CPUKernels.project(e.up, input, tokens: t, into: up)
        CPUKernels.siluMul(gate.baseAddress!, up.baseAddress!, count: t * width)  // SiLU·up in place: the product replaces gate
        ws.free(up)
        CPUKernels.project(e.down, gate, tokens: t, into: out)
        ws.free(gate)
    }

    /// Softmax router → top-k (ties to the lower expert index) → optional renormalisation
    /// (transformers Qwen2MoeSparseMoeBlock / MixtralSparseMoeBlock), experts run on the tokens
    /// routed to them, weighted outputs summed; a shared expert (× sigmoid gate) on every token.
    private func moe(router: any QuantizedWeight, experts: [LayerWeights.Expert], shared: LayerWeights.Expert?,
                     sharedGate: (any QuantizedWeight)?, input: UnsafeMutableBufferPointer<Float>, tokens t: Int,
                     residual x: UnsafeMutableBufferPointer<Float>) {
        let s = loaded.shape, h = s.hidden, m = s.moe!
        let logits = ws.floats("router logits", t * m.experts)
        CPUKernels.project(router, input, tokens: t, into: logits)
        let routing = ws.floats("routing weights", 2 * t * m.topK)  // expert index and weight per slot
        for i in 0..<t {
            let row = logits.baseAddress! + i * m.experts
            let picks = MoERouting.route(row, experts: m.experts, topK: m.topK, normalize: m.normalizeTopK)
            for (j, p) in picks.enumerated() {
                routing[2 * (i * m.topK + j)] = Float(p.expert)
                routing[2 * (i * m.topK + j) + 1] = p.weight
            }
        }
        ws.free(logits)
        let acc = ws.zeros("moe output", t * h)
        for e in 0..<m.experts {
            var rows: [(token: Int, weight: Float)] = []
            for i in 0..<t {
                for j in 0..<m.topK where Int(routing[2 * (i * m.topK + j)]) == e { rows.append((i, routing[2 * (i * m.topK + j) + 1])) }
            }
            guard !rows.isEmpty else { continue }
            let n = rows.count
            let xin = ws.floats("expert input", n * h)
            for (r, tok) in rows.enumerated() {
                (xin.baseAddress! + r * h).update(from: input.baseAddress! + tok.token * h, count: h)
            }
            swiglu(experts[e], input: xin, tokens: n, width: m.expertIntermediate, into: xin, name: "expert")
            for (r, tok) in rows.enumerated() {
                DotKernels.axpy(tok.weight, xin.baseAddress! + r * h, acc.baseAddress! + tok.token * h, count: h)
            }
            ws.free(xin)
        }
        ws.free(routing)
        if let sh = shared {
            var gates: [Float] = Array(repeating: 1, count: t)
            if let g = sharedGate {
                let gl = ws.floats("shared expert gate", t)
                CPUKernels.project(g, input, tokens: t, into: gl)
                for i in 0..<t { gates[i] = 1 / (1 + expf(-gl[i])) }
                ws.free(gl)
            }
            let out = ws.floats("shared expert output", t * h)
            swiglu(sh, input: input, tokens: t, width: m.sharedIntermediate, into: out, name: "shared expert")
            for i in 0..<t { DotKernels.axpy(gates[i], out.baseAddress! + i * h, acc.baseAddress! + i * h, count: h) }
            ws.free(out)
        }
        CPUKernels.add(x.baseAddress!, acc.baseAddress!, count: t * h)
        ws.free(acc)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
