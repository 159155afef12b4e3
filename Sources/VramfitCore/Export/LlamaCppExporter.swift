/// llama.cpp's `llama-server`.
///
/// Flag names: https://github.com/ggml-org/llama.cpp/blob/master/tools/server/README.md —
/// -m/--model, -c/--ctx-size (total over all slots: each of --parallel N slots gets ctx/N),
/// -ngl/--n-gpu-layers, -np/--parallel, -fa/--flash-attn [on|off|auto], -ctk/--cache-type-k and
/// -ctv/--cache-type-v (f32, f16, bf16, q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1),
/// -b/--batch-size, -ub/--ubatch-size, -ts/--tensor-split, -ot/--override-tensor. A quantized V cache
/// needs flash attention. The spellings are checked against catalogs/engines/flags/llama.cpp.yaml;
/// the placement flags come from `LlamaCppPlacement`, shared with `plan`'s device map.
struct LlamaCppExporter: Exporter {
    var target: ExportTarget { .llamaCpp }

    static let cacheTypes = ["f32", "f16", "bf16", "q8_0", "q4_0", "q4_1", "iq4_nl", "q5_0", "q5_1"]

    func export(_ p: ExportPlan) throws -> LaunchConfig {
        try p.refuseSplit(.llamaCpp, "it splits layers across GPUs: use --gpus N without --tensor-parallel")
        let cache = try Self.cacheType(p, target: .llamaCpp, allowed: Self.cacheTypes)
        let fa = p.settings.flashAttention
        var notes: [String] = []
        let model = p.modelReference(.gguf, notes: &notes, readsConfig: "llama.cpp")
        var args = ["llama-server", "--model", model]
        // llama.cpp's n_ctx is shared by the slots: the estimate's KV buffer is context × batch.
        args += ["--ctx-size", String(p.context * p.batch), "--parallel", String(p.batch)]
        // --n-gpu-layers, --tensor-split (proportions: layer counts reproduce the split exactly),
        // and --override-tensor when a MoE model's experts stay in CPU RAM.
        args += p.llamaCppPlacement.arguments
        args += ["--flash-attn", fa ? "on" : "off"]
        args += ["--cache-type-k", cache, "--cache-type-v", cache]
        args += ["--batch-size", String(p.settings.nBatch), "--ubatch-size", String(p.settings.nUbatch)]
        return LaunchConfig(target: .llamaCpp, command: args, notes: notes)
    }

    /// llama.cpp's spelling of the estimate's cache type; refuses types it has no kernel for and
    /// a quantized V cache without flash attention (llama-context.cpp rejects it at start-up).
    static func cacheType(_ p: ExportPlan, target: ExportTarget, allowed: [String]) throws -> String {
        let map = ["fp16": "f16", "fp32": "f32"]
        let id = map[p.kvCacheType.id.lowercased()] ?? p.kvCacheType.id.lowercased()
        guard allowed.contains(id) else {
            throw ExportError.unsupported(target: target, reason: "\(p.kvCacheType.id) is not one of its KV cache types (\(allowed.joined(separator: ", ")))")
        }
        if !["f32", "f16", "bf16"].contains(id) && !p.settings.flashAttention {
            throw ExportError.unsupported(target: target, reason: "a quantized KV cache (\(id)) needs flash attention; re-run with --flash-attention on")
        }
        return id
    }
}
