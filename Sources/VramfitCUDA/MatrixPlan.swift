import CUDADriver

/// How one quantized weight is fed to the kernels: which `DeviceFormat`, which of its buffers go
/// to the format's pointer slots p0…p5, and the format's integer parameters — decided from the
/// quantizer's `format` string and shapes alone (no GPU needed, so tests check every mapping).
public struct MatrixPlan: Sendable, Equatable {
    public var format: DeviceFormat
    /// Buffer names for p0…p5 (nil: a null pointer). `MatrixPlan.repacked` and `.permutation`
    /// name buffers the backend makes on the device.
    public var slots: [String?]
    public var i0: Int32 = 0, i1: Int32 = 0, i2: Int32 = 0
    /// int4 `qweight` to permute into row-major order after upload: 0 GPTQ, 1 AWQ.
    public var repackLayout: Int32?
    /// GPTQ act-order: columns sorted by group (column k' of the repacked matrix is perm[k']).
    public var permutation: [Int32]?

    public static let repacked = "$qweight-row-major"
    public static let permutationName = "$perm"

    /// Extra device bytes beyond the quantizer's buffers: the act-order permutation (K int32,
    /// like vLLM GPTQ-Marlin's g_idx_sort_indices). The repack reuses the same byte count.
    public var extraBytes: Int { (permutation?.count ?? 0) * 4 }
}

public enum MatrixPlanError: Error, Equatable, CustomStringConvertible {
    case unsupportedFormat(String, reason: String)
    case unsupportedShape(format: String, rows: Int, cols: Int, reason: String)
    case missingBuffer(format: String, name: String)

    public var description: String {
        switch self {
        case let .unsupportedFormat(f, reason): "weight format \(f) is not supported by the CUDA backend: \(reason)"
        case let .unsupportedShape(f, r, c, reason): "\(f) \(r) × \(c) cannot run on the CUDA backend: \(reason)"
        case let .missingBuffer(f, n): "\(f) weight has no buffer named '\(n)'"
        }
    }
}

extension MatrixPlan {
    /// The plan for a format string alone (shape checks come with `plan(format:rows:cols:buffers:)`).
    public static func device(forFormat f: String, capability: ComputeCapability?) throws(MatrixPlanError) -> DeviceFormat {
        switch f {
        case "float32": return .f32
        case "float16": return .f16
        case "bfloat16": return .bf16
        case "int8-per-channel", "llm-int8": return .int8
        case "nf4-b64", "nf4-dq-b64", "fp4-b64", "fp4-dq-b64": return .nf4
        case "Q4_0": return .q4_0
        case "Q4_1": return .q4_1
        case "Q5_0": return .q5_0
        case "Q5_1": return .q5_1
        case "Q8_0": return .q8_0
        case "Q4_K": return .q4_k
        case "Q5_K": return .q5_k
        case "Q6_K": return .q6_k
        default: break
        }
        if f.hasPrefix("fp8-e4m3-") {
            if let cc = capability, !cc.hasFP8 {
                throw .unsupportedFormat(f, reason: "FP8 needs compute capability 8.9 or newer (this GPU is \(cc))")
            }
            return .fp8
        }
        if f.hasPrefix("int4-g"), f.hasSuffix("-awq") || f.contains("-gptq") { return .int4 }
        if f.hasPrefix("int8-g"), f.contains("-gptq") {
            throw .unsupportedFormat(f, reason: "8-bit GPTQ has no CUDA kernel here (4-bit GPTQ/AWQ and per-channel int8 do)")
        }
        throw .unsupportedFormat(f, reason: "no CUDA kernel decodes this storage")
    }

    /// The full plan for a weight. `buffers` are the quantizer's (name → bytes); GPTQ's `g_idx`
    /// is read here to build the act-order permutation.
    public static func plan(format f: String, rows: Int, cols: Int, buffers: [String: [UInt8]],
                            capability: ComputeCapability?) throws(MatrixPlanError) -> MatrixPlan {
        let d = try device(forFormat: f, capability: capability)
        func need(_ n: String) throws(MatrixPlanError) -> String {
            guard buffers[n] != nil else { throw .missingBuffer(format: f, name: n) }
            return n
        }
        guard rows > 0, cols > 0 else { throw .unsupportedShape(format: f, rows: rows, cols: cols, reason: "empty matrix") }
        guard cols % d.rowMultiple == 0 else {
            throw .unsupportedShape(format: f, rows: rows, cols: cols, reason: "rows of \(cols) values are not a multiple of \(d.rowMultiple)")
        }
        var p = MatrixPlan(format: d, slots: [nil, nil, nil, nil, nil, nil])
        switch d {
        case .f32, .f16, .bf16:
            p.slots[0] = try need("weight")
        case .int8:
            if f == "llm-int8" { p.slots[0] = try need("CB"); p.slots[1] = try need("SCB"); p.i0 = 1 }
            else { p.slots[0] = try need("weight"); p.slots[1] = try need("weight_scale") }
        case .fp8:
            p.slots[0] = try need("weight")
            if f.hasSuffix("per-tensor") { p.slots[1] = try need("weight_scale"); p.i0 = 0 }
            else if f.hasSuffix("per-channel") { p.slots[1] = try need("weight_scale"); p.i0 = 1 }
            else if let last = f.split(separator: "-").last, last.hasPrefix("block"), let n = Int(last.dropFirst(5)), n > 0 {
                guard n % 16 == 0 else { throw .unsupportedShape(format: f, rows: rows, cols: cols, reason: "scale tiles of \(n) columns split a 16-value chunk") }
                p.slots[1] = try need("weight_scale_inv"); p.i0 = 2; p.i1 = Int32(n)
            } else { throw .unsupportedFormat(f, reason: "unknown FP8 scale granularity") }
        case .nf4:
            p.slots[0] = try need("weight"); p.slots[1] = try need("absmax"); p.slots[2] = try need("quant_map")
            p.i1 = 64; p.i2 = 256
            if f.contains("-dq") {
                p.i0 = 1
                p.slots[3] = try need("nested_absmax"); p.slots[4] = try need("nested_quant_map"); p.slots[5] = try need("nested_offset")
            }
        case .int4:
            guard let gs = f.split(separator: "-").first(where: { $0.hasPrefix("g") }).flatMap({ Int($0.dropFirst()) }) else {
                throw .unsupportedFormat(f, reason: "no group size in the format name")
            }
            guard gs >= 32, gs & (gs - 1) == 0 else {
                throw .unsupportedShape(format: f, rows: rows, cols: cols, reason: "group size \(gs) is not a power of two ≥ 32")
            }
            guard rows % 8 == 0 else { throw .unsupportedShape(format: f, rows: rows, cols: cols, reason: "out_features must be a multiple of 8") }
            p.slots[0] = repacked
            p.slots[1] = try need("scales"); p.slots[2] = try need("qzeros")
            _ = try need("qweight")
            p.i0 = Int32(gs)
            if f.hasSuffix("-awq") {
                p.i1 = 1; p.i2 = 0; p.repackLayout = 1
            } else {
                p.i1 = 0; p.i2 = 1; p.repackLayout = 0
                let gIdx = try need("g_idx")
                p.permutation = try actOrderPermutation(buffers[gIdx]!, cols: cols, groupSize: gs, format: f, rows: rows)
                if p.permutation != nil { p.slots[3] = permutationName }
            }
        case .q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q4_k, .q5_k, .q6_k:
            p.slots[0] = try need("blocks")
        }
        return p
    }

    /// nil when `g_idx` is k / g (no act-order); else the stable sort of the columns by group,
    /// which must leave each group's columns contiguous and in place (group i at i·g ..< (i+1)·g).
    static func actOrderPermutation(_ raw: [UInt8], cols: Int, groupSize g: Int, format f: String, rows: Int) throws(MatrixPlanError) -> [Int32]? {
        guard raw.count == cols * 4 else { throw .unsupportedShape(format: f, rows: rows, cols: cols, reason: "g_idx has \(raw.count / 4) entries, not \(cols)") }
        var gIdx = [Int32](repeating: 0, count: cols)
        for k in 0..<cols {
            gIdx[k] = Int32(bitPattern: UInt32(raw[4 * k]) | UInt32(raw[4 * k + 1]) << 8 | UInt32(raw[4 * k + 2]) << 16 | UInt32(raw[4 * k + 3]) << 24)
        }
        if gIdx.enumerated().allSatisfy({ Int($0.element) == $0.offset / g }) { return nil }
        let perm = (0..<cols).sorted { gIdx[$0] != gIdx[$1] ? gIdx[$0] < gIdx[$1] : $0 < $1 }
        for (kk, k) in perm.enumerated() where Int(gIdx[k]) != kk / g {
            throw .unsupportedShape(format: f, rows: rows, cols: cols, reason: "g_idx groups are not all of size \(g)")
        }
        return perm.map { Int32($0) }
    }
}
