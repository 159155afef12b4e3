#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The float64 oracle: the same layer definition (`LayerShape`, `LayerWeights`) computed the plain
/// way in Double — whole-sequence causal attention with an explicit softmax, no blocking, no online
/// rescaling, no fp32 anywhere after the weights are read. Written independently of the CPU
/// backend's kernels so the two can check each other.
///
/// Weights are read through `dequantizeRow`, one row at a time (never the whole matrix), so the
/// reference runs on an unquantized checkpoint (the usual oracle) or on the very same quantized
/// weights a backend uses (to test the backend's kernels alone).
public struct ReferenceLayer: Sendable {
    public let layer: Layer
    /// When set, K and V pass through this storage before attention, as they do in a backend's
    /// cache; nil keeps them exact (the "unquantized layer").
    public var kvRounding: KVCacheStorage?

    public init(_ layer: Layer, kvRounding: KVCacheStorage? = nil) {
        self.layer = layer; self.kvRounding = kvRounding
    }

    /// Runs positions 0 ..< n (`input`: n × hidden) causally and returns the layer output at
    /// `outputs` (ascending positions), each `hidden` values. K and V are computed for every
    /// position; everything else only for the requested ones, so checking a few rows of a long
    /// sequence stays cheap.
    public func forward(_ input: [Float], positions n: Int, outputs: [Int]) -> [[Double]] {
        let s = layer.shape, w = layer.weights, h = s.hidden
        precondition(input.count == n * h && outputs.allSatisfy { $0 >= 0 && $0 < n })
        let x = input.map(Double.init)
        let eps = s.rmsEps
        let inNorm = w.inputNorm.floats().map(Double.init), postNorm = w.postAttentionNorm.floats().map(Double.init)
        let normed = Self.rmsNorm(x, rows: n, width: h, weight: inNorm, eps: eps)

        // K, V for every position.
        var k = Self.matmul(w.k, normed, rows: n)
        var v = Self.matmul(w.v, normed, rows: n)
        if let b = w.kBias?.floats() { Self.addBias(&k, b, rows: n) }
        if let b = w.vBias?.floats() { Self.addBias(&v, b, rows: n) }
        if let kn = w.kNorm?.floats().map(Double.init) { k = Self.rmsNorm(k, rows: n * s.kvHeads, width: s.headDim, weight: kn, eps: eps) }
        Self.rope(&k, positions: Array(0..<n), heads: s.kvHeads, headDim: s.headDim, theta: s.ropeTheta)
        if let r = kvRounding {
            k = r.roundTrip(k.map(Float.init)).map(Double.init)
            v = r.roundTrip(v.map(Float.init)).map(Double.init)
        }

        // Q and everything after it for the requested positions only.
        let m = outputs.count
        var xs = [Double](), ns = [Double]()
        for p in outputs { xs += x[(p * h)..<((p + 1) * h)]; ns += normed[(p * h)..<((p + 1) * h)] }
        var q = Self.matmul(w.q, ns, rows: m)
        if let b = w.qBias?.floats() { Self.addBias(&q, b, rows: m) }
        if let qn = w.qNorm?.floats().map(Double.init) { q = Self.rmsNorm(q, rows: m * s.heads, width: s.headDim, weight: qn, eps: eps) }
        Self.rope(&q, positions: outputs, heads: s.heads, headDim: s.headDim, theta: s.ropeTheta)

        var attn = [Double](repeating: 0, count: m * s.qDim)
        let d = s.headDim, scale = 1 / Double(d).squareRoot()
        for (i, p) in outputs.enumerated() {
            let first = s.slidingWindow.map { max(0, p - $0 + 1) } ?? 0
            for head in 0..<s.heads {
                let g = head / s.groupSize
                var scores = [Double](repeating: 0, count: p - first + 1)
                for j in first...p {
                    var dot = 0.0
                    for c in 0..<d { dot += q[i * s.qDim + head * d + c] * k[j * s.kvDim + g * d + c] }
                    scores[j - first] = dot * scale
                }
                let mx = scores.max()!
                let e = scores.map { dexp($0 - mx) }
                let total = e.reduce(0, +)
                for j in first...p {
                    let pj = e[j - first] / total
                    for c in 0..<d { attn[i * s.qDim + head * d + c] += pj * v[j * s.kvDim + g * d + c] }
                }
            }
        }
        var o = Self.matmul(w.o, attn, rows: m)
        if let b = w.oBias?.floats() { Self.addBias(&o, b, rows: m) }
        for i in 0..<(m * h) { xs[i] += o[i] }

        let n2 = Self.rmsNorm(xs, rows: m, width: h, weight: postNorm, eps: eps)
        let mlpOut: [Double]
        switch w.mlp {
        case .dense(let e): mlpOut = Self.swiglu(e, n2, rows: m)
        case .moe(let router, let experts, let shared, let gate):
            mlpOut = Self.moe(router: router, experts: experts, shared: shared, gate: gate, n2, rows: m, hidden: h, shape: s.moe!)
        }
        for i in 0..<(m * h) { xs[i] += mlpOut[i] }
        return (0..<m).map { Array(xs[($0 * h)..<(($0 + 1) * h)]) }
    }

    // MARK: pieces, in Double

    static func rmsNorm(_ x: [Double], rows: Int, width: Int, weight: [Double], eps: Double) -> [Double] {
        var out = x
        for r in 0..<rows {
            var ss = 0.0
            for i in 0..<width { ss += x[r * width + i] * x[r * width + i] }
            let inv = 1 / (ss / Double(width) + eps).squareRoot()
            for i in 0..<width { out[r * width + i] = x[r * width + i] * inv * weight[i] }
        }
        return out
    }

    static func addBias(_ y: inout [Double], _ b: [Float], rows: Int) {
        let n = b.count
        for r in 0..<rows { for i in 0..<n { y[r * n + i] += Double(b[i]) } }
    }

    static func rope(_ x: inout [Double], positions: [Int], heads: Int, headDim d: Int, theta: Double) {
        let half = d / 2
        for (t, p) in positions.enumerated() {
            for i in 0..<half {
                let a = Double(p) / pow(theta, Double(2 * i) / Double(d))
                let c = cos(a), s = sin(a)
                for hd in 0..<heads {
                    let base = (t * heads + hd) * d
                    let x1 = x[base + i], x2 = x[base + i + half]
                    x[base + i] = x1 * c - x2 * s
                    x[base + i + half] = x2 * c + x1 * s
                }
            }
        }
    }

    static func swiglu(_ e: LayerWeights.Expert, _ x: [Double], rows: Int) -> [Double] {
        let g = matmul(e.gate, x, rows: rows), u = matmul(e.up, x, rows: rows)
        var a = [Double](repeating: 0, count: g.count)
        for i in 0..<g.count { a[i] = g[i] / (1 + dexp(-g[i])) * u[i] }
        return matmul(e.down, a, rows: rows)
    }

    static func moe(router: any QuantizedWeight, experts: [LayerWeights.Expert], shared: LayerWeights.Expert?, gate: (any QuantizedWeight)?,
                    _ x: [Double], rows: Int, hidden h: Int, shape m: LayerShape.MoE) -> [Double] {
        let logits = matmul(router, x, rows: rows)
        var out = [Double](repeating: 0, count: rows * h)
        for r in 0..<rows {
            let l = Array(logits[(r * m.experts)..<((r + 1) * m.experts)])
            let mx = l.max()!
            let e = l.map { dexp($0 - mx) }
            let total = e.reduce(0, +)
            let p = e.map { $0 / total }
            let order = (0..<m.experts).sorted { p[$0] != p[$1] ? p[$0] > p[$1] : $0 < $1 }.prefix(m.topK)
            let norm = m.normalizeTopK ? order.reduce(0.0) { $0 + p[$1] } : 1
            let xr = Array(x[(r * h)..<((r + 1) * h)])
            for ex in order {
                let y = swiglu(experts[ex], xr, rows: 1)
                for i in 0..<h { out[r * h + i] += p[ex] / norm * y[i] }
            }
            if let sh = shared {
                var gv = 1.0
                if let gate { gv = 1 / (1 + dexp(-matmul(gate, xr, rows: 1)[0])) }
                let y = swiglu(sh, xr, rows: 1)
                for i in 0..<h { out[r * h + i] += gv * y[i] }
            }
        }
        return out
    }

    /// Y[t, r] = Σ_k W[r, k] X[t, k] in Double. Rows of W are dequantized one at a time (in
    /// parallel over row ranges) and used against every row of X.
    static func matmul(_ w: any QuantizedWeight, _ x: [Double], rows t: Int) -> [Double] {
        let n = w.rows, k = w.cols
        precondition(x.count == t * k)
        var y = [Double](repeating: 0, count: t * n)
        let parts = Parallel.ranges(n, parts: Parallel.cores * 4, align: 16)
        x.withUnsafeBufferPointer { xb in
            y.withUnsafeMutableBufferPointer { yb in
                let xp = SendableConst(xb.baseAddress!), yp = SendablePointer(yb.baseAddress!)
                Parallel.forEach(parts.count) { pi in
                    var rowF = [Float](repeating: 0, count: k)
                    var rowD = [Double](repeating: 0, count: k)
                    for r in parts[pi] {
                        rowF.withUnsafeMutableBufferPointer { w.dequantizeRow(r, into: $0) }
                        for c in 0..<k { rowD[c] = Double(rowF[c]) }
                        for i in 0..<t { yp.pointer[i * n + r] = dotD(rowD, xp.pointer + i * k, count: k) }
                    }
                }
            }
        }
        return y
    }

    @inline(__always)
    static func dotD(_ a: [Double], _ b: UnsafePointer<Double>, count: Int) -> Double {
        a.withUnsafeBufferPointer { ap in
            var s0 = SIMD4<Double>(), s1 = SIMD4<Double>()
            var i = 0
            let p = ap.baseAddress!
            while i + 8 <= count {
                s0 = s0 + UnsafeRawPointer(p + i).loadUnaligned(as: SIMD4<Double>.self) * UnsafeRawPointer(b + i).loadUnaligned(as: SIMD4<Double>.self)
                s1 = s1 + UnsafeRawPointer(p + i + 4).loadUnaligned(as: SIMD4<Double>.self) * UnsafeRawPointer(b + i + 4).loadUnaligned(as: SIMD4<Double>.self)
                i += 8
            }
            var s = (s0 + s1).sum()
            while i < count { s += p[i] * b[i]; i += 1 }
            return s
        }
    }
}

@inline(__always) private func dexp(_ x: Double) -> Double { exp(x) }
