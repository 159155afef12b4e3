/// vLLM's OpenAI server: the `vllm serve` command, the same options as a `--config` YAML file,
/// and a docker-compose service. (Kubernetes manifests are `KubernetesExporter`'s.)
///
/// Flag names: https://docs.vllm.ai/en/v0.11.0/configuration/engine_args.html, checked against
/// catalogs/engines/flags/vllm.yaml. Quantization: https://docs.vllm.ai/en/stable/features/quantization/ —
/// AWQ, GPTQ, compressed-tensors, FP8 and bitsandbytes checkpoints are detected from config.json's
/// quantization_config, so no `--quantization` is written for them (vLLM then picks awq_marlin /
/// gptq_marlin on compute capability 8.0+, the older AWQ/GPTQ kernels below; writing `--quantization awq`
/// would force the slower kernel). `--quantization fp8` quantizes a 16-bit checkpoint on load;
/// `--quantization bitsandbytes` quantizes in flight to 4 bits, with `--load-format bitsandbytes`,
/// which releases before 0.8 require and later ones accept (docs features/quantization/bnb).
/// Config file: docs configuration/serve_args ("argument names must be the long form").
/// Compose: the vllm/vllm-openai image takes the serve arguments as its command (docs
/// deployment/docker, `--ipc=host`). Multi-node: the GPUs of all nodes form one Ray cluster and
/// `vllm serve` runs on the head with TP inside a node and PP across (docs serving/parallelism_scaling).
struct VLLMExporter: Exporter {
    var target: ExportTarget { .vllm }

    func export(_ p: ExportPlan) throws -> LaunchConfig {
        var notes: [String] = []
        let (model, flags) = try Self.serveArguments(p, notes: &notes)
        if p.nodes > 1 {
            notes.append("\(p.nodes) nodes × \(p.gpusPerNode) GPUs: start Ray on every node first (head: ray start --head --port=6379; "
                + "others: ray start --address=HEAD:6379), then run this command on the head node; --to kubernetes writes it as a LeaderWorkerSet")
        }
        return LaunchConfig(target: .vllm, command: ["vllm", "serve", model] + flags,
                            files: [.init("vllm-config.yaml", config(p, model: model, flags: flags)),
                                    .init("docker-compose.yaml", compose(p, model: model, flags: flags))], notes: notes)
    }

    /// The model reference and the options after it, shared with the Kubernetes manifests.
    static func serveArguments(_ p: ExportPlan, notes: inout [String]) throws -> (model: String, flags: [String]) {
        let source = p.weightSource(loadQuantizable: ["fp8", "bnb-nf4", "bnb-nf4-dq", "bnb-fp4", "bnb-fp4-dq"])
        let model = p.modelReference(source, notes: &notes, readsConfig: "vLLM")
        let bnb = RuleSubject.family(of: p.scheme) == "bnb"
        var flags: [String] = []
        if source == .quantizedAtLoad {
            flags += ["--quantization", bnb ? "bitsandbytes" : "fp8"]
            if bnb {
                notes.append("vLLM quantizes to 4 bits while loading; a pre-quantized \(p.scheme.id) checkpoint (--checkpoint) keeps the exact variant")
            }
        }
        if bnb { flags += ["--load-format", "bitsandbytes"] }
        if ["awq", "gptq"].contains(RuleSubject.family(of: p.scheme)), p.gpu.kind == .gpu, let cc = p.gpu.computeCapability {
            let kernel = RuleSubject.family(of: p.scheme) == "awq" ? "awq" : "gptq"
            notes.append(cc >= 80
                ? "vLLM reads \(kernel) from the checkpoint's config and runs it with the \(kernel)_marlin kernels on \(p.gpu.name) (compute capability 8.0+); no --quantization needed"
                : "vLLM reads \(kernel) from the checkpoint's config; \(p.gpu.name) is below compute capability 8.0, so it uses the plain \(kernel) kernels, not Marlin")
        }
        flags += ["--dtype", p.computeDType.rawValue]
        if p.tensorParallel > 1 { flags += ["--tensor-parallel-size", String(p.tensorParallel)] }
        if p.pipelineParallel > 1 { flags += ["--pipeline-parallel-size", String(p.pipelineParallel)] }
        if p.nodes > 1 { flags += ["--distributed-executor-backend", "ray"] }
        flags += ["--max-model-len", String(p.context)]
        flags += ["--max-num-seqs", p.explicitSettings["max_num_seqs"].map(p.number) ?? String(p.batch)]
        flags += ["--gpu-memory-utilization", p.number(p.settings.gpuMemoryUtilization)]
        if !p.kvIsDefault {
            guard p.kvCacheType.id == "fp8" else {
                throw ExportError.unsupported(target: .vllm, reason: "vLLM's KV cache is the model dtype or fp8; \(p.kvCacheType.id) is not a --kv-cache-dtype value")
            }
            flags += ["--kv-cache-dtype", "fp8"]
        }
        if let t = p.explicitSettings["max_num_batched_tokens"] { flags += ["--max-num-batched-tokens", p.number(t)] }
        if p.settings.bool("profile_tokens_follow_context", false) {
            notes.append("estimated for vLLM's V0 engine: run a release ≤ 0.10 with VLLM_USE_V1=0")
        }
        return (model, flags)
    }

    /// `vllm serve --config vllm-config.yaml`: the same options as YAML keys (long names without
    /// the dashes), and, commented out, the KV pool the estimate predicts as a fixed size.
    func config(_ p: ExportPlan, model: String, flags: [String]) -> String {
        var lines = ["# vramfit export: \(p.model.name) · \(p.scheme.id) · vLLM \(p.engine.version) on \(p.gpusText) × \(p.gpu.name)",
                     "# vllm serve --config vllm-config.yaml",
                     "model: \(Self.yamlValue(model))"]
        var i = 0
        while i < flags.count {
            let key = String(flags[i].dropFirst(2))
            if i + 1 < flags.count, !flags[i + 1].hasPrefix("--") {
                lines.append("\(key): \(Self.yamlValue(flags[i + 1]))"); i += 2
            } else {
                lines.append("\(key): true"); i += 1
            }
        }
        if let pool = p.accelerators.map(\.kvCache).min(), pool > .zero {
            lines.append("# To pin the KV cache instead of a memory fraction (vLLM then ignores gpu-memory-utilization), the pool")
            lines.append("# this estimate predicts per GPU, \(ByteFormat.binary(pool)):")
            lines.append("# kv-cache-memory-bytes: \(pool.value)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func compose(_ p: ExportPlan, model: String, flags: [String]) -> String {
        let args = (["--model", model] + flags).map { "      - \(Self.yamlScalar($0))" }.joined(separator: "\n")
        return """
            # vramfit export: \(p.model.name) · \(p.scheme.id) · vLLM \(p.engine.version) on \(p.gpusText) × \(p.gpu.name)
            services:
              vllm:
                image: vllm/vllm-openai:v\(p.fullVersion)
                ipc: host
                ports:
                  - "8000:8000"
                volumes:
                  - ~/.cache/huggingface:/root/.cache/huggingface
                environment:
                  - HF_TOKEN=${HF_TOKEN}
                command:
            \(args)
                deploy:
                  resources:
                    reservations:
                      devices:
                        - driver: nvidia
                          count: \(p.gpusPerNode)
                          capabilities: [gpu]

            """
    }

    /// A YAML value for the config file: plain when YAML reads it back as the same word or number
    /// (`float16`, `0.9`, `Qwen/Qwen2.5-7B-Instruct`), double-quoted otherwise (`<placeholder>`).
    static func yamlValue(_ s: String) -> String {
        let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._/-")
        let words = ["true", "false", "yes", "no", "on", "off", "null", "~"]
        if let f = s.first, f.isLetter || f.isNumber, s.allSatisfy({ plain.contains($0) }), !words.contains(s.lowercased()) { return s }
        return yamlScalar(s)
    }

    /// A YAML scalar, double-quoted (JSON-style escapes): compose wants every command word a string.
    static func yamlScalar(_ s: String) -> String {
        var out = "\""
        for ch in s.unicodeScalars {
            switch ch {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "\""
    }
}
