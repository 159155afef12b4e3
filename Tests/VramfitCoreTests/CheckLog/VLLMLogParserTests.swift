import Testing
@testable import VramfitCore

/// vLLM's lines, read from real start-ups (CheckLogExcerpts, each with its URL). Every expected
/// figure is the printed one converted by hand: GiB × 2³⁰; vLLM's "GB" is GiB too.
@Suite struct VLLMLogParserTests {
    static let gib = 1_073_741_824.0

    func parse(_ s: String) throws -> EngineLog { try EngineLogParser.parse(s) }

    @Test func v1WeightsTokensAndConcurrency() throws {
        let log = try parse(CheckLogExcerpts.vllmL40S)
        #expect(log.engine == .vllm)
        #expect(log.vllmV0?.value == false)  // gpu_model_runner.py / kv_cache_utils.py are V1 files
        let w = try #require(log.first(.weights))
        #expect(w.value == 14.9889 * Self.gib)
        #expect(w.line == 2 && w.device == "gpu0")
        #expect(log.first(.kvTokens)?.value == 158_656)
        #expect(log.first(.maxConcurrency)?.value == 4.84)
        #expect(log.first(.maxConcurrency)?.rounding == 0.005)
        #expect(log.settings.concurrencyTokens?.value == 32_768)
    }

    /// 0.6.3's one-line profile: the activation peak is peak_torch_memory minus the weights.
    @Test func v0ProfileResultsAndBlocks() throws {
        let log = try parse(CheckLogExcerpts.vllm3090At20k)
        #expect(log.vllmV0?.value == true)  // "# CPU blocks" is V0's
        #expect(log.first(.weights)?.value == 14.9888 * Self.gib)
        #expect(log.first(.nonTorch)?.value == 0.35 * Self.gib)
        #expect(log.first(.kvCache)?.value == 3.81 * Self.gib)
        #expect(log.gpuTotal?.value == ByteCount(fromDouble: 23.58 * Self.gib))
        #expect(log.settings.gpuMemoryUtilization?.value == 0.90)
        let act = try #require(log.first(.activation))
        #expect(abs(act.value - (17.06 - 14.9888) * Self.gib) < 1)
        // 1952 blocks × 16 tokens (the default block_size).
        #expect(log.first(.kvTokens)?.value == 31_232)
        #expect(log.settings.concurrencyTokens?.value == 20_000)
    }

    @Test func tensorParallelWorkersCountOnce() throws {
        let log = try parse(CheckLogExcerpts.vllmWorkers)
        #expect(log.figures(.weights).count == 1)
        #expect(log.first(.weights)?.value == 21.21 * Self.gib)
        #expect(log.first(.nonTorch)?.value == 0.20 * Self.gib)
        #expect(log.first(.activation)?.value == 0.37 * Self.gib)
        #expect(log.first(.kvCache)?.value == 1.57 * Self.gib)
        #expect(log.settings.gpuMemoryUtilization?.value == 0.99)
        #expect(log.gpuTotal?.value == ByteCount(fromDouble: 23.58 * Self.gib))
        #expect(log.vllmV0?.value == true)
    }

    @Test func profileTableForm() throws {
        let log = try parse(CheckLogExcerpts.vllmProfileTable)
        #expect(log.first(.weights)?.value == 14.96 * Self.gib)
        #expect(log.first(.nonTorch)?.value == 1.79 * Self.gib)
        #expect(log.first(.activation)?.value == 1.26 * Self.gib)
        #expect(log.first(.kvCache)?.value == 53.29 * Self.gib)
        #expect(log.first(.gpuTotal)?.value == 79.22 * Self.gib)
        #expect(log.settings.gpuMemoryUtilization?.value == 0.90)
    }

    @Test func commandLineGivesModelAndSettings() throws {
        let log = try parse(CheckLogExcerpts.vllmW8A8)
        #expect(log.modelName?.value == "neuralmagic/Meta-Llama-3.1-70B-Instruct-quantized.w8a8")
        #expect(log.settings.maxModelLen?.value == 2048)
        #expect(log.settings.gpuMemoryUtilization?.value == 0.98)
        #expect(log.first(.weights)?.value == 67.7229 * Self.gib)
        #expect(log.first(.kvTokens)?.value == 22_096)  // 1381 blocks × 16
        #expect(log.first(.kvTokens)?.line == 9)
    }

    @Test func backslashContinuedCommand() throws {
        let log = try parse(CheckLogExcerpts.vllmQwen3TP4)
        #expect(log.modelName?.value == "/path/to/Qwen3-235B-A22B-FP8")
        #expect(log.settings.tensorParallel?.value == 4)
        #expect(log.first(.kvCache)?.value == 8.11 * Self.gib)
        #expect(log.first(.kvTokens)?.value == 178_880)
    }

    @Test func engineConfigLine() throws {
        // The config line alone has no figures: reading it gives the typed error, not a crash.
        #expect(throws: LogCheckError.noFigures(engine: .vllm)) { try parse(CheckLogExcerpts.vllmConfigLine) }
        let log = VLLMLogParser.parse(LogLine.lines(of: CheckLogExcerpts.vllmConfigLine))
        #expect(log.engineVersion?.value == "0.8.3")
        #expect(log.vllmV0?.value == false)
        #expect(log.modelName?.value == "Qwen/Qwen2.5-0.5B-Instruct-AWQ")
        #expect(log.settings.maxModelLen?.value == 512)
        #expect(log.settings.quantization?.value == "awq_marlin")
        #expect(log.settings.dtype?.value == "torch.float16")
        #expect(log.settings.kvCacheDtype?.value == "auto")
        #expect(log.settings.tensorParallel?.value == 1)
        #expect(log.settings.enforceEager?.value == false)
        #expect(log.settings.chunkedPrefill?.value == true)
    }

    @Test func argsDictBannerAndDockerPrefixes() {
        let log = VLLMLogParser.parse(LogLine.lines(of: CheckLogExcerpts.vllmArgsDict))
        #expect(log.engineVersion?.value == "0.18.0")
        #expect(log.vllmV0?.value == false)  // 0.18: V1 is the only engine
        #expect(log.modelName?.value == "/models/unsloth/Qwen3-8B-GGUF/Qwen3-8B-Q4_K_M.gguf")
        #expect(log.settings.maxModelLen?.value == 16_384)
        #expect(log.settings.gpuMemoryUtilization?.value == 0.79)
        #expect(log.settings.kvCacheDtype?.value == "fp8")
        #expect(log.settings.maxNumSeqs?.value == 16)
    }

    @Test func newestSummaryLine() throws {
        let log = try parse(CheckLogExcerpts.vllmNewSummary)
        #expect(log.first(.kvTokens)?.value == 268_560)
        #expect(log.first(.maxConcurrency)?.value == 131.13)
        #expect(log.settings.concurrencyTokens?.value == 2048)
        #expect(log.first(.cudaGraphs)?.value == 0.22 * Self.gib)
        #expect(log.first(.activation)?.value == 0.57 * Self.gib)
        #expect(log.first(.kvCache)?.value == 36.88 * Self.gib)
        #expect(log.gpuTotal?.value == ByteCount(fromDouble: 47.37 * Self.gib))
        #expect(log.settings.gpuMemoryUtilization?.value == 0.85)
    }

    /// Two start-ups in one file (a user retrying --max-model-len): the last is checked.
    @Test func lastStartupWins() throws {
        let both = "INFO 01-01 00:00:00 llm_engine.py:1] Initializing an LLM engine (v0.6.3) with config: model='a', max_seq_len=20000,\n"
            + CheckLogExcerpts.vllm3090At20k
            + "\nINFO 01-01 00:01:00 llm_engine.py:1] Initializing an LLM engine (v0.6.3) with config: model='b', max_seq_len=29000,\n"
            + CheckLogExcerpts.vllm3090At29k
        let log = try parse(both)
        #expect(log.startups == 2)
        #expect(log.modelName?.value == "b")
        #expect(log.settings.maxModelLen?.value == 29_000)
        #expect(log.first(.kvTokens)?.value == 23_648)  // 1478 blocks × 16, the 23648 of vLLM's refusal line
        #expect(log.first(.kvCache)?.value == 2.89 * Self.gib)
        #expect(log.vllmV0?.value == true)
    }
}
