/// Text Generation Inference: `docker run … ghcr.io/huggingface/text-generation-inference`, whose
/// entrypoint is `text-generation-launcher`.
///
/// Flag names: https://huggingface.co/docs/text-generation-inference/reference/launcher (TGI 3.3):
/// --model-id, --num-shard, --quantize, --max-input-tokens, --max-total-tokens,
/// --max-batch-prefill-tokens, --cuda-memory-fraction, --kv-cache-dtype (fp8_e4m3fn|fp8_e5m2).
/// `--quantize` is not needed for pre-quantized (AWQ, GPTQ, FP8) checkpoints: the launcher reads
/// the method from the model's config; `--quantize fp8` quantizes 16-bit weights on load.
/// The docker invocation follows the TGI quick tour (--gpus all, --shm-size 1g, port 80 → 8080, /data).
/// Spellings (launcher and docker) are checked against catalogs/engines/flags/tgi.yaml.
struct TGIExporter: Exporter {
    var target: ExportTarget { .tgi }

    func export(_ p: ExportPlan) throws -> LaunchConfig {
        if p.pipelineParallel > 1 {
            throw ExportError.unsupported(target: .tgi, reason: "TGI shards tensors only (--num-shard); it has no pipeline parallelism (pipeline parallel \(p.pipelineParallel))")
        }
        var notes: [String] = []
        let source = p.weightSource(loadQuantizable: ["fp8"])
        let model = p.modelReference(source, notes: &notes, readsConfig: "TGI")
        var args = ["docker", "run", "--gpus", "all", "--shm-size", "1g", "--publish", "8080:80", "--volume", "tgi-data:/data",
                    "ghcr.io/huggingface/text-generation-inference:\(p.fullVersion)", "--model-id", model]
        if p.tensorParallel > 1 { args += ["--num-shard", String(p.tensorParallel)] }
        if source == .quantizedAtLoad { args += ["--quantize", "fp8"] }
        // Total = prompt + generated; without --new-tokens one token is left to generate. The
        // launcher refuses max-input-tokens above max-batch-prefill-tokens (TGI issue #2873), so
        // prompts are capped at the warm-up size the estimate used rather than a larger warm-up
        // the estimate never checked.
        let wanted = p.context - max(p.newTokens, 1)
        let prefill = p.settings.maxNumBatchedTokens
        let maxInput = min(wanted, prefill)
        args += ["--max-input-tokens", String(maxInput), "--max-total-tokens", String(p.context)]
        args += ["--max-batch-prefill-tokens", String(prefill)]
        args += ["--cuda-memory-fraction", p.number(p.settings.cudaMemoryFraction)]
        if !p.kvIsDefault {
            guard p.kvCacheType.id == "fp8" else {
                throw ExportError.unsupported(target: .tgi, reason: "TGI's KV cache is the model dtype or fp8; \(p.kvCacheType.id) is not a --kv-cache-dtype value")
            }
            args += ["--kv-cache-dtype", "fp8_e4m3fn"]
        }
        if wanted > prefill {
            notes.append("prompts are capped at \(prefill) tokens, the warm-up the estimate used (TGI needs --max-batch-prefill-tokens ≥ --max-input-tokens); "
                + "for prompts up to \(wanted) tokens re-run with --set max_num_batched_tokens=\(wanted)")
        }
        notes.append("TGI sizes its KV pool from what the warm-up leaves; batch \(p.batch) is the scheduler's to decide (no per-sequence cap is written)")
        return LaunchConfig(target: .tgi, command: args, notes: notes)
    }
}
