/// SGLang's server, `python -m sglang.launch_server`.
///
/// Flag names: https://docs.sglang.ai/advanced_features/server_arguments.html (SGLang 0.5):
/// --model-path, --tp-size (alias --tensor-parallel-size; `--tp` in the docs' examples is an argparse
/// prefix of it, not a spelling of its own), --pp-size, --dtype, --mem-fraction-static,
/// --context-length, --max-running-requests, --kv-cache-dtype (auto|fp8_e5m2|fp8_e4m3),
/// --chunked-prefill-size, --quantization. Per the same page, "--quantization fp8 on a fp16
/// checkpoint or directly load a fp8 checkpoint without specifying any arguments". Spellings are
/// checked against catalogs/engines/flags/sglang.yaml.
struct SGLangExporter: Exporter {
    var target: ExportTarget { .sglang }

    func export(_ p: ExportPlan) throws -> LaunchConfig {
        var notes: [String] = []
        let source = p.weightSource(loadQuantizable: ["fp8"])
        let model = p.modelReference(source, notes: &notes, readsConfig: "SGLang")
        var args = ["python", "-m", "sglang.launch_server", "--model-path", model]
        if source == .quantizedAtLoad { args += ["--quantization", "fp8"] }
        args += ["--dtype", p.computeDType.rawValue]
        if p.tensorParallel > 1 { args += ["--tp-size", String(p.tensorParallel)] }
        if p.pipelineParallel > 1 { args += ["--pp-size", String(p.pipelineParallel)] }
        // The estimate's pool is sized by this fraction; SGLang's own default depends on TP and
        // the GPU, so it is always written out.
        let fraction = p.settings.memFractionStatic ?? SGLangMemory.defaultFraction(tp: p.tensorParallel)
        args += ["--mem-fraction-static", p.number(fraction)]
        args += ["--context-length", String(p.context)]
        args += ["--max-running-requests", p.explicitSettings["max_num_seqs"].map(p.number) ?? String(p.batch)]
        if !p.kvIsDefault {
            guard p.kvCacheType.id == "fp8" else {
                throw ExportError.unsupported(target: .sglang, reason: "SGLang's KV cache is the model dtype or fp8; \(p.kvCacheType.id) is not a --kv-cache-dtype value")
            }
            args += ["--kv-cache-dtype", "fp8_e4m3"]
        }
        if let c = p.explicitSettings["chunked_prefill_size"] { args += ["--chunked-prefill-size", p.number(c)] }
        return LaunchConfig(target: .sglang, command: args, notes: notes)
    }
}
