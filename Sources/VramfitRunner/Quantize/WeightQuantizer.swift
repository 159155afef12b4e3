/// Turns a full-precision matrix into one format's real storage. Weights come in as fp32,
/// row-major `[rows = out_features, cols = in_features]` (nn.Linear layout).
///
/// Quantizers are values with no mutable state: the same input always gives the same bytes.
public protocol WeightQuantizer: Sendable {
    /// The `format` of the weights this quantizer produces (e.g. "int4-g128-awq", "q4_K").
    var format: String { get }
    func quantize(_ weights: [Float], rows: Int, cols: Int) throws(QuantizeError) -> any QuantizedWeight
}

/// Why a tensor could not be quantized. The CLI prints `description` and exits 2.
public enum QuantizeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The scheme (or the ggml type a mix picks) has no quantizer in the micro-runner.
    case unsupportedScheme(scheme: String, reason: String)
    /// The format cannot store this shape (e.g. AWQ needs out_features divisible by 8).
    case unsupportedShape(format: String, rows: Int, cols: Int, reason: String)
    /// `weights.count` is not rows × cols.
    case wrongElementCount(format: String, rows: Int, cols: Int, count: Int)
    /// A NaN or infinity in the input: no scale can represent it.
    case nonFinite(format: String, index: Int)

    public var description: String {
        switch self {
        case .unsupportedScheme(let s, let reason): "scheme '\(s)' cannot be run by the micro-runner: \(reason)"
        case .unsupportedShape(let f, let r, let c, let reason): "\(f) cannot store a \(r) × \(c) matrix: \(reason)"
        case .wrongElementCount(let f, let r, let c, let n): "\(f): expected \(r) × \(c) = \(r * c) weights, got \(n)"
        case .nonFinite(let f, let i): "\(f): weight \(i) is not a finite number"
        }
    }
}

enum QuantizeChecks {
    static func shape(_ w: [Float], rows: Int, cols: Int, format: String) throws(QuantizeError) {
        guard rows > 0, cols > 0 else {
            throw .unsupportedShape(format: format, rows: rows, cols: cols, reason: "both dimensions must be positive")
        }
        let (n, overflow) = rows.multipliedReportingOverflow(by: cols)
        guard !overflow, w.count == n else { throw .wrongElementCount(format: format, rows: rows, cols: cols, count: w.count) }
        if let i = w.firstIndex(where: { !$0.isFinite }) { throw .nonFinite(format: format, index: i) }
    }
}
