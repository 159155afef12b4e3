/// Ollama: a Modelfile for `ollama create`, plus the server's environment.
///
/// Modelfile: https://github.com/ollama/ollama/blob/main/docs/modelfile.md (FROM a GGUF file,
/// PARAMETER num_ctx). `num_gpu` (layers to offload) and `num_batch` are Ollama runner options
/// (api/types.go `Runner`: "num_gpu", "num_batch") that PARAMETER accepts though the doc's table
/// no longer lists them. Spellings checked against catalogs/engines/flags/ollama.yaml.
/// Environment: https://github.com/ollama/ollama/blob/main/docs/faq.md — OLLAMA_NUM_PARALLEL,
/// OLLAMA_FLASH_ATTENTION, OLLAMA_KV_CACHE_TYPE (f16, q8_0, q4_0; needs flash attention).
/// Ollama allocates num_ctx × OLLAMA_NUM_PARALLEL tokens of KV cache, as the estimate does.
struct OllamaExporter: Exporter {
    var target: ExportTarget { .ollama }

    func export(_ p: ExportPlan) throws -> LaunchConfig {
        try p.refuseSplit(.ollama, "Ollama spreads layers across GPUs by itself")
        let cache = try LlamaCppExporter.cacheType(p, target: .ollama, allowed: ["f16", "q8_0", "q4_0"])
        var notes: [String] = []
        let file = p.modelReference(.gguf, notes: &notes, readsConfig: "Ollama")
        // A --checkpoint is used as written (an absolute path, or an Ollama model such as
        // llama3.1:8b-instruct-q4_K_M); the derived file name is relative to the Modelfile.
        let from = p.checkpoint ?? "./" + file
        let parallel = max(p.batch, p.settings.numParallel)
        let placement = p.llamaCppPlacement
        let name = "\(p.model.id)-\(p.scheme.id)-\(p.context)"
        var lines = [
            "# vramfit export: \(p.model.name) · \(p.scheme.id) · Ollama \(p.engine.version) on \(p.gpus) × \(p.gpu.name)",
            "FROM \(from)",
            "PARAMETER num_ctx \(p.context)",
            "PARAMETER num_batch \(p.settings.nBatch)",
        ]
        if placement.expertLayersOnCPU.isEmpty {
            lines.append("PARAMETER num_gpu \(placement.nGPULayers)")
        } else {
            // Ollama offloads whole layers only; it has no per-tensor override for the experts.
            notes.append("Ollama cannot keep only the experts in CPU RAM (llama.cpp's --override-tensor); num_gpu is left to Ollama, "
                + "which offloads whole layers — use --to llama.cpp for the expert split")
        }
        let modelfile = lines.joined(separator: "\n") + "\n"
        let env: [LaunchConfig.EnvVar] = [
            .init("OLLAMA_NUM_PARALLEL", String(parallel)),
            .init("OLLAMA_FLASH_ATTENTION", p.settings.flashAttention ? "1" : "0"),
            .init("OLLAMA_KV_CACHE_TYPE", cache),
        ]
        notes.append("set the environment on the server (ollama serve), then: ollama run \(name)")
        if p.gpus > 1 { notes.append("Ollama picks its own layer split across the \(p.gpus) GPUs; the estimate assumed \(p.layerCounts.map(String.init).joined(separator: "/")) layers") }
        return LaunchConfig(target: .ollama, command: ["ollama", "create", name, "-f", "Modelfile"], environment: env,
                            files: [.init("Modelfile", modelfile),
                                    .init("ollama.env", env.map { "\($0.name)=\($0.value)" }.joined(separator: "\n") + "\n")],
                            notes: notes)
    }
}
