/// llama.cpp's `llama-server`.
///
/// Flag names: https://github.com/ggml-org/llama.cpp/blob/master/tools/server/README.md —
/// -m/--model, -c/--ctx-size (total over all slots: each of --parallel N slots gets ctx/N),
/// -ngl/--n-gpu-layers, -np/--parallel, -fa/--flash-attn [on|off|auto], -ctk/--cache-type-k and
/// -ctv/--cache-type-v (f32, f16, bf16, q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1),
/// -b/--batch-size, -ub/--ubatch-size, -ts/--tensor-split. A quantized V cache needs flash attention.
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
        args += ["--n-gpu-layers", String(gpuLayers(p))]
        args += ["--flash-attn", fa ? "on" : "off"]
        args += ["--cache-type-k", cache, "--cache-type-v", cache]
        args += ["--batch-size", String(p.settings.nBatch), "--ubatch-size", String(p.settings.nUbatch)]
        let counts = p.layerCounts
        if counts.count > 1 {
            // Proportions, not sizes: layer counts reproduce the estimate's split exactly.
            args += ["--tensor-split", counts.map(String.init).joined(separator: ",")]
        }
        return LaunchConfig(target: .llamaCpp, command: args, notes: notes)
    }

    /// Every repeating layer plus the output layer (llama.cpp counts it as layer n_layer), or
    /// none on a CPU host.
    func gpuLayers(_ p: ExportPlan) -> Int64 {
        p.gpu.kind == .cpu ? 0 : p.layerCounts.reduce(0, +) + 1
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
