/// The weight scheme a log describes, as a catalog id.
///
/// - vLLM/SGLang print the quantization *method* (`quantization=awq_marlin`, `compressed-tensors`,
///   `fp8`, or None) and the dtype; the checkpoint's name says the detail the method leaves open
///   (GPTQ bits, FP8 scale granularity, W8A8 vs W4A16 under compressed-tensors).
/// - llama.cpp prints the file type by `llama_model_ftype_name` (src/llama-model-loader.cpp):
///   "Q4_K - Medium", "Q8_0", "F16", "IQ4_XS - 4.25 bpw"; the loader's `general.file_type` is the
///   `LLAMA_FTYPE_MOSTLY_*` number (include/llama.h); Ollama's engine prints `file_type=Q4_K_M`.
public enum LogSchemeResolver {
    /// llama_ftype numbers → catalog ids (include/llama.h; the same table as GGUFModelReader).
    static let fileTypeNumbers: [Int64: String] = [
        1: "gguf-f16", 2: "q4_0", 3: "q4_1", 7: "q8_0", 8: "q5_0", 9: "q5_1", 10: "q2_k", 12: "q3_k_m",
        15: "q4_k_m", 17: "q5_k_m", 18: "q6_k", 30: "iq4_xs", 32: "gguf-bf16", 38: "mxfp4_moe",
    ]

    /// llama.cpp's printed file type → the catalog id it would have ("Q4_K - Medium" → "q4_k_m").
    public static func ggufID(_ printed: String) -> String {
        let p = printed.trimmingSpaces
        if let n = Int64(p), let id = fileTypeNumbers[n] { return id }
        let upper = p.uppercased()
        switch upper {
        case "F16", "MOSTLY_F16": return "gguf-f16"
        case "BF16", "MOSTLY_BF16": return "gguf-bf16"
        case "MXFP4 MOE", "MXFP4_MOE": return "mxfp4_moe"
        default: break
        }
        // "Q4_K - Medium" → q4_k_m; "Q2_K - Medium" is llama.cpp's name for its Q2_K mix.
        let parts = upper.split(separator: "-", maxSplits: 1).map { String($0).trimmingSpaces }
        var base = parts.first?.lowercased() ?? upper.lowercased()
        if base.hasPrefix("mostly_") { base.removeFirst(7) }
        if parts.count == 2, base.hasSuffix("_k"), base != "q2_k" {
            switch parts[1].lowercased() {
            case "small": return base + "_s"
            case "medium": return base + "_m"
            case "large": return base + "_l"
            default: break
            }
        }
        return base
    }

    /// A scheme id for what a vLLM/SGLang log says: the method, the dtype and the checkpoint name.
    /// nil: no quantization and no dtype, so the model's own format applies.
    public static func servingID(method: String?, dtype: String?, modelName: String?) throws(LogCheckError) -> String? {
        let hint = modelName.flatMap(LogModelResolver.schemeHint)
        let m = method?.lowercased().trimmingSpaces
        switch m {
        case nil, "none", "":
            if let hint { return hint }
            return dtypeID(dtype)
        case "awq", "awq_marlin": return "awq"
        case "gptq", "gptq_marlin", "gptq_marlin_24": return hint.flatMap { $0.hasPrefix("gptq") ? $0 : nil } ?? "gptq-int4"
        case "fp8": return hint.flatMap { $0.hasPrefix("fp8") ? $0 : nil } ?? "fp8"
        case "bitsandbytes": return hint.flatMap { $0.hasPrefix("bnb") ? $0 : nil } ?? "bnb-nf4"
        case "mxfp4": return "mxfp4"
        case "compressed-tensors", "compressed_tensors":
            guard let hint, ["int8", "gptq-int4", "fp8", "fp8-channel", "fp8-block"].contains(hint) else {
                throw .unknownScheme(printed: "compressed-tensors", suggestions: ["int8", "fp8-channel", "gptq-int4"])
            }
            return hint
        case "gguf":
            guard let hint else { throw .unknownScheme(printed: "gguf", suggestions: ["q4_k_m", "q8_0"]) }
            return hint
        default:
            if let m, m.contains("awq") { return "awq" }
            if let m, m.contains("gptq") { return hint ?? "gptq-int4" }
            throw .unknownScheme(printed: m ?? "", suggestions: [])
        }
    }

    /// torch dtype names → the 16/32-bit scheme; "auto" and unknown: nil (the model's own dtype).
    static func dtypeID(_ dtype: String?) -> String? {
        guard let d = dtype?.lowercased() else { return nil }
        if d.contains("bfloat16") { return "bf16" }
        if d.contains("float16") || d == "half" || d == "fp16" { return "fp16" }
        if d.contains("float32") || d == "float" { return "fp32" }
        return nil
    }

    /// The catalog KV-cache type for an engine's `kv_cache_dtype` / llama.cpp `type_k`: "auto" →
    /// nil (the engine default: the model's dtype), vLLM's fp8 variants → "fp8".
    public static func kvCacheID(_ printed: String?) -> String? {
        guard let p = printed?.lowercased().trimmingSpaces, !p.isEmpty, p != "auto", p != "none" else { return nil }
        if p.hasPrefix("fp8") || p.hasPrefix("float8") { return "fp8" }
        if p.hasPrefix("torch.") { return dtypeID(p).map { $0 == "bf16" ? "bf16" : $0 == "fp32" ? "fp32" : "fp16" } }
        return p
    }
}
