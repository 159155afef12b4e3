/// The "parameters × bytes per parameter" rule of thumb, the baseline most people use: the
/// published parameter count times the scheme's nominal width (16 bits for bf16, 8 for int8/Q8_0,
/// 4 for NF4/Q4_*, 6 for Q6_K), ignoring scales, unquantized tensors, KV cache and overheads.
public enum RuleOfThumb {
    public static func nominalBits(_ s: QuantScheme) -> Int64 {
        switch s.storage {
        case .dense(let bytes, _): bytes * 8
        case .perRow(let bits, _): bits
        case .groupwise(let bits, _, _, _, _): bits
        case .blockwise4bit: 4
        case .fp8Block: 8
        case .ggml(let t): nominalBits(t)
        case .ggufMix(let mix): nominalBits(mix.defaultType)
        }
    }

    /// The digits of a ggml type's name: Q4_K → 4, Q8_0 → 8, F16 → 16, IQ4_XS → 4.
    static func nominalBits(_ t: GGMLType) -> Int64 {
        let name = t.rawValue.drop { !$0.isNumber }
        return Int64(name.prefix { $0.isNumber }) ?? 16
    }

    public static func bytes(model: Model, scheme: QuantScheme) -> ByteCount {
        // 405B × 32 bits is 1.6e13: far inside Int64.
        ByteCount(model.publishedParams * nominalBits(scheme) / 8)
    }
}
