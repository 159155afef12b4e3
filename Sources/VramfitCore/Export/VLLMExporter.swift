/// vLLM's OpenAI server, `vllm serve`, plus a docker-compose service.
///
/// Flag names: https://docs.vllm.ai/en/stable/configuration/engine_args.html (vLLM 0.11):
/// --quantization, --dtype, --tensor-parallel-size, --pipeline-parallel-size, --max-model-len,
/// --max-num-seqs, --gpu-memory-utilization, --kv-cache-dtype (auto|fp8|fp8_e4m3|fp8_e5m2),
/// --max-num-batched-tokens. Quantization: https://docs.vllm.ai/en/stable/features/quantization/ —
/// AWQ, GPTQ, compressed-tensors, FP8 and bitsandbytes checkpoints are detected from config.json's
/// quantization_config; `--quantization fp8` quantizes a 16-bit checkpoint on load and
/// `--quantization bitsandbytes` quantizes in flight to 4 bits. Compose: the vllm/vllm-openai image
/// takes the serve arguments as its command (docs deployment/docker.html, `--ipc=host`); the
/// Kubernetes variant follows docs deployment/k8s.html.
struct VLLMExporter: Exporter {
    var target: ExportTarget { .vllm }

    func export(_ p: ExportPlan) throws -> LaunchConfig {
        var notes: [String] = []
        let source = p.weightSource(loadQuantizable: ["fp8", "bnb-nf4", "bnb-nf4-dq", "bnb-fp4", "bnb-fp4-dq"])
        let model = p.modelReference(source, notes: &notes, readsConfig: "vLLM")
        var flags: [String] = []
        if source == .quantizedAtLoad {
            flags += ["--quantization", p.scheme.id == "fp8" ? "fp8" : "bitsandbytes"]
            if p.scheme.id.hasPrefix("bnb") {
                notes.append("vLLM quantizes to 4 bits while loading; a pre-quantized \(p.scheme.id) checkpoint (--checkpoint) keeps the exact variant")
            }
        }
        flags += ["--dtype", p.computeDType.rawValue]
        if p.tensorParallel > 1 { flags += ["--tensor-parallel-size", String(p.tensorParallel)] }
        if p.pipelineParallel > 1 { flags += ["--pipeline-parallel-size", String(p.pipelineParallel)] }
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
        return LaunchConfig(target: .vllm, command: ["vllm", "serve", model] + flags,
                            files: [.init("docker-compose.yaml", compose(p, model: model, flags: flags)),
                                    .init("vllm-deployment.yaml", deployment(p, model: model, flags: flags))], notes: notes)
    }

    /// A Kubernetes Deployment as vLLM's deployment/k8s docs write it: the serve arguments as
    /// container args, GPUs as an `nvidia.com/gpu` limit, a memory-backed /dev/shm for NCCL and
    /// HF_TOKEN from a secret named hf-token-secret.
    func deployment(_ p: ExportPlan, model: String, flags: [String]) -> String {
        let name = String(("vllm-" + p.model.id).lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }.prefix(63))
        let args = (["--model", model] + flags).map { "            - \"\($0)\"" }.joined(separator: "\n")
        return """
            # vramfit export: \(p.model.name) · \(p.scheme.id) · vLLM \(p.engine.version) on \(p.gpus) × \(p.gpu.name)
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: \(name)
            spec:
              replicas: 1
              selector:
                matchLabels:
                  app: \(name)
              template:
                metadata:
                  labels:
                    app: \(name)
                spec:
                  containers:
                    - name: vllm
                      image: vllm/vllm-openai:v\(p.fullVersion)
                      args:
            \(args)
                      env:
                        - name: HF_TOKEN
                          valueFrom:
                            secretKeyRef:
                              name: hf-token-secret
                              key: token
                      ports:
                        - containerPort: 8000
                      resources:
                        limits:
                          nvidia.com/gpu: "\(p.gpus)"
                      volumeMounts:
                        - name: shm
                          mountPath: /dev/shm
                  volumes:
                    - name: shm
                      emptyDir:
                        medium: Memory
                        sizeLimit: 2Gi

            """
    }

    func compose(_ p: ExportPlan, model: String, flags: [String]) -> String {
        let args = (["--model", model] + flags).map { "      - \"\($0)\"" }.joined(separator: "\n")
        return """
            # vramfit export: \(p.model.name) · \(p.scheme.id) · vLLM \(p.engine.version) on \(p.gpus) × \(p.gpu.name)
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
                          count: \(p.gpus)
                          capabilities: [gpu]

            """
    }
}
