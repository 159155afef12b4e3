import CUDADriver
import VramfitCore
import VramfitRunner

/// One sequence on a GPU layer: the KV cache (two device buffers of capacity × row bytes, the
/// `KVCacheStorage` layout) and the forward pass as a sequence of kernel launches on the default
/// stream, timed with CUDA events from the first launch to the last.
final class CUDALayerSession: LayerSession {
    let loaded: CUDALoadedLayer
    let kvCache: KVCacheStorage
    let capacity: Int
    private(set) var position = 0
    let rowBytes: Int
    let kCache: DeviceBuffer, vCache: DeviceBuffer
    private var slots: [String: DeviceBuffer] = [:]
    private var peak = WorkingMemoryReport(peak: .zero, phase: "", buffersAtPeak: [])
    private let start: CUDAEvent, stop: CUDAEvent
    /// Poison every activation buffer with NaN before each step, so an element a kernel fails to
    /// write shows up as NaN in the output (METHOD.md). On by default; benchmarks may switch it off.
    var poison = true
    /// Replay each step as a CUDA graph (as serving engines do for decode), so the measured time is
    /// the kernels' and not the host's launch overhead. MoE layers run direct launches: routing
    /// reads the router's logits back on the host in the middle of the step.
    /// `VRAMFIT_CUDA_GRAPHS=0` switches graphs off.
    var useGraphs: Bool

    var runtime: CUDARuntime { loaded.runtime }
    var kvCacheBytes: ByteCount { ByteCount(Int64(kCache.byteCount + vCache.byteCount)) }
    var memory: WorkingMemoryReport { peak }

    /// The kernels' code for each cache type (`kv_get` in LayerSource).
    static func kvCode(_ s: KVCacheStorage) -> Int32 {
        switch s {
        case .fp32: 0
        case .fp16: 1
        case .bf16: 2
        case .fp8: 3
        case .q8_0: 4
        case .q4_0: 5
        }
    }

    init(_ loaded: CUDALoadedLayer, storage: KVCacheStorage, capacity: Int) throws {
        self.loaded = loaded; kvCache = storage; self.capacity = capacity
        rowBytes = storage.bytes(forValues: loaded.shape.kvDim)
        kCache = try loaded.runtime.context.allocate(bytes: rowBytes * capacity)
        vCache = try loaded.runtime.context.allocate(bytes: rowBytes * capacity)
        // Unused positions are never read (the mask stops at the current position); zero them anyway
        // so the cache's contents are defined.
        try kCache.fill32(0); try vCache.fill32(0)
        if case .moe = loaded.mlp { useGraphs = false } else { useGraphs = !(environmentValue("VRAMFIT_CUDA_GRAPHS") == "0") }
        start = try loaded.runtime.context.makeEvent()
        stop = try loaded.runtime.context.makeEvent()
        try loaded.runtime.context.synchronize("KV cache allocation")
    }

    func prefill(_ input: [Float], tokens: Int) throws -> StepResult { try step(input, tokens: tokens, phase: "prefill") }
    func decode(_ input: [Float]) throws -> StepResult { try step(input, tokens: 1, phase: "decode") }

    private func buffer(_ name: String) -> CUdeviceptr { slots[name]!.pointer }

    private func step(_ input: [Float], tokens t: Int, phase: String) throws -> StepResult {
        let s = loaded.shape
        guard t > 0 else { throw RunnerError.invalidRequest("at least one token is needed") }
        guard input.count == t * s.hidden else { throw RunnerError.wrongInputSize(expected: t * s.hidden, got: input.count) }
        guard position + t <= capacity else { throw RunnerError.cacheFull(capacity: capacity, position: position, tokens: t) }
        guard t <= LaunchGeometry.maxGridYZ else { throw RunnerError.invalidRequest("the CUDA backend takes at most \(LaunchGeometry.maxGridYZ) tokens per step") }
        let plan = StepBuffers(shape: s, tokens: t, positions: position + t, multiprocessors: runtime.device.multiprocessors)
        // Allocate (or grow) every buffer of the step before timing starts.
        for (name, bytes) in plan.items where (slots[name]?.byteCount ?? -1) < bytes {
            slots[name] = nil
            slots[name] = try runtime.context.allocate(bytes: max(bytes, 4))
        }
        if poison { for (name, _) in plan.items { try slots[name]!.fill32(DeviceBuffer.nanPattern) } }
        if plan.totalBytes > peak.peak.value {
            peak = WorkingMemoryReport(peak: ByteCount(Int64(plan.totalBytes)), phase: phase,
                                       buffersAtPeak: plan.items.map { .init(name: $0.name, bytes: ByteCount(Int64($0.bytes))) })
        }
        try slots["residual"]!.copyIn(input)
        if useGraphs {
            // Captured, not run: the graph replays the step's launches back to back.
            let graph = try runtime.context.capture { try forward(tokens: t, plan: plan) }
            try start.record()
            try graph.launch()
            try stop.record()
        } else {
            try start.record()
            try forward(tokens: t, plan: plan)
            try stop.record()
        }
        let ms = try stop.milliseconds(since: start)
        try runtime.context.synchronize("\(phase) of \(t) tokens")
        let out = try slots["residual"]!.copyOut(Float.self, count: t * s.hidden)
        if let bad = out.firstIndex(where: { !$0.isFinite }) {
            throw CUDAError.unsupported("the \(phase) output has a non-finite value at index \(bad) (an unwritten element or an fp16 overflow)")
        }
        position += t
        return StepResult(output: out, seconds: ms / 1000)
    }

    /// x += attn(norm(x)); x += mlp(norm(x)), with the CPU backend's order of operations.
    private func forward(tokens t: Int, plan: StepBuffers) throws {
        let s = loaded.shape, L = loaded, rt = runtime
        let eps = Float(s.rmsEps)
        let x = buffer("residual"), normed = buffer("normed hidden")
        let q = buffer("q"), k = buffer("k"), v = buffer("v"), attn = buffer("attention output")
        let layer = CUDARuntime.ModuleKey.layer
        let block = Dim3(LaunchGeometry.threads)
        try rt.function("rmsnorm", in: layer).launch(grid: Dim3(t), block: block, [.pointer(x)] + L.inputNorm.arguments + [.pointer(normed), .int(s.hidden), .float(eps)])
        try L.q.project(x: normed, y: q, tokens: t)
        try L.k.project(x: normed, y: k, tokens: t)
        try L.v.project(x: normed, y: v, tokens: t)
        for (b, y, n) in [(L.qBias, q, s.qDim), (L.kBias, k, s.kvDim), (L.vBias, v, s.kvDim)] {
            if let b { try rt.launchElementwise("add_bias", count: t * n, [.pointer(y)] + b.arguments + [.int(t), .int(n)]) }
        }
        if let n = L.qNorm {
            try rt.function("rmsnorm", in: layer).launch(grid: Dim3(t * s.heads), block: Dim3(min(256, max(32, s.headDim))),
                                                         [.pointer(q)] + n.arguments + [.pointer(q), .int(s.headDim), .float(eps)])
        }
        if let n = L.kNorm {
            try rt.function("rmsnorm", in: layer).launch(grid: Dim3(t * s.kvHeads), block: Dim3(min(256, max(32, s.headDim))),
                                                         [.pointer(k)] + n.arguments + [.pointer(k), .int(s.headDim), .float(eps)])
        }
        let ropeBlock = Dim3(min(256, max(32, s.headDim / 2)))
        try rt.function("rope", in: layer).launch(grid: Dim3(t, s.heads), block: ropeBlock,
                                                  [.pointer(q), .buffer(L.invFreq), .int(s.heads), .int(s.headDim), .int(s.headDim), .int(position), .int32(1)])
        try rt.function("rope", in: layer).launch(grid: Dim3(t, s.kvHeads), block: ropeBlock,
                                                  [.pointer(k), .buffer(L.invFreq), .int(s.kvHeads), .int(s.headDim), .int(s.headDim), .int(position), .int32(1)])
        let kvCode = Self.kvCode(kvCache)
        try rt.launchElementwise("kv_store", count: 2 * t * ((s.kvDim + 31) / 32),
                                 [.pointer(k), .pointer(v), .buffer(kCache), .buffer(vCache), .int(t), .int(s.kvDim), .int(rowBytes), .int(position), .int32(kvCode)])
        // Attention: partial results per split of the visible positions, then the merge.
        let partials = slots["attention partials"]!.pointer
        let po = partials, pm = partials + CUdeviceptr(4 * t * s.heads * plan.splits * s.headDim)
        let pl = pm + CUdeviceptr(4 * t * s.heads * plan.splits)
        try rt.function("attention_partial_kv\(kvCode)", in: layer).launch(
            grid: Dim3(s.heads, plan.splits, t), block: Dim3(LayerSource.attentionThreads),
            [.pointer(q), .buffer(kCache), .buffer(vCache), .pointer(po), .pointer(pm), .pointer(pl), .int(s.heads), .int(s.kvHeads),
             .int(s.headDim), .int(rowBytes), .int(position), .int(plan.length), .int(s.slidingWindow ?? 0),
             .float(1 / Float(s.headDim).squareRoot())])
        try rt.function("attention_combine", in: layer).launch(grid: Dim3(s.heads, t), block: Dim3(min(256, s.headDim)),
                                                               [.pointer(po), .pointer(pm), .pointer(pl), .pointer(attn), .int(s.heads), .int(s.headDim), .int(plan.splits)])
        try L.o.project(x: attn, y: normed, tokens: t)  // normed is dead: o_proj writes there (as on the CPU)
        if let b = L.oBias { try rt.launchElementwise("add_bias", count: t * s.hidden, [.pointer(normed)] + b.arguments + [.int(t), .int(s.hidden)]) }
        try rt.launchElementwise("add_inplace", count: t * s.hidden, [.pointer(x), .pointer(normed), .int64(Int64(t * s.hidden))])

        try rt.function("rmsnorm", in: layer).launch(grid: Dim3(t), block: block, [.pointer(x)] + L.postNorm.arguments + [.pointer(normed), .int(s.hidden), .float(eps)])
        switch L.mlp {
        case .dense(let e):
            try swiglu(e, input: normed, tokens: t, width: s.intermediate, gate: buffer("mlp gate"), up: buffer("mlp up"), out: normed)
            try rt.launchElementwise("add_inplace", count: t * s.hidden, [.pointer(x), .pointer(normed), .int64(Int64(t * s.hidden))])
        case .moe(let router, let experts, let shared, let sharedGate):
            try moe(router: router, experts: experts, shared: shared, sharedGate: sharedGate, input: normed, tokens: t, residual: x)
        }
    }

    /// out = down(silu(gate(x)) · up(x)); `out` may be `input` (written last).
    private func swiglu(_ e: CUDALoadedLayer.Expert, input: CUdeviceptr, tokens t: Int, width: Int,
                        gate: CUdeviceptr, up: CUdeviceptr, out: CUdeviceptr) throws {
        try e.gate.project(x: input, y: gate, tokens: t)
        try e.up.project(x: input, y: up, tokens: t)
        try runtime.launchElementwise("silu_mul", count: t * width, [.pointer(gate), .pointer(up), .pointer(gate), .int64(Int64(t * width))])
        try e.down.project(x: gate, y: out, tokens: t)
    }

    /// Router on the device, top-k on the host with `MoERouting.route` (the CPU's exact rule; one
    /// device→host copy of the logits and one host→device copy of the routing per step), experts
    /// on the tokens routed to them, shared expert on every token.
    private func moe(router: DeviceMatrix, experts: [CUDALoadedLayer.Expert], shared: CUDALoadedLayer.Expert?,
                     sharedGate: DeviceMatrix?, input: CUdeviceptr, tokens t: Int, residual x: CUdeviceptr) throws {
        let s = loaded.shape, h = s.hidden, m = s.moe!, rt = runtime
        let logitsBuf = slots["router logits"]!
        try router.project(x: input, y: logitsBuf.pointer, tokens: t)
        let logits = try logitsBuf.copyOut(Float.self, count: t * m.experts)  // synchronous: waits for the router
        var rowsOf = [[Int32]](repeating: [], count: m.experts), weightsOf = [[Float]](repeating: [], count: m.experts)
        logits.withUnsafeBufferPointer { lp in
            for i in 0..<t {
                for p in MoERouting.route(lp.baseAddress! + i * m.experts, experts: m.experts, topK: m.topK, normalize: m.normalizeTopK) {
                    rowsOf[p.expert].append(Int32(i)); weightsOf[p.expert].append(p.weight)
                }
            }
        }
        // One upload: every expert's token list, then every expert's weights.
        var idx: [Int32] = [], wts: [Float] = [], offsets: [Int] = []
        for e in 0..<m.experts { offsets.append(idx.count); idx += rowsOf[e]; wts += weightsOf[e] }
        let routing = slots["routing"]!
        try routing.copyIn(idx)
        try routing.copyIn(wts, at: 4 * t * m.topK)
        let acc = slots["moe output"]!
        try acc.fill32(0)
        let xin = buffer("expert input"), eg = buffer("expert gate"), eu = buffer("expert up"), eout = buffer("expert output")
        for e in 0..<m.experts where !rowsOf[e].isEmpty {
            let n = rowsOf[e].count
            let rowsPtr = routing.pointer + CUdeviceptr(4 * offsets[e])
            let wPtr = routing.pointer + CUdeviceptr(4 * (t * m.topK + offsets[e]))
            try rt.launchElementwise("gather_rows", count: n * h, [.pointer(input), .pointer(xin), .pointer(rowsPtr), .int(n), .int(h)])
            try swiglu(experts[e], input: xin, tokens: n, width: m.expertIntermediate, gate: eg, up: eu, out: eout)
            try rt.launchElementwise("scatter_add_rows", count: n * h, [.buffer(acc), .pointer(eout), .pointer(rowsPtr), .pointer(wPtr), .int(n), .int(h)])
        }
        if let sh = shared {
            let out = buffer("shared output")
            try swiglu(sh, input: input, tokens: t, width: m.sharedIntermediate, gate: buffer("shared gate"), up: buffer("shared up"), out: out)
            var gatePtr: CUdeviceptr = 0
            if let g = sharedGate { gatePtr = buffer("shared expert gate"); try g.project(x: input, y: gatePtr, tokens: t) }
            try rt.launchElementwise("sigmoid_scale_add", count: t * h, [.buffer(acc), .pointer(out), .pointer(gatePtr), .int(t), .int(h)])
        }
        try rt.launchElementwise("add_inplace", count: t * h, [.pointer(x), .buffer(acc), .int64(Int64(t * h))])
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

func environmentValue(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
