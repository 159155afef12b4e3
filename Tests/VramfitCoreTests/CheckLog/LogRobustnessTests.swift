import Testing
@testable import VramfitCore

/// Whatever text is given, `check` returns a comparison or one of its typed errors: never a trap,
/// never another error type.
@Suite struct LogRobustnessTests {
    let catalog = CheckLogTestCatalog.catalog

    /// SplitMix64: the same cases on every run, so a failure names its seed.
    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    }

    /// The result, or nil for one of the errors check-log promises (typed, shown as exit 2).
    func survive(_ text: String, options: LogCheckOptions = LogCheckOptions(model: "llama-3.1-8b", gpu: "4090", quant: "q8_0")) -> Bool {
        do {
            let c = try LogChecker.check(text, catalog: catalog, options: options)
            // Every row's numbers are finite.
            return c.comparisons.allSatisfy { $0.logged.isFinite && ($0.predicted?.isFinite ?? true) }
        } catch is LogCheckError {
            return true
        } catch is LookupError {
            return true
        } catch is EstimateError {
            return true
        } catch {
            Issue.record("untyped error \(error) for \(text.prefix(200))")
            return false
        }
    }

    static let fragments = [
        "Model loading took ", "GPU KV cache size: ", "Maximum concurrency for ", " tokens per request: ", "x", "GiB", "GB", " MiB", "MB",
        "# GPU blocks: ", "total_gpu_memory (", "gpu_memory_utilization (", "model weights take ", "non_torch_memory takes ",
        "PyTorch activation peak memory takes ", "the rest of the memory reserved for KV Cache is ", "Available KV cache memory: ",
        "Initializing a V1 LLM engine (v", ") with config: model='", "', max_seq_len=", ", tensor_parallel_size=", ", quantization=",
        "non-default args: {'model': '", "'max_model_len': ", "vllm serve ", " --tensor-parallel-size ", " --max-model-len ", " \\\n",
        "KV Cache is allocated. #tokens: ", ", K size: ", ", V size: ", "Load weight end. type=X, dtype=torch.bfloat16, avail mem=",
        ", mem usage=", "max_total_num_tokens=", ", context_len=", "server_args=ServerArgs(model_path='", "', tp_size=",
        "print_info: n_embd = ", "print_info: n_layer = ", "print_info: n_head = ", "print_info: n_vocab = ", "print_info: n_ff = ",
        "print_info: n_head_kv = [", "print_info: file type = ", "Q4_K - Medium", "print_info: model params = ", " B",
        "load_tensors: CUDA0 model buffer size = ", "CPU_Mapped model buffer size = ", "llama_context: n_ctx = ", "n_seq_max = ",
        "CUDA0 KV buffer size = ", "KV self size = ", ", K (", "q8_0", "):", "CUDA0 compute buffer size = ", "CUDA_Host output buffer size = ",
        "offloaded ", "/", " layers to GPU", "msg=offload library=cuda layers.model=", " memory.required.kv=\"", " memory.weights.total=\"",
        "\"", "starting llama server cmd=\"runner --ctx-size ", " --parallel ", "Device 0: NVIDIA GeForce RTX 4090, compute capability 8.9",
        "\n", "\r\n", "\r", "\u{1B}[31m", "\u{1B}", "\u{0}", ",", ",,,", "=", "==", ": ", "(", ")", "[", "]", "{", "}", "'", " ",
        "0", "1", "7", "42", "512", "4096", "65536", "131072", "1,024", "1,000,000", "0.5", "14.9889", "-3", "1e308", "9e18", "1e-300",
        "99999999999999999999999999", "NaN", "inf", "-0", ".", "..", "1.2.3", "🚀", "é", "\u{301}", "\\",
    ]

    /// 300 texts of engine fragments in random order: numbers in every place, markers without
    /// numbers, unterminated quotes, huge and negative values, control bytes.
    @Test func randomFragmentsNeverTrap() {
        var rng = Rng(state: 0x5EED_C0DE)
        for _ in 0..<300 {
            var s = ""
            for _ in 0..<(1 + rng.below(60)) { s += Self.fragments[rng.below(Self.fragments.count)] }
            #expect(survive(s))
            #expect(survive(s, options: LogCheckOptions()))
        }
    }

    static let excerpts: [String: String] = [
        "vLLM V1 L40S": CheckLogExcerpts.vllmL40S, "vLLM V0 3090": CheckLogExcerpts.vllm3090At20k, "vLLM W8A8": CheckLogExcerpts.vllmW8A8,
        "vLLM TP4 command": CheckLogExcerpts.vllmQwen3TP4, "vLLM summary line": CheckLogExcerpts.vllmNewSummary,
        "SGLang TP4": CheckLogExcerpts.sglangQwen3TP4, "llama.cpp qwen 14B": CheckLogExcerpts.llamaQwen14B,
        "LLamaSharp": CheckLogExcerpts.llamaSharpQwen3B, "koboldcpp CPU": CheckLogExcerpts.koboldMistralLarge,
        "Ollama plan": CheckLogExcerpts.ollamaPlan, "Ollama engine": CheckLogExcerpts.ollamaEngine, "Ollama 2 GPUs": CheckLogExcerpts.ollamaTwoGPU,
    ]

    /// Every real excerpt with bytes deleted, duplicated or replaced at random places.
    @Test(arguments: excerpts.keys.sorted())
    func mutatedRealLogsNeverTrap(_ name: String) throws {
        let log = try #require(Self.excerpts[name])
        var rng = Rng(state: UInt64(log.utf8.count))
        let junk: [UInt8] = Array("0123456789.,=:() -GiBMx'\"\n\r\u{1B}[".utf8)
        for _ in 0..<80 {
            var b = Array(log.utf8)
            for _ in 0..<(1 + rng.below(12)) where !b.isEmpty {
                let i = rng.below(b.count)
                switch rng.below(4) {
                case 0: b.remove(at: i)
                case 1: b.insert(b[i], at: i)
                case 2: b[i] = junk[rng.below(junk.count)]
                default: b.insert(contentsOf: Array("999999999999".utf8), at: i)
                }
            }
            #expect(survive(String(decoding: b, as: UTF8.self)))
        }
    }

    /// Values at and past every bound a log can state: the check answers or throws its typed errors.
    @Test(arguments: [
        "print_info: n_embd = 65536\nprint_info: n_layer = 1024\nprint_info: n_head = 1024\nprint_info: n_vocab = 4194304\nprint_info: n_ff = 262144\nprint_info: n_expert = 4096\nprint_info: n_expert_used = 4096\nprint_info: file type = Q8_0\nload_tensors: CUDA0 model buffer size = 1 MiB\nllama_context: n_ctx = 268435456\nllama_context: n_ubatch = 99999999999999",
        "msg=offload library=cuda layers.model=81 memory.required.kv=\"1 GiB\"\nmsg=\"starting llama server\" cmd=\"runner --ctx-size 999999999999 --parallel 99999999999999 --batch-size 99999999999\"\nprint_info: file type = Q4_K - Medium\nprint_info: general.name = Qwen2.5 14B Instruct",
        "vllm serve meta-llama/Llama-3.1-8B-Instruct --tensor-parallel-size 99999999 --max-model-len 99999999999 --max-num-seqs 999999999999\nModel loading took 1e300 GiB\nGPU KV cache size: 1e300 tokens\n# GPU blocks: 999999999999999, # CPU blocks: 1\nMaximum concurrency for 1e200 tokens per request: 1e300x",
        "Model loading took 0.00000000000000000001 B\nGPU KV cache size: 0 tokens\nMaximum concurrency for 1 tokens per request: 0.0000001x",
        "server_args=ServerArgs(model_path='Qwen/Qwen2.5-14B-Instruct', tp_size=99999, mem_fraction_static=0.0000001, context_length=1)\nKV Cache is allocated. #tokens: 999999999999999, K size: 999999999 GB, V size: 1 GB",
    ])
    func extremeValuesStayTyped(_ text: String) {
        #expect(survive(text, options: LogCheckOptions(gpu: "4090")))
        #expect(survive(text))
    }

    /// A long-running server's log: the start-up lines first, then thousands of metric lines.
    @Test func startupBeforeLongNoise() throws {
        let noise = String(repeating: "INFO 01-01 00:00:00 [metrics.py:1] Avg prompt throughput: 0.0 tokens/s, Running: 1 reqs\n", count: 20_000)
        let c = try LogChecker.check(CheckLogExcerpts.vllmL40S + "\n" + noise, catalog: catalog,
                                     options: LogCheckOptions(model: "llama-3.1-8b", gpu: "l40s"))
        #expect(c.log.first(.kvTokens)?.value == 158_656)
    }
}
