import VramfitCore

/// The unquantized baseline: every element stored at one width (fp32, fp16 or bf16), exactly the
/// bytes a checkpoint or an engine holds for a tensor it does not quantize (`rows × cols ×
/// element size`, one buffer named `weight`). Used for the tensors a scheme keeps in the model's
/// dtype, for norms and biases (one row), and as the "unquantized layer" the float64 reference
/// compares against.
public struct DenseWeight: QuantizedWeight {
    public enum Storage: String, Sendable, CaseIterable {
        case fp32 = "float32", fp16 = "float16", bf16 = "bfloat16"

        public var bytesPerElement: Int { self == .fp32 ? 4 : 2 }

        /// The storage for an unquantized dtype; fp8 is a quantized format, not a dense one.
        public init?(_ d: DType) {
            switch d {
            case .fp32: self = .fp32
            case .fp16: self = .fp16
            case .bf16: self = .bf16
            case .fp8: return nil
            }
        }
    }

    public let rows: Int
    public let cols: Int
    public let storage: Storage
    /// Little-endian elements, row-major.
    public let data: [UInt8]

    public var format: String { storage.rawValue }
    public var buffers: [WeightBuffer] { [WeightBuffer(name: "weight", bytes: data)] }

    public enum Failure: Error, Equatable, CustomStringConvertible {
        case wrongByteCount(expected: Int, got: Int)
        case wrongValueCount(expected: Int, got: Int)
        public var description: String {
            switch self {
            case .wrongByteCount(let e, let g): "dense weight needs \(e) bytes, got \(g)"
            case .wrongValueCount(let e, let g): "dense weight needs \(e) values, got \(g)"
            }
        }
    }

    /// Rounds `values` (row-major, rows × cols) to `storage`, nearest-even.
    public init(rows: Int, cols: Int, storage: Storage, values: UnsafeBufferPointer<Float>) throws {
        guard values.count == rows * cols else { throw Failure.wrongValueCount(expected: rows * cols, got: values.count) }
        self.rows = rows; self.cols = cols; self.storage = storage
        let n = rows * cols
        var bytes = [UInt8](repeating: 0, count: n * storage.bytesPerElement)
        bytes.withUnsafeMutableBytes { raw in
            guard let base = values.baseAddress, n > 0 else { return }
            switch storage {
            case .fp32:
                raw.baseAddress!.copyMemory(from: base, byteCount: n * 4)
            case .fp16:
                VectorConvert.floatToHalf(base, raw.baseAddress!.assumingMemoryBound(to: UInt16.self), count: n)
            case .bf16:
                VectorConvert.floatToBF16(base, raw.baseAddress!.assumingMemoryBound(to: UInt16.self), count: n)
            }
        }
        data = bytes
    }

    public init(rows: Int, cols: Int, storage: Storage, values: [Float]) throws {
        self = try values.withUnsafeBufferPointer { try DenseWeight(rows: rows, cols: cols, storage: storage, values: $0) }
    }

    /// Wraps raw little-endian bytes as stored in a safetensors file (F32, F16 or BF16).
    public init(rows: Int, cols: Int, storage: Storage, bytes: [UInt8]) throws {
        let expected = rows * cols * storage.bytesPerElement
        guard bytes.count == expected else { throw Failure.wrongByteCount(expected: expected, got: bytes.count) }
        self.rows = rows; self.cols = cols; self.storage = storage; data = bytes
    }

    /// All values as Float (for vectors: norms and biases, which backends hold in fp32).
    public func floats() -> [Float] {
        var out = [Float](repeating: 0, count: rows * cols)
        out.withUnsafeMutableBufferPointer { o in
            for r in 0..<rows { dequantizeRow(r, into: UnsafeMutableBufferPointer(rebasing: o[(r * cols)..<((r + 1) * cols)])) }
        }
        return out
    }

    public func dequantizeRow(_ row: Int, into out: UnsafeMutableBufferPointer<Float>) {
        precondition(row >= 0 && row < rows && out.count >= cols, "row \(row) out of range or buffer too small")
        segment(row: row, k0: 0, count: cols, into: out.baseAddress!)
    }

    /// W[row, k0 ..< k0 + count] as Float.
    @inline(__always)
    func segment(row: Int, k0: Int, count: Int, into out: UnsafeMutablePointer<Float>) {
        data.withUnsafeBytes { raw in
            let start = row &* cols &+ k0
            switch storage {
            case .fp32:
                UnsafeMutableRawPointer(out).copyMemory(from: raw.baseAddress! + start &* 4, byteCount: count &* 4)
            case .fp16:
                VectorConvert.halfToFloat(raw.baseAddress!.assumingMemoryBound(to: UInt16.self) + start, out, count: count)
            case .bf16:
                VectorConvert.bf16ToFloat(raw.baseAddress!.assumingMemoryBound(to: UInt16.self) + start, out, count: count)
            }
        }
    }

    public func matvec(_ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>, rows range: Range<Int>) {
        precondition(x.count >= cols && y.count >= rows && range.lowerBound >= 0 && range.upperBound <= rows)
        let xp = x.baseAddress!, yp = y.baseAddress!
        let n = cols
        data.withUnsafeBytes { raw in
            switch storage {
            case .fp32:
                let w = raw.baseAddress!.assumingMemoryBound(to: Float.self)
                for r in range { yp[r] = DotKernels.dot(w + r &* n, xp, count: n) }
            case .fp16:
                let w = raw.baseAddress!.assumingMemoryBound(to: UInt16.self)
                for r in range { yp[r] = DotKernels.dotHalf(w + r &* n, xp, count: n) }
            case .bf16:
                let w = raw.baseAddress!.assumingMemoryBound(to: UInt16.self)
                for r in range { yp[r] = DotKernels.dotBF16(w + r &* n, xp, count: n) }
            }
        }
    }

    public func matmul(_ x: UnsafeBufferPointer<Float>, tokens: Int, into y: UnsafeMutableBufferPointer<Float>, rows range: Range<Int>) {
        precondition(x.count >= tokens * cols && y.count >= tokens * rows && range.lowerBound >= 0 && range.upperBound <= rows)
        PanelGEMM.multiply(x: x.baseAddress!, tokens: tokens, cols: cols, y: y.baseAddress!, ldy: rows, rows: range) { r, k0, n, out in
            segment(row: r, k0: k0, count: n, into: out)
        }
    }
}
