/// Start-up log excerpts as engines printed them, copied from public GitHub threads (each with its
/// URL). Lines are verbatim except where a comment says the excerpt was cut. The tests read these
/// as a user's log file would be read.
enum CheckLogExcerpts {
    // MARK: vLLM

    /// vLLM V1 0.8.x, meta-llama/Llama-3.1-8B-Instruct on one L40S ("Samples: … on 1xL40S GPU").
    /// https://github.com/vllm-project/vllm/pull/17122
    static let vllmL40S = """
        INFO 04-24 16:32:59 [loader.py:458] Loading weights took 2.95 seconds
        INFO 04-24 16:33:00 [gpu_model_runner.py:1316] Model loading took 14.9889 GiB and 3.652170 seconds
        INFO 04-24 16:33:06 [backends.py:420] Using cache directory: /home/datta0/.cache/vllm/torch_compile_cache/0dd1850a5d/rank_0_0 for vLLM's torch.compile
        INFO 04-24 16:33:06 [backends.py:430] Dynamo bytecode transform time: 6.41 s
        INFO 04-24 16:33:11 [backends.py:118] Directly load the compiled graph(s) for shape None from the cache, took 4.673 s
        INFO 04-24 16:33:12 [monitor.py:33] torch.compile takes 6.41 s in total
        INFO 04-24 16:33:13 [kv_cache_utils.py:634] GPU KV cache size: 158,656 tokens
        INFO 04-24 16:33:13 [kv_cache_utils.py:637] Maximum concurrency for 32,768 tokens per request: 4.84x
        """

    /// vLLM 0.6.x (V0), meta-llama/Llama-3.1-8B-Instruct on an RTX 3090, --max-model-len 20000 and
    /// 29000 (the second refuses to start). GitHub's markdown ate the leading "# " of the first
    /// blocks line; that is how the thread shows it.
    /// https://github.com/vllm-project/vllm/issues/10517
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

    /// vLLM V1 (Jan 2025), the command and the log of an INT8 W8A8 Llama-3.1-70B.
    /// https://github.com/vllm-project/vllm/pull/12569 ("..." is in the thread: lines left out there).
    static let vllmW8A8 = """
        VLLM_USE_V1=1 vllm serve neuralmagic/Meta-Llama-3.1-70B-Instruct-quantized.w8a8 --max-model-len 2048 --gpu-memory-utilization 0.98
        ...
        INFO 01-30 03:18:12 gpu_model_runner.py:848] Loading model weights took 67.7229 GB
        INFO 01-30 03:18:25 backends.py:577] Using cache directory: /home/mgoin/.cache/vllm/torch_compile_cache/2b70b500a6/rank_0 for vLLM's torch.compile
        INFO 01-30 03:18:25 backends.py:585] Dynamo bytecode transform time: 12.88 s
        INFO 01-30 03:18:28 backends.py:309] Cache the graph of shape None for later use
        INFO 01-30 03:19:07 backends.py:321] Compiling a graph for general shape takes 41.86 s
        INFO 01-30 03:19:13 monitor.py:31] torch.compile takes 54.73 s in total
        INFO 01-30 03:19:14 kv_cache_utils.py:395] # GPU blocks: 1381
        INFO 01-30 03:19:14 kv_cache_utils.py:398] Maximum concurrency for 2048 tokens per request: 10.79x
        """

    /// vLLM 0.8 V0 workers (tensor parallel over RTX 3090s, gpu_memory_utilization 0.99): one
    /// line per worker process. https://github.com/vllm-project/vllm/pull/14447
    static let vllmWorkers = """
        (VllmWorkerProcess pid=521) INFO 04-12 08:21:19 [worker.py:267] model weights take 21.21GiB; non_torch_memory takes 0.20GiB; PyTorch activation peak memory takes 0.37GiB; the rest of the memory reserved for KV Cache is 1.57GiB.
        (VllmWorkerProcess pid=507) INFO 04-12 08:21:19 [worker.py:267] Memory profiling takes 17.59 seconds
        (VllmWorkerProcess pid=507) INFO 04-12 08:21:19 [worker.py:267] the current vLLM instance can use total_gpu_memory (23.58GiB) x gpu_memory_utilization (0.99) = 23.35GiB
        (VllmWorkerProcess pid=507) INFO 04-12 08:21:19 [worker.py:267] model weights take 21.21GiB; non_torch_memory takes 0.20GiB; PyTorch activation peak memory takes 0.37GiB; the rest of the memory reserved for KV Cache is 1.57GiB.
        """

    /// vLLM 0.6.5 development build, the table form of the profile (`vllm serve meta-llama/Meta-Llama-3-8B`
    /// on an 80 GB H100). https://github.com/vllm-project/vllm/pull/10511
    static let vllmProfileTable = """
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

    /// vLLM V1 0.9/0.10, Qwen3-235B-A22B-FP8 on 4 × H100: the user's command (backslash
    /// continued) and the two KV lines. https://github.com/vllm-project/vllm/issues/21348
    static let vllmQwen3TP4 = """
        CUDA_VISIBLE_DEVICES=0,1,2,3 \\
        vllm serve /path/to/Qwen3-235B-A22B-FP8 \\
          --tensor-parallel-size 4 \\
          --kv-transfer-config '{"kv_connector":"LMCacheConnectorV1","kv_role":"kv_both"}'
        Available KV cache memory: 8.11 GiB
        GPU KV cache size: 178,880 tokens
        """

    /// vLLM V1 0.8.3 start-up of Qwen/Qwen2.5-0.5B-Instruct-AWQ: the engine config line.
    /// https://github.com/vllm-project/vllm/issues/16141 (cut after cudagraph_capture_sizes).
    static let vllmConfigLine = """
        INFO 04-06 18:44:06 [core.py:61] Initializing a V1 LLM engine (v0.8.3) with config: model='Qwen/Qwen2.5-0.5B-Instruct-AWQ', speculative_config=None, tokenizer='Qwen/Qwen2.5-0.5B-Instruct-AWQ', skip_tokenizer_init=False, tokenizer_mode=auto, revision=None, override_neuron_config=None, tokenizer_revision=None, trust_remote_code=False, dtype=torch.float16, max_seq_len=512, download_dir=None, load_format=LoadFormat.AUTO, tensor_parallel_size=1, pipeline_parallel_size=1, disable_custom_all_reduce=False, quantization=awq_marlin, enforce_eager=False, kv_cache_dtype=auto,  device_config=cuda, decoding_config=DecodingConfig(guided_decoding_backend='xgrammar', reasoning_backend=None), observability_config=ObservabilityConfig(show_hidden_metrics=False, otlp_traces_endpoint=None, collect_model_forward_time=False, collect_model_execute_time=False), seed=None, served_model_name=Qwen/Qwen2.5-0.5B-Instruct-AWQ, num_scheduler_steps=1, multi_step_stream_outputs=True, enable_prefix_caching=True, chunked_prefill_enabled=True, use_async_output_proc=True
        """

    /// vLLM 0.18 start-up of a GGUF through the gguf plugin: the banner and the non-default args dict.
    /// https://github.com/vllm-project/vllm-gguf-plugin/issues/101 (docker-compose prefixes kept).
    static let vllmArgsDict = """
        > qwen3-8b-1   | (APIServer pid=1) INFO 08-06 10:08:29 [utils.py:297]  ▄▄ ▄█ █     █     █ ▀▄▀ █  version 0.18.0
        > qwen3-8b-1   | (APIServer pid=1) INFO 08-06 10:08:29 [utils.py:297]   █▄█▀ █     █     █     █  model   /models/unsloth/Qwen3-8B-GGUF/Qwen3-8B-Q4_K_M.gguf
        > qwen3-8b-1   | (APIServer pid=1) INFO 08-06 10:08:29 [utils.py:233] non-default args: {'model_tag': '/models/unsloth/Qwen3-8B-GGUF/Qwen3-8B-Q4_K_M.gguf', 'model': '/models/unsloth/Qwen3-8B-GGUF/Qwen3-8B-Q4_K_M.gguf', 'tokenizer': '/models/Qwen/Qwen3-8B', 'hf_config_path': '/models/Qwen/Qwen3-8B', 'max_model_len': 16384, 'served_model_name': ['Qwen/Qwen3-8B'], 'gpu_memory_utilization': 0.79, 'kv_cache_dtype': 'fp8', 'kv_offloading_size': 16.0, 'max_num_seqs': 16, 'disable_hybrid_kv_cache_manager': True, 'disable_log_stats': True}
        > qwen3-8b-1   | (APIServer pid=1) INFO 08-06 10:08:41 [model.py:533] Resolved architecture: Qwen3ForCausalLM
        > qwen3-8b-1   | (APIServer pid=1) INFO 08-06 10:08:41 [model.py:1582] Using max model len 16384
        """

    /// A newer vLLM's one-line memory summary and the capacity line that carries both figures.
    /// https://github.com/vllm-project/vllm/pull/57047
    static let vllmNewSummary = """
        (EngineCore pid=23853) INFO 09-16 13:51:44 [kv_cache_utils.py:2324] GPU KV cache size: 268,560 tokens, Maximum concurrency for 2,048 tokens per request: 131.13x
        (EngineCore pid=23853) INFO 09-16 13:51:51 [model_runner.py:1029] Graph capturing finished in 6 secs, took 0.22 GiB
        (EngineCore pid=23853) INFO 09-16 13:51:51 [gpu_worker.py:876] Free memory on device (46.99/47.37 GiB) on startup. Desired GPU memory utilization is (0.85, 40.27 GiB). Actual usage is 2.81 GiB for consumed memory (weights + non-torch), 0.57 GiB for peak activation, and 0.22 GiB for CUDAGraph memory. Replace gpu_memory_utilization config with `--kv-cache-memory=39207879578` (36.52 GiB) to fit into requested memory, or `--kv-cache-memory=46423534080` (43.24 GiB) to fully utilize gpu memory. Current kv cache memory in use is 36.88 GiB.
        """

    // MARK: SGLang

    /// SGLang, Qwen3-235B-A22B-FP8, TP 4 on H100s: the command and the KV line.
    /// https://github.com/vllm-project/vllm/issues/21348
    static let sglangQwen3TP4 = """
         python3 -m sglang.launch_server --model /path/to/Qwen3-235B-A22B-FP8 --tp 4 --trust-remote-code --host 0.0.0.0 --port 8000 --mem-fraction-static 0.93
        KV Cache is allocated. #tokens: 367404, K size: 8.23 GB, V size: 8.23 GB
        """

    /// SGLang 0.5, TP 8 on H200s: per-rank distributed init and load begin lines.
    /// https://github.com/sgl-project/sglang/pull/11716 (first ranks only).
    static let sglangTP8 = """
        [2025-10-16 09:06:09 TP7] Init torch distributed ends. mem usage=1.77 GB
        [2025-10-16 09:06:09 TP6] Init torch distributed ends. mem usage=2.01 GB
        [2025-10-16 09:06:09 TP0] Init torch distributed ends. mem usage=1.96 GB
        [2025-10-16 09:06:10 TP5] Load weight begin. avail mem=137.29 GB
        [2025-10-16 09:06:10 TP0] Load weight begin. avail mem=137.34 GB
        """

    // MARK: llama.cpp

    /// The llama.cpp runner inside Ollama 0.5.10, qwen2.5 48-layer model (n_seq_max 4).
    /// https://github.com/ollama/ollama/issues/9091
    static let llamaQwen14B = """
        llm_load_print_meta: EOG token        = 151643 '<|endoftext|>'
        llm_load_print_meta: EOG token        = 151645 '<|im_end|>'
        llm_load_print_meta: max token length = 256
        llm_load_tensors: offloading 48 repeating layers to GPU
        llm_load_tensors: offloading output layer to GPU
        llm_load_tensors: offloaded 49/49 layers to GPU
        llm_load_tensors:        CUDA0 model buffer size =  8148.38 MiB
        llm_load_tensors:          CPU model buffer size =   417.66 MiB
        llama_new_context_with_model: n_seq_max     = 4
        llama_new_context_with_model: n_ctx         = 8192
        llama_new_context_with_model: n_ctx_per_seq = 2048
        llama_new_context_with_model: n_batch       = 2048
        llama_new_context_with_model: n_ubatch      = 512
        llama_new_context_with_model: flash_attn    = 0
        llama_new_context_with_model: freq_base     = 1000000.0
        llama_new_context_with_model: freq_scale    = 1
        llama_new_context_with_model: n_ctx_per_seq (2048) < n_ctx_train (32768) -- the full capacity of the model will not be utilized
        llama_kv_cache_init: kv_size = 8192, offload = 1, type_k = 'f16', type_v = 'f16', n_layer = 48, can_shift = 1
        llama_kv_cache_init:      CUDA0 KV buffer size =  1536.00 MiB
        """

    /// llama.cpp b4701 through LLamaSharp (its own "[llama Info]:" prefixes), a 36-layer qwen2 model.
    /// https://github.com/SciSharp/LLamaSharp/issues/1099
    static let llamaSharpQwen3B = """
        [llama Debug]: llama_kv_cache_init: layer 34: n_embd_k_gqa = 256, n_embd_v_gqa = 256
        [llama Debug]: llama_kv_cache_init: layer 35: n_embd_k_gqa = 256, n_embd_v_gqa = 256
        [llama Info]: llama_kv_cache_init:      CUDA0 KV buffer size =   144.00 MiB
        [llama Info]: llama_init_from_model: KV self size  =  144.00 MiB, K (f16):   72.00 MiB, V (f16):   72.00 MiB
        [llama Info]: llama_init_from_model:  CUDA_Host  output buffer size =     0.58 MiB
        [llama Info]: llama_init_from_model:      CUDA0 compute buffer size =   300.75 MiB
        [llama Info]: llama_init_from_model:  CUDA_Host compute buffer size =    12.01 MiB
        [llama Info]: llama_init_from_model: graph nodes  = 1266
        [llama Info]: llama_init_from_model: graph splits = 2
        """

    /// llamafile (llama.cpp of mid 2024): device line, old `CUDA0 buffer size` model lines, TriLM 3.9B.
    /// https://github.com/mozilla-ai/llamafile/pull/552
    static let llamafileTriLM = """
        llm_load_print_meta: EOT token        = 0 '<|endoftext|>'
        llm_load_print_meta: max token length = 1024
        ggml_cuda_init: found 1 CUDA devices:
          Device 0: NVIDIA GeForce RTX 4080, compute capability 8.9, VMM: yes
        llm_load_tensors: ggml ctx size =    0.26 MiB
        llm_load_tensors: offloading 30 repeating layers to GPU
        llm_load_tensors: offloading non-repeating layers to GPU
        llm_load_tensors: offloaded 31/31 layers to GPU
        llm_load_tensors:        CPU buffer size =   297.00 MiB
        llm_load_tensors:      CUDA0 buffer size =  7317.71 MiB
        llama_new_context_with_model: n_ctx      = 512
        llama_new_context_with_model: n_batch    = 512
        llama_new_context_with_model: n_ubatch   = 512
        llama_new_context_with_model: flash_attn = 0
        llama_new_context_with_model: freq_base  = 10000.0
        llama_new_context_with_model: freq_scale = 1
        llama_kv_cache_init:      CUDA0 KV buffer size =   180.00 MiB
        llama_new_context_with_model: KV self size  =  180.00 MiB, K (f16):   90.00 MiB, V (f16):   90.00 MiB
        llama_new_context_with_model:  CUDA_Host  output buffer size =     0.19 MiB
        llama_new_context_with_model:      CUDA0 compute buffer size =   105.00 MiB
        """

    /// ik_llama.cpp (a llama.cpp fork, same print_info), GLM-4 32B dimensions.
    /// https://github.com/ikawrakow/ik_llama.cpp/pull/370 (cut at "model typ").
    static let printInfoGLM4 = """
        load: token to piece cache size = 0.9710 MB
        print_info: arch             = glm4
        print_info: vocab_only       = 0
        print_info: n_ctx_train      = 32768
        print_info: n_embd           = 6144
        print_info: n_layer          = 61
        print_info: n_head           = 48
        print_info: n_head_kv        = 2
        print_info: n_rot            = 64
        print_info: n_swa            = 0
        print_info: n_swa_pattern    = 1
        print_info: n_embd_head_k    = 128
        print_info: n_embd_head_v    = 128
        print_info: n_gqa            = 24
        print_info: n_embd_k_gqa     = 256
        print_info: n_embd_v_gqa     = 256
        print_info: f_norm_eps       = 0.0e+00
        print_info: f_norm_rms_eps   = 1.0e-05
        print_info: n_ff             = 23040
        print_info: n_expert         = 0
        print_info: n_expert_used    = 0
        """

    /// koboldcpp (llama.cpp inside) on CPU: Mistral Large 2407, four mapped model files.
    /// https://github.com/LostRuins/koboldcpp/issues/1528
    static let koboldMistralLarge = """
        print_info: model params     = 122.61 B
        print_info: general.name     = Mistral Large Instruct 2407
        print_info: vocab type       = SPM
        print_info: n_vocab          = 32768
        print_info: max token length = 48
        load_tensors: loading model tensors, this can take a while... (mmap = true)
        load_tensors: relocated tensors: 795 of 795
        load_tensors: offloading 0 repeating layers to GPU
        load_tensors: offloaded 0/89 layers to GPU
        load_tensors:   CPU_Mapped model buffer size = 22722.80 MiB
        load_tensors:   CPU_Mapped model buffer size = 22813.64 MiB
        load_tensors:   CPU_Mapped model buffer size = 22797.14 MiB
        load_tensors:   CPU_Mapped model buffer size = 12113.72 MiB
        llama_context: constructing llama_context
        llama_context: n_seq_max     = 1
        llama_context: n_ctx         = 32768
        llama_context: n_ctx_per_seq = 32768
        llama_context: n_batch       = 2048
        llama_context: n_ubatch      = 2048
        llama_context: causal_attn   = 1
        llama_context: flash_attn    = 1
        """

    /// llama.cpp print_info with ANSI colour codes whose ESC bytes the copy lost.
    /// https://github.com/ggml-org/llama.cpp/issues/27680
    static let colouredPrintInfo = "\u{1B}[34m0.00.612.797\u{1B}[0m \u{1B}[32mI \u{1B}[0mprint_info: model params          = 284.33 B\r\n"
        + "[34m0.00.612.797[0m [32mI [0mprint_info: general.name          = DeepSeek-V4-Flash-0731\r\n"
        + "[34m0.00.612.798[0m [32mI [0mprint_info: n_vocab               = 129280\r\n"

    // MARK: Ollama

    /// Ollama 0.5.x: the offload plan and the runner command, 4 GPUs, 64000 context.
    /// https://github.com/ollama/ollama/issues/9181
    static let ollamaPlan = """
        time=2025-02-18T02:21:25.646Z level=INFO source=server.go:130 msg=offload library=cuda layers.requested=-1 layers.model=81 layers.offload=44 layers.split=11,11,11,11 memory.available="[22.0 GiB 22.0 GiB 22.0 GiB 22.0 GiB]" memory.gpu_overhead="0 B" memory.required.full="127.4 GiB" memory.required.partial="87.1 GiB" memory.required.kv="19.5 GiB" memory.required.allocations="[21.8 GiB 21.8 GiB 21.8 GiB 21.8 GiB]" memory.weights.total="87.3 GiB" memory.weights.repeating="86.2 GiB" memory.weights.nonrepeating="1.0 GiB" memory.graph.full="8.2 GiB" memory.graph.partial="8.2 GiB"
        time=2025-02-18T02:21:25.646Z level=INFO source=server.go:182 msg="enabling flash attention"
        time=2025-02-18T02:21:25.646Z level=WARN source=server.go:190 msg="kv cache type not supported by model" type=""
        time=2025-02-18T02:21:25.647Z level=INFO source=server.go:380 msg="starting llama server" cmd="/teamspace/studios/this_studio/ollama/ollama runner --model /teamspace/studios/this_studio/.ollama/models/blobs/sha256-feef62aa06ab4162ebd3b9af4ff8383a37bf9544a7d30a3fe4623c8398bd1a28 --ctx-size 64000 --batch-size 512 --n-gpu-layers 44 --threads 24 --flash-attn --parallel 1 --tensor-split 11,11,11,11 --port 50137"
        time=2025-02-18T02:21:25.648Z level=INFO source=sched.go:450 msg="loaded runners" count=1
        """

    /// Ollama 0.5.x in docker compose, a 61-layer DeepSeek-V3/R1 GGUF partly offloaded.
    /// https://github.com/ollama/ollama/issues/8447
    static let ollamaDeepSeek = """
        ollama  | time=2025-01-16T04:29:50.741Z level=INFO source=server.go:104 msg="system memory" total="628.5 GiB" free="623.2 GiB" free_swap="0 B"
        ollama  | time=2025-01-16T04:29:50.909Z level=INFO source=memory.go:356 msg="offload to cuda" layers.requested=-1 layers.model=62 layers.offload=5 layers.split="" memory.available="[23.3 GiB]" memory.gpu_overhead="0 B" memory.required.full="415.7 GiB" memory.required.partial="17.6 GiB" memory.required.kv="9.5 GiB" memory.required.allocations="[17.6 GiB]" memory.weights.total="385.0 GiB" memory.weights.repeating="384.3 GiB" memory.weights.nonrepeating="725.0 MiB" memory.graph.full="654.0 MiB" memory.graph.partial="1019.5 MiB"
        ollama  | time=2025-01-16T04:29:50.909Z level=WARN source=server.go:216 msg="flash attention enabled but not supported by model"
        """

    /// Ollama 0.9 with its own engine: mistral3 Q8_0 over two GPUs.
    /// https://github.com/ollama/ollama/pull/11090
    static let ollamaEngine = """
        time=2025-07-18T14:50:56.874Z level=INFO source=ggml.go:116 msg="" architecture=mistral3 file_type=Q8_0 name="" description="" num_tensors=585 num_key_values=43
        time=2025-07-18T14:50:57.066Z level=INFO source=ggml.go:351 msg="offloading 40 repeating layers to GPU"
        time=2025-07-18T14:50:57.066Z level=INFO source=ggml.go:357 msg="offloading output layer to GPU"
        time=2025-07-18T14:50:57.066Z level=INFO source=ggml.go:362 msg="offloaded 41/41 layers to GPU"
        time=2025-07-18T14:50:57.066Z level=INFO source=ggml.go:365 msg="model weights" buffer=CUDA0 size="11.5 GiB"
        time=2025-07-18T14:50:57.066Z level=INFO source=ggml.go:365 msg="model weights" buffer=CUDA1 size="11.9 GiB"
        time=2025-07-18T14:50:57.066Z level=INFO source=ggml.go:365 msg="model weights" buffer=CPU size="680.0 MiB"
        time=2025-07-18T14:50:58.130Z level=INFO source=ggml.go:672 msg="compute graph" backend=CUDA0 buffer_type=CUDA0 size="0 B"
        """

    /// Ollama 0.7.1's llama.cpp runner: llama3.3:70b-instruct-q3_K_M split over two GPUs.
    /// https://github.com/ollama/ollama/issues/10553
    static let ollamaTwoGPU = """
        llama_kv_cache_unified: kv_size = 4096, type_k = 'f16', type_v = 'f16', n_layer = 80, can_shift = 1, padding = 256
        llama_kv_cache_unified:      CUDA0 KV buffer size =   784.00 MiB
        llama_kv_cache_unified:      CUDA1 KV buffer size =   496.00 MiB
        llama_kv_cache_unified: KV self size  = 1280.00 MiB, K (f16):  640.00 MiB, V (f16):  640.00 MiB
        llama_context: pipeline parallelism enabled (n_copies=4)
        llama_context:      CUDA0 compute buffer size =   260.01 MiB
        llama_context:      CUDA1 compute buffer size =   346.52 MiB
        llama_context:  CUDA_Host compute buffer size =    48.02 MiB
        llama_context: graph nodes  = 2407
        llama_context: graph splits = 3
        time=2025-05-24T19:14:12.757-05:00 level=INFO source=server.go:630 msg="llama runner started in 12.03 seconds"
        """
}
