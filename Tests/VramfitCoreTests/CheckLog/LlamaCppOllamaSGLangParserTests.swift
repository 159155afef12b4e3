import Testing
@testable import VramfitCore

/// llama.cpp, Ollama and SGLang lines from real start-ups (CheckLogExcerpts). llama.cpp prints
/// MiB (2²⁰), Ollama binary units labelled GiB/MiB, SGLang "GB" meaning GiB.
@Suite struct LlamaCppOllamaSGLangParserTests {
    static let mib = 1_048_576.0, gib = 1_073_741_824.0

    @Test func llamaCppBuffersAndContext() throws {
        let log = try EngineLogParser.parse(CheckLogExcerpts.llamaQwen14B)
        #expect(log.engine == .llamaCpp)
        #expect(log.figures(.modelBuffer).map { $0.device ?? "" } == ["CUDA0", "CPU"])
        #expect(log.figures(.modelBuffer).map(\.value) == [8148.38 * Self.mib, 417.66 * Self.mib])
        #expect(log.figures(.modelBuffer)[1].isHostBuffer)
        #expect(log.figures.first { $0.kind == .kvCache && $0.device == "CUDA0" }?.value == 1536 * Self.mib)
        #expect(log.settings.nCtx?.value == 8192 && log.settings.nSeqMax?.value == 4)
        #expect(log.settings.nBatch?.value == 2048 && log.settings.nUbatch?.value == 512)
        #expect(log.settings.flashAttention?.value == false)
        #expect(log.settings.typeK?.value == "f16" && log.settings.typeV?.value == "f16")
        #expect(log.settings.gpuLayers?.value == 49 && log.settings.totalLayers?.value == 49)
    }

    @Test func prefixedLinesAndHostBuffers() throws {
        let log = try EngineLogParser.parse(CheckLogExcerpts.llamaSharpQwen3B)
        #expect(log.figures.first { $0.kind == .kvCache && $0.device == nil }?.value == 144 * Self.mib)
        #expect(log.figures.first { $0.kind == .computeBuffer && $0.device == "CUDA0" }?.value == 300.75 * Self.mib)
        let hostCompute = try #require(log.figures.first { $0.kind == .computeBuffer && $0.device == "CUDA_Host" })
        #expect(hostCompute.isHostBuffer && hostCompute.value == 12.01 * Self.mib)
        #expect(log.first(.outputBuffer)?.value == 0.58 * Self.mib)
        #expect(log.settings.typeK?.value == "f16")
    }

    @Test func oldBufferLinesAndDeviceName() throws {
        let log = try EngineLogParser.parse(CheckLogExcerpts.llamafileTriLM)
        #expect(log.gpuNames.map(\.value) == ["NVIDIA GeForce RTX 4080"])
        #expect(log.figures(.modelBuffer).map(\.value) == [297 * Self.mib, 7317.71 * Self.mib])
        #expect(log.settings.nCtx?.value == 512)
        #expect(log.first(.computeBuffer)?.value == 105 * Self.mib)
        #expect(log.first(.outputBuffer)?.value == 0.19 * Self.mib)
    }

    @Test func printInfoDimensions() {
        let log = LlamaCppLogParser.parse(LogLine.lines(of: CheckLogExcerpts.printInfoGLM4))
        let a = log.architecture
        #expect(a?.arch == "glm4")
        #expect(a?.embedding == 6144 && a?.layers == 61 && a?.heads == 48 && a?.kvHeads == 2)
        #expect(a?.headDimK == 128 && a?.feedForward == 23040 && a?.contextTrain == 32768)
        #expect(a?.experts == 0 && a?.slidingWindow == 0 && a?.rotaryDims == 64)
    }

    /// Four mapped files: one model buffer of their sum. No GPU buffers at all: a CPU run.
    @Test func mappedFilesAreSummed() throws {
        let log = try EngineLogParser.parse(CheckLogExcerpts.koboldMistralLarge)
        let host = try #require(log.first(.modelBuffer))
        #expect(log.figures(.modelBuffer).count == 1 && host.device == "CPU_Mapped")
        #expect(abs(host.value - (22722.80 + 22813.64 + 22797.14 + 12113.72) * Self.mib) < 1)
        #expect(host.rounding == 4 * 0.005 * Self.mib)
        #expect(log.first(.parameters)?.value == 122.61e9)
        #expect(log.modelName?.value == "Mistral Large Instruct 2407")
        #expect(log.settings.gpuLayers?.value == 0 && log.settings.totalLayers?.value == 89)
        #expect(log.settings.flashAttention?.value == true && log.settings.nUbatch?.value == 2048)
    }

    @Test func colourCodesAndCRLF() {
        let log = LlamaCppLogParser.parse(LogLine.lines(of: CheckLogExcerpts.colouredPrintInfo))
        #expect(log.architecture?.parameters == 284.33e9)
        #expect(log.architecture?.name == "DeepSeek-V4-Flash-0731")
        #expect(log.architecture?.vocab == 129_280)
    }

    @Test func ollamaPlanAndRunnerCommand() throws {
        let log = try EngineLogParser.parse(CheckLogExcerpts.ollamaPlan)
        #expect(log.engine == .ollama)
        #expect(log.first(.estimatedWeights)?.value == 87.3 * Self.gib)
        #expect(log.first(.estimatedKV)?.value == 19.5 * Self.gib)
        #expect(log.first(.estimatedGraph)?.value == 8.2 * Self.gib)
        #expect(log.first(.estimatedTotal)?.value == 127.4 * Self.gib)
        #expect(log.first(.estimatedKV)?.rounding == 0.05 * Self.gib)
        #expect(log.gpuCount?.value == 4)
        #expect(log.settings.totalLayers?.value == 81 && log.settings.gpuLayers?.value == 44)
        #expect(log.settings.nCtx?.value == 64_000 && log.settings.nBatch?.value == 512 && log.settings.parallel?.value == 1)
        #expect(log.settings.flashAttention?.value == true)
    }

    @Test func ollamaDockerPrefixedPlan() throws {
        let log = try EngineLogParser.parse(CheckLogExcerpts.ollamaDeepSeek)
        #expect(log.first(.estimatedWeights)?.value == 385.0 * Self.gib)
        #expect(log.first(.estimatedGraph)?.value == 654.0 * Self.mib)
        #expect(log.settings.totalLayers?.value == 62 && log.settings.gpuLayers?.value == 5)
        #expect(log.gpuCount?.value == 1)
    }

    /// Ollama's own engine: weights per buffer, the file type, the 0 B graph line skipped.
    @Test func ollamaEngineLines() throws {
        let log = try EngineLogParser.parse(CheckLogExcerpts.ollamaEngine)
        #expect(log.figures(.modelBuffer).map { $0.device ?? "" } == ["CUDA0", "CUDA1", "CPU"])
        #expect(log.figures(.modelBuffer).map(\.value) == [11.5 * Self.gib, 11.9 * Self.gib, 680.0 * Self.mib])
        #expect(log.figures(.computeBuffer).isEmpty)
        #expect(log.fileType?.value == "Q8_0")
        #expect(log.architecture?.arch == "mistral3")
        #expect(log.settings.gpuLayers?.value == 41)
    }

    @Test func ollamaRunnerTwoGPUs() throws {
        let log = try EngineLogParser.parse(CheckLogExcerpts.ollamaTwoGPU)
        #expect(log.engine == .ollama)  // source=server.go on the last line
        #expect(log.figures.filter { $0.kind == .kvCache && $0.device != nil }.map(\.value) == [784 * Self.mib, 496 * Self.mib])
        #expect(log.figures.first { $0.kind == .kvCache && $0.device == nil }?.value == 1280 * Self.mib)
        #expect(log.settings.nCtx?.value == 4096)  // from kv_size: the excerpt starts after n_ctx
        #expect(log.notes.contains { $0.contains("4 graph copies") })
    }

    @Test func sglangCommandAndKV() throws {
        let log = try EngineLogParser.parse(CheckLogExcerpts.sglangQwen3TP4)
        #expect(log.engine == .sglang)
        #expect(log.modelName?.value == "/path/to/Qwen3-235B-A22B-FP8")
        #expect(log.settings.tensorParallel?.value == 4 && log.settings.memFractionStatic?.value == 0.93)
        #expect(log.first(.kvTokens)?.value == 367_404)
        #expect(log.first(.kvCache)?.value == 2 * 8.23 * Self.gib)
        #expect(log.first(.kvCache)?.rounding == 2 * 0.005 * Self.gib)
    }

    @Test func sglangRanks() throws {
        let log = try EngineLogParser.parse(CheckLogExcerpts.sglangTP8)
        #expect(log.first(.nonTorch)?.value == 1.77 * Self.gib)  // the first rank printed
        #expect(log.gpuFreeAtStart?.value == ByteCount(fromDouble: 137.29 * Self.gib))
        #expect(log.gpuCount?.value == 8)  // TP0 … TP7
    }

    @Test func detectionNeedsEngineLines() {
        #expect(throws: LogCheckError.noEngineLines(lines: 2)) { try EngineLogParser.parse("hello\nworld") }
        #expect(throws: LogCheckError.empty) { try EngineLogParser.parse("") }
        #expect(throws: LogCheckError.empty) { try EngineLogParser.parse(" \n\r\n\t") }
        // Binary input: 3 of the 8 characters are NUL/control bytes or replaced non-UTF-8 bytes.
        #expect(throws: LogCheckError.notText(nonTextFraction: 3.0 / 8)) {
            try EngineLogParser.parse(String(decoding: [0x00, 0x61, 0x62, 0xFF, 0x63, 0x64, 0x01, 0x65] as [UInt8], as: UTF8.self))
        }
        // A log with a few stray bytes but engine lines is still read.
        #expect(throws: LogCheckError.noFigures(engine: .vllm)) {
            try EngineLogParser.parse("\u{0}\u{1}\u{2}\nINFO 04-06 18:44:06 [core.py:61] Initializing a V1 LLM engine (v0.8.3) with config: model='x'")
        }
        #expect(throws: LogCheckError.noFigures(engine: .llamaCpp)) { try EngineLogParser.parse("print_info: arch = llama") }
    }
}
