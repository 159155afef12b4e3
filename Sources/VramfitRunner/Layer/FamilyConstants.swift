import VramfitCore

/// The config.json values a layer's arithmetic needs that the memory catalog does not carry:
/// RoPE base, RMSNorm epsilon and whether the MoE router renormalises its top-k probabilities.
/// They change no byte count, only the numbers flowing through the layer. Sources: the
/// config.json of each family's checkpoints, as transcribed in /work/shared/reference/models.yaml
/// (rope_theta, rms_norm_eps, norm_topk_prob) unless noted.
public struct FamilyConstants: Sendable, Equatable {
    public var ropeTheta: Double
    public var rmsEps: Double
    /// Router top-k weights renormalised to sum to 1 (Mixtral always; Qwen `norm_topk_prob`).
    public var normalizeTopK: Bool
    /// Said in the output when the family is not in the table and defaults were used.
    public var assumption: String?

    public init(ropeTheta: Double, rmsEps: Double, normalizeTopK: Bool, assumption: String? = nil) {
        self.ropeTheta = ropeTheta; self.rmsEps = rmsEps; self.normalizeTopK = normalizeTopK; self.assumption = assumption
    }

    public static func forFamily(_ family: String) -> FamilyConstants {
        switch family.lowercased() {
        // Qwen2.5-*-Instruct, Qwen1.5-14B-Chat, Qwen3-8B/30B-A3B: rope_theta 1e6, rms_norm_eps 1e-6.
        case "qwen2.5", "qwen2": return FamilyConstants(ropeTheta: 1e6, rmsEps: 1e-6, normalizeTopK: false)
        // Qwen1.5-MoE-A2.7B config.json: norm_topk_prob false (Qwen2MoeSparseMoeBlock keeps raw softmax weights).
        case "qwen1.5": return FamilyConstants(ropeTheta: 1e6, rmsEps: 1e-6, normalizeTopK: false)
        // Qwen3-30B-A3B: norm_topk_prob true.
        case "qwen3": return FamilyConstants(ropeTheta: 1e6, rmsEps: 1e-6, normalizeTopK: true)
        // Llama-2-*-hf: rope_theta 10000, rms_norm_eps 1e-5.
        case "llama-2": return FamilyConstants(ropeTheta: 1e4, rmsEps: 1e-5, normalizeTopK: false)
        // Llama-3.1/3.2 (and 3.3, same config family): rope_theta 500000, 1e-5. The "llama3" rope
        // scaling (factor 8/32) only rescales long wavelengths; not applied here (docs/runner.md).
        case "llama-3.1", "llama-3.2", "llama-3.3": return FamilyConstants(ropeTheta: 5e5, rmsEps: 1e-5, normalizeTopK: false)
        // Mistral-7B-v0.3 and Mixtral-8x7B: rope_theta 1e6, 1e-5; MixtralSparseMoeBlock always renormalises top-k.
        case "mistral", "mistral-nemo": return FamilyConstants(ropeTheta: 1e6, rmsEps: 1e-5, normalizeTopK: true)
        case "mixtral": return FamilyConstants(ropeTheta: 1e6, rmsEps: 1e-5, normalizeTopK: true)
        // Mistral-Small-3.1-24B text_config: rope_theta 1e9, rms_norm_eps 1e-5 (HF config.json).
        case "mistral-small": return FamilyConstants(ropeTheta: 1e9, rmsEps: 1e-5, normalizeTopK: true)
        // Phi-3-mini: rope_theta 10000, 1e-5. Phi-4 config.json: rope_theta 250000, rms_norm_eps 1e-5.
        case "phi-3": return FamilyConstants(ropeTheta: 1e4, rmsEps: 1e-5, normalizeTopK: false)
        case "phi-4": return FamilyConstants(ropeTheta: 2.5e5, rmsEps: 1e-5, normalizeTopK: false)
        default:
            // transformers LlamaConfig defaults (rope_theta 10000, rms_norm_eps 1e-6 → 1e-5 is the
            // more common checkpoint value); said in the output.
            return FamilyConstants(ropeTheta: 1e4, rmsEps: 1e-5, normalizeTopK: true,
                                   assumption: "family '\(family)' is not in the runner's table: rope_theta 10000, rms_norm_eps 1e-5, top-k renormalised")
        }
    }
}
