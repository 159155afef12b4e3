import Foundation
import Testing

/// `vramfit check-log` on real start-up logs from public GitHub threads (the URL above each),
/// with the built-in catalogs, as a user runs it. Each case asserts the figures read from the
/// log and vramfit's error on each, with the bound and the reason: exact terms (weights, KV
/// bytes, llama.cpp buffers) within the log's rounding or a stated fraction of a percent; the
/// empirical terms within stated bounds, the misses explained where they are asserted.
@Suite struct CheckLogCommandTests {
    static let gib = 1_073_741_824.0, mib = 1_048_576.0

    struct Check {
        var status: Int32
        var stderr: String
        var json: [String: Any]
        var rows: [[String: Any]]

        func row(_ name: String) throws -> [String: Any] {
            try #require(rows.first { $0["name"] as? String == name }, "no row '\(name)' in \(rows.map { $0["name"] as? String ?? "" })")
        }
        func logged(_ name: String) throws -> Double { try #require(try row(name)["logged"] as? Double) }
        func predicted(_ name: String) throws -> Double { try #require(try row(name)["predicted"] as? Double) }
        func error(_ name: String) throws -> Double { try #require(try row(name)["relative_error"] as? Double) }
        func withinRounding(_ name: String) throws -> Bool { try row(name)["within_rounding"] as? Bool ?? false }
        var estimate: [String: Any] { json["estimate"] as? [String: Any] ?? [:] }
    }

    func check(_ log: String, _ args: [String] = []) throws -> Check {
        let dir = try CLI.tempDir()
        let file = dir.appendingPathComponent("startup.log")
        try log.write(to: file, atomically: true, encoding: .utf8)
        let r = try CLI.run(["check-log", file.path, "--json"] + args)
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        return Check(status: r.status, stderr: r.stderr, json: obj, rows: obj["comparisons"] as? [[String: Any]] ?? [])
    }

    func run(_ log: String, _ args: [String]) throws -> CLIResult {
        let dir = try CLI.tempDir()
        let file = dir.appendingPathComponent("startup.log")
        try log.write(to: file, atomically: true, encoding: .utf8)
        return try CLI.run(["check-log", file.path] + args)
    }

    // MARK: vLLM

    /// https://github.com/vllm-project/vllm/pull/17122 — V1 0.8, Llama-3.1-8B-Instruct, 1 × L40S.
    static let vllmL40S = """
        INFO 04-24 16:33:00 [gpu_model_runner.py:1316] Model loading took 14.9889 GiB and 3.652170 seconds
        INFO 04-24 16:33:13 [kv_cache_utils.py:634] GPU KV cache size: 158,656 tokens
        INFO 04-24 16:33:13 [kv_cache_utils.py:637] Maximum concurrency for 32,768 tokens per request: 4.84x
        """

    /// Weights: 8,030,261,248 × 2 B + the 32 MiB rotary cache (131,072 × 128 × 2 B) = 14.9889 GiB,
    /// the logged figure, so within 0.01 %. KV tokens: vramfit predicts ~29 % more than vLLM's
    /// 158,656. That pool is 158,656 × 128 KiB = 19.37 GiB, so of the 0.9 × 44.99 GiB budget vLLM
    /// kept ~6.1 GiB beyond the weights; vramfit reserves 0.5 GiB (the activation peak of 2048
    /// tokens and 256 MiB non-torch). Not yet pinned down: the thread does not give the usage
    /// context (the LLM class profiles 8192 tokens), V1's sampler pass over the dummy requests,
    /// torch.compile's buffers, and the driver's total (the catalog's nvidia-smi figure is larger).
    /// The same gap shows in the Qwen3 case below.
    @Test func vllmV1Llama8bOnL40S() throws {
        let c = try check(Self.vllmL40S, ["--model", "meta-llama/Llama-3.1-8B-Instruct", "--gpu", "l40s"])
        #expect(c.json["engine"] as? String == "vllm" && c.json["vllm_engine"] as? String == "v1")
        #expect(c.json["context"] as? Int == 32_768)
        #expect(try c.logged("weights per GPU") == 14.9889 * Self.gib)
        #expect(abs(try c.error("weights per GPU")) < 0.0001)
        #expect(try c.logged("KV cache tokens") == 158_656)
        let tokens = try c.error("KV cache tokens")
        #expect(tokens > 0 && tokens < 0.35)
        #expect(abs(try c.error("maximum concurrency") - tokens) < 0.01)  // concurrency is tokens / 32768 on both sides
    }

    /// https://github.com/vllm-project/vllm/issues/10517 — vLLM 0.6 (V0), Llama-3.1-8B-Instruct, RTX 3090.
    static let vllm3090At20k = """
        Loading model weights took 14.9888 GB
        Memory profiling results: total_gpu_memory=23.58GiB initial_memory_usage=15.34GiB peak_torch_memory=17.06GiB memory_usage_post_profile=15.35GiB non_torch_memory=0.35GiB kv_cache_size=3.81GiB gpu_memory_utilization=0.90
        GPU blocks: 1952, # CPU blocks: 2048
        Maximum concurrency for 20000 tokens per request: 1.56x
        """
    static let vllm3090At29k = """
        Loading model weights took 14.9888 GB
        Memory profiling results: total_gpu_memory=23.58GiB initial_memory_usage=15.34GiB peak_torch_memory=17.98GiB memory_usage_post_profile=15.35GiB non_torch_memory=0.35GiB kv_cache_size=2.89GiB gpu_memory_utilization=0.90
        # GPU blocks: 1478, # CPU blocks: 2048
        Maximum concurrency for 29000 tokens per request: 0.82x
        The model's max seq len (29000) is larger than the maximum number of tokens that can be stored in KV cache (23648). Try increasing `gpu_memory_utilization` or decreasing `max_model_len` when initializing the engine.
        """

    /// V0 without chunked prefill profiles the whole max_model_len: the activation peak grows from
    /// 2.07 GiB at 20k to 2.99 GiB at 29k tokens (peak_torch − weights); vramfit's forward-pass
    /// formula gives 1.91 and 2.77 GiB (−8 %), inside its stated range. Non-torch 0.35 GiB against the
    /// catalog's 256 MiB default (in range). The KV pool is what is left, so it is 7–11 % high, and
    /// at 29k both vramfit and vLLM refuse: the pool holds less than one 29,000-token sequence.
    /// The catalog's RTX 3090 is nvidia-smi's 24,576 MiB; the driver gave the process 23.58 GiB.
    @Test func vllmV0ProfileOn3090() throws {
        for (log, ctx, refuses) in [(Self.vllm3090At20k, 20_000, false), (Self.vllm3090At29k, 29_000, true)] {
            let c = try check(log, ["--model", "llama-3.1-8b", "--gpu", "rtx-3090"])
            #expect(c.json["vllm_engine"] as? String == "v0" && c.json["context"] as? Int == ctx)
            #expect(try c.withinRounding("weights per GPU"))
            let act = try c.row("activation peak (profile run)")
            #expect(act["within_range"] as? Bool == true)
            #expect(abs(try c.error("activation peak (profile run)")) < 0.10)
            #expect(try c.row("non-torch memory")["within_range"] as? Bool == true)
            let kv = try c.error("KV cache pool per GPU")
            #expect(kv > 0 && kv < 0.12)
            #expect(abs(try c.error("KV cache tokens") - kv) < 0.01)
            // The catalog's 24,146 MiB is this log family's own total: 23.58 GiB × 1024 = 24,145.92 MiB,
            // (24,146 − 24,145.92) / 24,145.92 = +0.0003 %. (With nvidia-smi's 24,576 MiB it was +1.78 %.)
            #expect(abs(try c.error("GPU total memory (catalog rtx-3090)")) < 0.0001)
            #expect((c.estimate["fits"] as? Bool) == !refuses)
        }
    }

    /// https://github.com/vllm-project/vllm/pull/12569 — V1, INT8 W8A8 Llama-3.1-70B. Weights by
    /// hand: 68,452,360,192 int8 weights + embedding and head 2 × 1,050,673,152 × 2 B (bf16) + per-row
    /// scales + 32 MiB rotary cache = 67.71 GiB against 67.7229 logged: within 0.1 %. The thread
    /// does not say the GPU, so only the weights (GPU-independent) are asserted.
    @Test func vllmInt8Llama70bWeights() throws {
        let log = """
            VLLM_USE_V1=1 vllm serve neuralmagic/Meta-Llama-3.1-70B-Instruct-quantized.w8a8 --max-model-len 2048 --gpu-memory-utilization 0.98
            INFO 01-30 03:18:12 gpu_model_runner.py:848] Loading model weights took 67.7229 GB
            INFO 01-30 03:19:14 kv_cache_utils.py:395] # GPU blocks: 1381
            INFO 01-30 03:19:14 kv_cache_utils.py:398] Maximum concurrency for 2048 tokens per request: 10.79x
            """
        let c = try check(log, ["--gpu", "h100-sxm"])
        #expect(c.json["model"] as? String == "llama-3.1-70b" && c.json["quant"] as? String == "int8")
        #expect(abs(try c.error("weights per GPU")) < 0.001)
        #expect(try c.logged("KV cache tokens") == 1381 * 16)
    }

    /// https://github.com/vllm-project/vllm/issues/21348 — vLLM V1, Qwen3-235B-A22B-FP8, TP 4 on
    /// H100s. Per rank, each token takes 94 layers × 2 × 1 KV head (4 ÷ TP 4) × 128 × 2 B = 48,128 B:
    /// vramfit's pool is exactly that per token; vLLM's 8.11 GiB "available" over its 178,880 tokens
    /// is 1.2 % more (not all of what is available becomes whole blocks). The pool itself misses by
    /// ~90 %: vLLM 0.10 kept ~8 GiB per rank beyond the weights (0.9 × 79.2 GiB − 8.11 − 55.1) for
    /// its profile run of this MoE (fused-MoE workspaces, NCCL at TP 4, 1024 sampler rows on
    /// ≥ 70 GiB GPUs); vramfit reserves ~1 GiB.
    @Test func vllmQwen3MoeTP4() throws {
        let log = """
            CUDA_VISIBLE_DEVICES=0,1,2,3 \\
            vllm serve /path/to/Qwen3-235B-A22B-FP8 \\
              --tensor-parallel-size 4 \\
              --kv-transfer-config '{"kv_connector":"LMCacheConnectorV1","kv_role":"kv_both"}'
            Available KV cache memory: 8.11 GiB
            GPU KV cache size: 178,880 tokens
            """
        let c = try check(log, ["--gpu", "h100-sxm"])
        #expect(c.json["tensor_parallel"] as? Int == 4 && c.json["quant"] as? String == "fp8-block")
        let perToken = try c.predicted("KV cache pool per GPU") / c.predicted("KV cache tokens")
        #expect(perToken == 48_128)
        #expect(abs(try c.logged("KV cache pool per GPU") / c.logged("KV cache tokens") / 48_128 - 1) < 0.012)
        #expect(try c.error("KV cache pool per GPU") > 0.5)
    }

    // MARK: SGLang

    /// https://github.com/vllm-project/vllm/issues/21348 — SGLang, the same model, TP 4,
    /// --mem-fraction-static 0.93. K + V per token: 2 × 8.23 GiB over 367,404 + 1 slots is 48,106 B,
    /// the 48,128 B above within the two-decimal rounding; vramfit's K + V is exactly 48,128 B × (tokens
    /// + 1). The pool is ~12 % larger in vramfit: SGLang's budget also loses the torch.distributed /
    /// NCCL set-up (~2 GB per GPU, "Init torch distributed ends. mem usage=1.96 GB" in
    /// sgl-project/sglang#11716), which vramfit's SGLang model does not reserve.
    @Test func sglangQwen3MoeTP4() throws {
        let log = """
             python3 -m sglang.launch_server --model /path/to/Qwen3-235B-A22B-FP8 --tp 4 --trust-remote-code --host 0.0.0.0 --port 8000 --mem-fraction-static 0.93
            KV Cache is allocated. #tokens: 367404, K size: 8.23 GB, V size: 8.23 GB
            """
        let c = try check(log, ["--gpu", "h100-sxm"])
        #expect(c.json["engine"] as? String == "sglang" && c.json["tensor_parallel"] as? Int == 4)
        #expect(try c.logged("KV cache tokens") == 367_404)
        let tokens = try c.predicted("KV cache tokens")
        #expect(try c.predicted("KV cache (K + V) per GPU") == 48_128 * (tokens + 1))
        #expect(abs(try c.logged("KV cache (K + V) per GPU") / 367_405 / 48_128 - 1) < 0.0015)
        let e = try c.error("KV cache tokens")
        #expect(e > 0 && e < 0.15)
    }

    // MARK: llama.cpp

    /// https://github.com/ollama/ollama/issues/9091 — the llama.cpp runner of Ollama 0.5.10,
    /// qwen2.5:14b (Q4_K_M), n_ctx 8192 shared by 4 sequences. GPU buffer: every layer and the
    /// Q6_K output head in llama.cpp's Q4_K_M mix, 8148.38 MiB logged, vramfit within the print's
    /// rounding (±0.005 MiB). Host: token_embd alone, 152,064 × 5120 / 256 × 144 B = 417.66 MiB.
    /// KV: 8192 × 48 × 2 × 1024 × 2 B = 1536 MiB.
    static let llamaQwen14B = """
        llm_load_tensors: offloaded 49/49 layers to GPU
        llm_load_tensors:        CUDA0 model buffer size =  8148.38 MiB
        llm_load_tensors:          CPU model buffer size =   417.66 MiB
        llama_new_context_with_model: n_seq_max     = 4
        llama_new_context_with_model: n_ctx         = 8192
        llama_new_context_with_model: n_ctx_per_seq = 2048
        llama_new_context_with_model: n_batch       = 2048
        llama_new_context_with_model: n_ubatch      = 512
        llama_new_context_with_model: flash_attn    = 0
        llama_kv_cache_init: kv_size = 8192, offload = 1, type_k = 'f16', type_v = 'f16', n_layer = 48, can_shift = 1
        llama_kv_cache_init:      CUDA0 KV buffer size =  1536.00 MiB
        """

    @Test func llamaCppQwen14bQ4KM() throws {
        let c = try check(Self.llamaQwen14B, ["--model", "qwen2.5-14b", "--quant", "q4_k_m", "--gpu", "rtx-4090"])
        #expect(c.json["engine"] as? String == "llama.cpp" && c.json["context"] as? Int == 2048 && c.json["batch"] as? Int == 4)
        #expect(try c.withinRounding("model buffer, GPU"))
        #expect(try c.predicted("model buffer, host") == 437_944_320)
        #expect(try c.withinRounding("KV cache"))
        #expect(try c.predicted("KV cache") == 1_610_612_736)
        let s = try #require(c.json["summary"] as? [String: Any])
        #expect(s["compared"] as? Int == 3 && s["max_abs_relative_error"] as? Double == 0)
    }

    /// https://github.com/SciSharp/LLamaSharp/issues/1099 — llama.cpp b4701, a 36-layer qwen2
    /// (Qwen2.5-3B) at n_ctx 4096. KV 4096 × 36 × 2 × 256 × 2 B = 144 MiB; compute = the output
    /// phase (151,936 + 2048) × 512 × 4 B = 300.75 MiB; output 151,936 × 4 B = 0.58 MiB: all exact.
    @Test func llamaSharpQwen3b() throws {
        let log = """
            [llama Info]: llama_kv_cache_init:      CUDA0 KV buffer size =   144.00 MiB
            [llama Info]: llama_init_from_model: KV self size  =  144.00 MiB, K (f16):   72.00 MiB, V (f16):   72.00 MiB
            [llama Info]: llama_init_from_model:  CUDA_Host  output buffer size =     0.58 MiB
            [llama Info]: llama_init_from_model:      CUDA0 compute buffer size =   300.75 MiB
            [llama Info]: llama_init_from_model:  CUDA_Host compute buffer size =    12.01 MiB
            """
        let c = try check(log, ["--model", "qwen2.5-3b", "--quant", "q4_k_m", "--gpu", "rtx-4090"])
        for name in ["KV cache", "compute buffer, GPU", "output buffer (logits)"] { #expect(try c.withinRounding(name), "\(name)") }
        #expect(try c.row("compute buffer, host")["predicted"] is NSNull)
    }

    // MARK: Ollama

    /// https://github.com/ollama/ollama/pull/11090 — Ollama's own engine, mistral-small3.1 Q8_0
    /// over two GPUs. GPU buffers 11.5 + 11.9 GiB (one decimal each): vramfit within that rounding.
    /// Host: token_embd 131,072 × 5120 × 34 / 32 B = 680.0 MiB exactly.
    @Test func ollamaEngineMistralSmall() throws {
        let log = """
            time=2025-07-18T14:50:56.874Z level=INFO source=ggml.go:116 msg="" architecture=mistral3 file_type=Q8_0 name="" description="" num_tensors=585 num_key_values=43
            time=2025-07-18T14:50:57.066Z level=INFO source=ggml.go:362 msg="offloaded 41/41 layers to GPU"
            time=2025-07-18T14:50:57.066Z level=INFO source=ggml.go:365 msg="model weights" buffer=CUDA0 size="11.5 GiB"
            time=2025-07-18T14:50:57.066Z level=INFO source=ggml.go:365 msg="model weights" buffer=CUDA1 size="11.9 GiB"
            time=2025-07-18T14:50:57.066Z level=INFO source=ggml.go:365 msg="model weights" buffer=CPU size="680.0 MiB"
            time=2025-07-18T14:50:58.130Z level=INFO source=ggml.go:672 msg="compute graph" backend=CUDA0 buffer_type=CUDA0 size="0 B"
            """
        let c = try check(log, ["--model", "mistral-small-3.1-24b", "--gpu", "rtx-3090"])
        #expect(c.json["engine"] as? String == "ollama" && c.json["quant"] as? String == "q8_0" && c.json["pipeline_parallel"] as? Int == 2)
        #expect(try c.withinRounding("model buffer, GPU"))
        #expect(try c.predicted("model buffer, host") == 713_031_680)
    }

    /// https://github.com/ollama/ollama/issues/10553 — Ollama 0.7.1's llama.cpp runner,
    /// llama3.3:70b q3_K_M on two GPUs. KV 4096 × 80 × 2 × 1024 × 2 B = 1280 MiB: exact. The compute
    /// buffers (260 + 347 MiB) are not asserted: the excerpt omits flash_attn, so vramfit takes
    /// Ollama's default (off) and sizes the f32 KQ matrix of 4096 × 512 × 64 × 4 B = 512 MiB per GPU,
    /// more than the 260 MiB logged on CUDA0, which shows flash attention was on.
    @Test func ollamaRunnerLlama70bTwoGPUs() throws {
        let log = """
            llama_kv_cache_unified: kv_size = 4096, type_k = 'f16', type_v = 'f16', n_layer = 80, can_shift = 1, padding = 256
            llama_kv_cache_unified:      CUDA0 KV buffer size =   784.00 MiB
            llama_kv_cache_unified:      CUDA1 KV buffer size =   496.00 MiB
            llama_kv_cache_unified: KV self size  = 1280.00 MiB, K (f16):  640.00 MiB, V (f16):  640.00 MiB
            llama_context: pipeline parallelism enabled (n_copies=4)
            llama_context:      CUDA0 compute buffer size =   260.01 MiB
            llama_context:      CUDA1 compute buffer size =   346.52 MiB
            time=2025-05-24T19:14:12.757-05:00 level=INFO source=server.go:630 msg="llama runner started in 12.03 seconds"
            """
        let c = try check(log, ["--model", "llama-3.3-70b", "--quant", "q3_k_m", "--gpu", "rtx-3090"])
        #expect(c.json["gpus"] as? Int == 2)
        #expect(try c.withinRounding("KV cache"))
        #expect(try c.logged("compute buffer, GPU") == (260.01 + 346.52) * Self.mib)
    }

    /// https://github.com/ollama/ollama/issues/9181 — Ollama's plan for an 80-layer model at
    /// --ctx-size 64000 on 4 GPUs. The thread does not name the model, and check-log says so
    /// (exit 2). With a Llama-70B shape given: Ollama's KV estimate 19.5 GiB and vramfit's 64000 ×
    /// 80 × 2 × 1024 × 2 B = 19.53 GiB agree within the plan's one decimal. Ollama's graph estimate
    /// (8.2 GiB) is its formula 4 × batch × (1 + 4 × n_embd + ctx × (1 + heads)) (fs/ggml/ggml.go
    /// GraphSize), which ignores flash attention; with it on, vramfit sizes ~267 MiB.
    @Test func ollamaPlanAt64k() throws {
        let log = """
            time=2025-02-18T02:21:25.646Z level=INFO source=server.go:130 msg=offload library=cuda layers.requested=-1 layers.model=81 layers.offload=44 layers.split=11,11,11,11 memory.available="[22.0 GiB 22.0 GiB 22.0 GiB 22.0 GiB]" memory.gpu_overhead="0 B" memory.required.full="127.4 GiB" memory.required.partial="87.1 GiB" memory.required.kv="19.5 GiB" memory.required.allocations="[21.8 GiB 21.8 GiB 21.8 GiB 21.8 GiB]" memory.weights.total="87.3 GiB" memory.weights.repeating="86.2 GiB" memory.weights.nonrepeating="1.0 GiB" memory.graph.full="8.2 GiB" memory.graph.partial="8.2 GiB"
            time=2025-02-18T02:21:25.646Z level=INFO source=server.go:182 msg="enabling flash attention"
            time=2025-02-18T02:21:25.647Z level=INFO source=server.go:380 msg="starting llama server" cmd="/teamspace/studios/this_studio/ollama/ollama runner --model /teamspace/studios/this_studio/.ollama/models/blobs/sha256-feef62aa06ab4162ebd3b9af4ff8383a37bf9544a7d30a3fe4623c8398bd1a28 --ctx-size 64000 --batch-size 512 --n-gpu-layers 44 --threads 24 --flash-attn --parallel 1 --tensor-split 11,11,11,11 --port 50137"
            """
        let bare = try run(log, ["--gpu", "rtx-3090"])
        #expect(bare.status == 2)
        #expect(bare.stderr.contains("does not name the model; pass --model"))
        let c = try check(log, ["--model", "llama-3.3-70b", "--quant", "q8_0", "--gpu", "rtx-3090"])
        #expect(c.json["context"] as? Int == 64_000)
        #expect(try c.withinRounding("Ollama's estimate: KV cache"))
        #expect(try c.predicted("Ollama's estimate: KV cache") == 20_971_520_000)
        #expect(try c.error("Ollama's estimate: compute graph (one GPU)") < -0.9)
    }

    // MARK: more public logs

    /// A test catalog entry for Meta-Llama-3-8B (config.json: the Llama-3.1-8B tensors, max_position_embeddings
    /// 8192, no rope scaling), which the built-in catalog lists only as Llama-3.1-8B.
    static func llama3Catalog() throws -> URL {
        let file = try CLI.tempDir().appendingPathComponent("llama3.yaml")
        try """
            models:
              - id: meta-llama-3-8b
                name: Meta-Llama-3-8B
                hf_repo: meta-llama/Meta-Llama-3-8B
                family: llama-3
                vocab_size: 128256
                hidden_size: 4096
                intermediate_size: 14336
                num_hidden_layers: 32
                num_attention_heads: 32
                num_key_value_heads: 8
                max_context: 8192
                dtype: bfloat16
                published_params: 8030261248
                source: [https://huggingface.co/meta-llama/Meta-Llama-3-8B/blob/main/config.json]
            """.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// https://github.com/vllm-project/vllm/pull/10511 — the PR author's sanity check of vLLM 0.6.5's
    /// profile table (V0), `vllm serve meta-llama/Meta-Llama-3-8B` on an 80 GB GPU (79.22 GiB total:
    /// an H100 or A100 80GB; vLLM's buffers are the same on both), once alone and once with -tp 2.
    static let vllmProfileTableTP1 = """
        $ vllm serve meta-llama/Meta-Llama-3-8B
        INFO 12-13 19:54:18 worker.py:243] Memory profiling results:
        INFO 12-13 19:54:18 worker.py:243] duration     0.75 seconds
        INFO 12-13 19:54:18 worker.py:243] total_gpu_memory     79.22GiB
        INFO 12-13 19:54:18 worker.py:243] gpu_memory_utilization       0.90
        INFO 12-13 19:54:18 worker.py:243] the current vLLM instance can use    71.29GiB
        INFO 12-13 19:54:18 worker.py:243] model weights take   14.96GiB
        INFO 12-13 19:54:18 worker.py:243] non_torch_memory     1.79GiB
        INFO 12-13 19:54:18 worker.py:243] PyTorch activation peak memory       1.26GiB
        INFO 12-13 19:54:18 worker.py:243] available_kv_cache_memory    53.29GiB
        """
    static let vllmProfileTableTP2 = """
        $ vllm serve meta-llama/Meta-Llama-3-8B -tp 2
        INFO 12-13 19:55:25 worker.py:243] Memory profiling results:
        INFO 12-13 19:55:25 worker.py:243] duration     3.49 seconds
        INFO 12-13 19:55:25 worker.py:243] total_gpu_memory     79.22GiB
        INFO 12-13 19:55:25 worker.py:243] gpu_memory_utilization       0.90
        INFO 12-13 19:55:25 worker.py:243] the current vLLM instance can use    71.29GiB
        INFO 12-13 19:55:25 worker.py:243] model weights take   7.48GiB
        INFO 12-13 19:55:25 worker.py:243] non_torch_memory     3.58GiB
        INFO 12-13 19:55:25 worker.py:243] PyTorch activation peak memory       1.26GiB
        """

    /// Weights: 8,030,261,248 × 2 B + the 2 MiB rotary cache (8192 positions × 128 × 2 B) = 14.96 GiB,
    /// within the log's rounding; per rank at TP 2, 7.48 GiB. The KV
    /// pool is +3.8 %: vramfit leaves 2.0 GiB more to it because it puts the profile peak at 800 MiB
    /// and non-torch at 256 MiB where this build logged 1.26 GiB and 1.79 GiB. The activation peak
    /// is the same 1.26 GiB at TP 1 and TP 2, so it is not the (sharded) forward: V0's profile run
    /// samples its 256 dummy sequences with top-k/top-p over the whole vocabulary (vllm/worker/
    /// model_runner.py profile_run), a sort of 256 × 128,256 fp32 logits with int64 indices plus the
    /// softmax/cumsum copies ≈ 10 × 125 MiB; vramfit's sampler term is one 125 MiB copy. The
    /// non-torch figure of this development build (3.58 = 2 × 1.79 GiB at TP 2) is far above the
    /// 0.2–0.4 GiB later releases print; both are asserted as misses until the vLLM model is revised.
    @Test func vllmProfileTableLlama3_8b() throws {
        let catalog = try Self.llama3Catalog().path
        let one = try check(Self.vllmProfileTableTP1, ["--catalog", catalog])
        #expect(one.json["model"] as? String == "meta-llama-3-8b" && one.json["engine"] as? String == "vllm")
        // The table does not say V0 or V1; either profiles 8192 tokens here (V0: max(max_model_len, 2048)).
        #expect(one.json["context"] as? Int == 8192)
        #expect(try one.withinRounding("weights per GPU"))
        let pool = try one.error("KV cache pool per GPU")
        #expect(pool > 0.02 && pool < 0.05)
        let act = try one.error("activation peak (profile run)")
        #expect(act > -0.45 && act < -0.30)
        #expect(try one.row("activation peak (profile run)")["within_range"] as? Bool == true)
        #expect(try one.error("non-torch memory") < -0.8)
        // 79.22 GiB × 1024 = 81,121.28 MiB on that driver; the catalog's 81,079 MiB was measured on
        // driver 580: (81,079 − 81,121.28) / 81,121.28 = −0.052 %. (nvidia-smi's 81,559 gave +0.54 %.)
        #expect(abs(try one.error("GPU total memory (catalog h100-sxm)") + 0.00052) < 0.00005)

        let two = try check(Self.vllmProfileTableTP2, ["--catalog", catalog])
        #expect(two.json["tensor_parallel"] as? Int == 2)
        #expect(try two.withinRounding("weights per GPU"))
        #expect(try two.logged("activation peak (profile run)") == 1.26 * Self.gib)
        #expect(try two.error("activation peak (profile run)") < -0.6)  // the sampler's sort, not the forward (above)
        #expect(try two.error("non-torch memory") < -0.7)
    }

    /// https://github.com/sgl-project/sglang/pull/18263 — SGLang on ROCm (a 288 GB Instinct: 230.20 GB
    /// free after 56.98 GB of weights; not in the catalog, so --gpu mi300x stands in and the pool
    /// size is not compared), Qwen3-30B-A3B bf16. Per token: 48 layers × 4 KV heads × 128 × 2 B =
    /// 49,152 B for K and the same for V; 1,669,817 slots (the tokens + SGLang's dummy slot 0) ×
    /// 49,152 B = 76.44 GiB, the logged "K size". Weights: vramfit's 56.87 GiB of tensors against a
    /// 56.98 GiB drop in free memory (−0.19 %: the drop also holds the allocator's rounding).
    @Test func sglangQwen3MoeOnROCm() throws {
        let log = """
            [2026-07-15 13:14:53] Load weight end. elapsed=19.09 s, type=Qwen3MoeForCausalLM, avail mem=230.20 GB, mem usage=56.98 GB.
            [2026-07-15 13:14:54] KV Cache is allocated. dtype: torch.bfloat16, #tokens: 1669816, K size: 76.44 GB, V size: 76.44 GB
            [2026-07-15 13:14:54] Memory pool end. avail mem=74.01 GB
            """
        let c = try check(log, ["--model", "qwen3-30b-a3b", "--gpu", "mi300x"])
        #expect(c.json["engine"] as? String == "sglang")
        let w = try c.error("weights per GPU")
        #expect(w < 0 && w > -0.005)
        #expect(try c.logged("KV cache tokens") == 1_669_816)
        let loggedPerToken = try c.logged("KV cache (K + V) per GPU") / 1_669_817
        let predictedPerToken = try c.predicted("KV cache (K + V) per GPU") / (try c.predicted("KV cache tokens") + 1)
        #expect(abs(loggedPerToken - 98_304) / 98_304 < 0.0001)  // the log's 2-decimal GiB rounding
        #expect(predictedPerToken == 98_304)
        // Without --gpu the log cannot be placed: 230 GB free is more than any catalog GPU holds.
        let r = try run(log, ["--model", "qwen3-30b-a3b"])
        #expect(r.status == 2 && r.stderr.contains("does not name the GPU") && r.stderr.contains("pass --gpu"))
    }

    // MARK: output, errors and the contract

    @Test func humanTable() throws {
        let r = try run(Self.llamaQwen14B, ["--model", "qwen2.5-14b", "--quant", "q4_k_m", "--gpu", "rtx-4090"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("llama.cpp start-up log"))
        #expect(r.stdout.contains("model buffer, GPU"))
        #expect(r.stdout.contains("7.96 GiB"))
        #expect(r.stdout.contains("within the log's rounding"))
        #expect(r.stdout.contains("n_seq_max 4 (line 4)"))
        #expect(r.stdout.contains("3 memory figures compared"))
    }

    @Test func jsonContract() throws {
        let c = try check(Self.vllm3090At20k, ["--model", "llama-3.1-8b", "--gpu", "rtx-3090"])
        #expect(c.json["schema_version"] as? Int == 1)
        for k in ["file", "engine", "engine_version", "vllm_engine", "startups", "first_line", "model", "model_name", "model_source", "model_in_log",
                  "quant", "gpu", "gpu_in_log", "gpus", "tensor_parallel", "pipeline_parallel", "context", "batch", "kv_cache_dtype",
                  "settings", "comparisons", "summary", "estimate", "notes"] {
            #expect(c.json.keys.contains(k), "missing \(k)")
        }
        #expect(c.json["engine_version"] is NSNull && c.json["model_in_log"] is NSNull)
        for row in c.rows {
            for k in ["name", "kind", "unit", "device", "logged", "logged_rounding", "predicted", "predicted_low", "predicted_high",
                      "absolute_error", "relative_error", "within_rounding", "within_range", "basis", "line", "log_text", "note"] {
                #expect(row.keys.contains(k), "row missing \(k)")
            }
        }
        #expect(c.estimate["schema_version"] as? Int == 1 && c.estimate["total_bytes"] is Int)
        let settings = try #require(c.json["settings"] as? [[String: Any]])
        #expect(settings.contains { $0["name"] as? String == "max_model_len" && $0["line"] as? Int == 4 })
    }

    @Test func standardInput() throws {
        let p = Process()
        p.executableURL = CLI.binary
        p.arguments = ["check-log", "-", "--model", "qwen2.5-14b", "--quant", "q4_k_m", "--gpu", "rtx-4090"]
        let input = Pipe(), out = Pipe()
        p.standardInput = input
        p.standardOutput = out
        p.standardError = Pipe()
        try p.run()
        input.fileHandleForWriting.write(Data(Self.llamaQwen14B.utf8))
        try input.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(String(decoding: data, as: UTF8.self).contains("KV cache"))
    }

    @Test func badInputIsExitTwo() throws {
        let missing = try CLI.run(["check-log", "/nonexistent/vllm.log"])
        #expect(missing.status == 2 && missing.stderr.contains("no such file"))
        let dir = try CLI.run(["check-log", "/"])
        #expect(dir.status == 2 && dir.stderr.contains("is a directory"))
        let empty = try run("", [])
        #expect(empty.status == 2 && empty.stderr.contains("the log is empty") && empty.stdout.isEmpty)
        let blank = try run("\n  \n", ["--engine", "vllm"])
        #expect(blank.status == 2 && blank.stderr.contains("the log is empty"))
        let text = try run("hello\nworld\n", [])
        #expect(text.status == 2 && text.stderr.contains("no vLLM, SGLang, llama.cpp or Ollama start-up lines in 2 lines"))
        // Binary garbage, written as raw bytes (not through a String), as a user's gzipped log would be.
        let bin = try CLI.tempDir().appendingPathComponent("startup.log.gz")
        try Data((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ ($0 >> 3)) }).write(to: bin)
        let binary = try CLI.run(["check-log", bin.path])
        #expect(binary.status == 2 && binary.stderr.contains("not a text log") && binary.stdout.isEmpty, "\(binary.stderr)")
        let missingJSON = try CLI.run(["check-log", "/nonexistent/vllm.log", "--json"])
        #expect(missingJSON.status == 2 && missingJSON.stdout.isEmpty && missingJSON.stderr.contains("no such file"))
        let noFigures = try run("INFO 04-06 18:44:06 [core.py:61] Initializing a V1 LLM engine (v0.8.3) with config: model='Qwen/Qwen2.5-0.5B-Instruct-AWQ', max_seq_len=512,", [])
        #expect(noFigures.status == 2 && noFigures.stderr.contains("no memory figures"))
        let typo = try run("Initializing a V1 LLM engine (v0.8.3) with config: model='Qwen/Qwen2.5-14B-Instrct-AWQ', max_seq_len=512,\nModel loading took 9.3 GiB and 3 seconds", ["--gpu", "4090"])
        #expect(typo.status == 2 && typo.stderr.contains("did you mean") && typo.stderr.contains("qwen2.5-14b-instruct"))
        let gpu = try run(Self.vllmL40S, ["--model", "llama-3.1-8b", "--gpu", "rtx-40900"])
        #expect(gpu.status == 2 && gpu.stderr.contains("did you mean"))
        let engine = try run(Self.vllmL40S, ["--engine", "tensorrt"])
        #expect(engine.status == 2 && engine.stderr.contains("unknown engine"))
        let noGPU = try run(Self.vllmL40S, ["--model", "llama-3.1-8b"])
        #expect(noGPU.status == 2 && noGPU.stderr.contains("pass --gpu"))
    }
}
