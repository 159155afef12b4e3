/// How far a computed output is from the reference: relative L2 error ‖y − r‖ / ‖r‖ and cosine
/// similarity ⟨y, r⟩ / (‖y‖‖r‖), accumulated in Double over all compared values.
public struct OutputError: Sendable, Equatable {
    public var relativeL2: Double
    public var cosine: Double
    public var maxAbs: Double
    public var values: Int

    public init(relativeL2: Double, cosine: Double, maxAbs: Double, values: Int) {
        self.relativeL2 = relativeL2; self.cosine = cosine; self.maxAbs = maxAbs; self.values = values
    }

    public static func compare(_ y: [Float], _ r: [Double]) -> OutputError {
        compare(y.map(Double.init), r)
    }

    public static func compare(_ y: [Double], _ r: [Double]) -> OutputError {
        precondition(y.count == r.count)
        var diff = 0.0, rr = 0.0, yy = 0.0, yr = 0.0, mx = 0.0
        for i in 0..<y.count {
            let d = y[i] - r[i]
            diff += d * d; rr += r[i] * r[i]; yy += y[i] * y[i]; yr += y[i] * r[i]
            mx = max(mx, abs(d))
        }
        let rel = rr > 0 ? (diff / rr).squareRoot() : (diff == 0 ? 0 : .infinity)
        let cos = yy > 0 && rr > 0 ? yr / (yy.squareRoot() * rr.squareRoot()) : (yy == rr ? 1 : 0)
        return OutputError(relativeL2: rel, cosine: cos, maxAbs: mx, values: y.count)
    }
}

/// The weights' own quantization error: ‖Ŵ − W‖_F / ‖W‖_F summed over a layer's matrices.
/// For y = Wx with x independent of the error, E‖(Ŵ − W)x‖² / E‖Wx‖² equals this ratio squared, so
/// it is the first-order prediction of a projection's output error (docs/runner.md).
public enum WeightError {
    public static func relativeRMS(_ pairs: [(quantized: any QuantizedWeight, reference: any QuantizedWeight)]) -> Double {
        var num = 0.0, den = 0.0
        for (q, r) in pairs {
            precondition(q.rows == r.rows && q.cols == r.cols)
            let parts = Parallel.ranges(q.rows, parts: Parallel.cores * 4, align: 16)
            var sums = [(Double, Double)](repeating: (0, 0), count: parts.count)
            sums.withUnsafeMutableBufferPointer { sb in
                let sp = SendablePointer(sb.baseAddress!)
                Parallel.forEach(parts.count) { i in
                    var a = [Float](repeating: 0, count: q.cols), b = a
                    var n = 0.0, d = 0.0
                    for row in parts[i] {
                        a.withUnsafeMutableBufferPointer { q.dequantizeRow(row, into: $0) }
                        b.withUnsafeMutableBufferPointer { r.dequantizeRow(row, into: $0) }
                        for c in 0..<q.cols {
                            let e = Double(a[c]) - Double(b[c])
                            n += e * e; d += Double(b[c]) * Double(b[c])
                        }
                    }
                    sp.pointer[i] = (n, d)
                }
            }
            for s in sums { num += s.0; den += s.1 }
        }
        return den > 0 ? (num / den).squareRoot() : 0
    }
}
