#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The element-wise pieces of a layer on the CPU: RMSNorm, RoPE, SiLU·up, residual adds, and the
/// row-parallel projection that hands each core a slice of a weight's output rows.
enum CPUKernels {
    /// y = W x for `tokens` rows of x: matvec for one token (decode), the tiled matmul otherwise.
    /// Each core gets about four slices of output rows, aligned to 16 rows (packed formats).
    static func project(_ w: any QuantizedWeight, _ x: UnsafeMutableBufferPointer<Float>, tokens: Int, into y: UnsafeMutableBufferPointer<Float>) {
        if tokens == 1, let s = w as? any InputSliceMatvec, s.groupCount > 1 {
            return projectByInputSlices(s, UnsafeBufferPointer(x), into: y)
        }
        let parts = Parallel.ranges(w.rows, parts: Parallel.cores * 4, align: 16)
        let xs = UnsafeBufferPointer(x)
        let yp = SendablePointer(y.baseAddress!), n = y.count
        Parallel.forEach(parts.count) { i in
            let out = UnsafeMutableBufferPointer(start: yp.pointer, count: n)
            if tokens == 1 { w.matvec(xs, into: out, rows: parts[i]) } else { w.matmul(xs, tokens: tokens, into: out, rows: parts[i]) }
        }
    }

    /// One token through an input-major format: each core takes a slice of the input's groups and
    /// sums over every output row into its own partial (cores × rows floats, freed on return),
    /// then the partials are added. Slicing by output rows instead makes every core jump a whole
    /// packed row (N/2 bytes) per input index while reading a sliver of it; slicing by input keeps
    /// each core's reads one sequential stream (measured on a gate_proj-shaped AWQ matrix, one
    /// core: 1.0–1.6 GB/s with 32–1,184-word slices of the rows, 2.6 GB/s with whole rows).
    static func projectByInputSlices(_ w: any InputSliceMatvec, _ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>) {
        let n = w.rows
        let parts = Parallel.ranges(w.groupCount, parts: Parallel.cores, align: 1)
        let partials = UnsafeMutablePointer<Float>.allocate(capacity: parts.count * n)
        defer { partials.deallocate() }
        let pp = SendablePointer(partials)
        Parallel.forEach(parts.count) { i in
            w.partialMatvec(x, groups: parts[i], into: pp.pointer + i * n)
        }
        let out = y.baseAddress!
        out.update(from: partials, count: n)
        for i in parts.indices.dropFirst() { add(out, partials + i * n, count: n) }
    }

    /// out[t] = x[t] / √(mean(x[t]²) + eps) · weight, per row of `width` (LlamaRMSNorm, fp32).
    static func rmsNorm(_ x: UnsafePointer<Float>, rows: Int, width: Int, weight: [Float], eps: Float, into out: UnsafeMutablePointer<Float>) {
        weight.withUnsafeBufferPointer { w in
            for t in 0..<rows {
                let row = x + t * width, o = out + t * width
                let ms = DotKernels.dot(row, row, count: width) / Float(width)
                let inv = 1 / (ms + eps).squareRoot()
                for i in 0..<width { o[i] = row[i] * inv * w[i] }
            }
        }
    }

    static func addBias(_ y: UnsafeMutablePointer<Float>, rows: Int, bias: [Float]) {
        let n = bias.count
        bias.withUnsafeBufferPointer { b in
            for t in 0..<rows { DotKernels.axpy(1, b.baseAddress!, y + t * n, count: n) }
        }
    }

    /// Inverse frequencies θ^(−2i/d), i < d/2 (transformers `_compute_default_rope_parameters`), in Double.
    static func inverseFrequencies(headDim d: Int, theta: Double) -> [Double] {
        (0..<(d / 2)).map { i in 1 / pow(theta, Double(2 * i) / Double(d)) }
    }

    /// Rotate-half RoPE in place on `heads` heads of `headDim` for token rows at positions
    /// `start ..< start + rows` (transformers `apply_rotary_pos_emb`: x·cos + rotate_half(x)·sin).
    static func rope(_ x: UnsafeMutablePointer<Float>, rows: Int, heads: Int, headDim d: Int, start: Int, invFreq: [Double]) {
        let half = d / 2
        var cs = [Float](repeating: 0, count: half), sn = [Float](repeating: 0, count: half)
        for t in 0..<rows {
            let pos = Double(start + t)
            for i in 0..<half {
                let a = pos * invFreq[i]
                cs[i] = Float(cos(a)); sn[i] = Float(sin(a))
            }
            for h in 0..<heads {
                let v = x + (t * heads + h) * d
                for i in 0..<half {
                    let x1 = v[i], x2 = v[i + half]
                    v[i] = x1 * cs[i] - x2 * sn[i]
                    v[i + half] = x2 * cs[i] + x1 * sn[i]
                }
            }
        }
    }

    /// gate[i] = silu(gate[i]) · up[i] (SwiGLU: `act_fn(gate_proj(x)) * up_proj(x)`).
    static func siluMul(_ gate: UnsafeMutablePointer<Float>, _ up: UnsafePointer<Float>, count: Int) {
        for i in 0..<count {
            let g = gate[i]
            gate[i] = g / (1 + expf(-g)) * up[i]
        }
    }

    /// a[i] += b[i].
    static func add(_ a: UnsafeMutablePointer<Float>, _ b: UnsafePointer<Float>, count: Int) {
        DotKernels.axpy(1, b, a, count: count)
    }
}
