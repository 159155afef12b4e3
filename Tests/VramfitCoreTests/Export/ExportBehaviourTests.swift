import Testing
@testable import VramfitCore

/// What each flag is taken from, and what each exporter refuses.
@Suite struct ExportBehaviourTests {
    typealias F = ExportFixtures

    func value(_ c: LaunchConfig, _ flag: String) -> String? {
        guard let i = c.command.firstIndex(of: flag), i + 1 < c.command.count else { return nil }
        return c.command[i + 1]
    }

    @Test func vllmFlagsComeFromTheEstimate() throws {
        let p = try F.plan(engine: F.vllm, Workload(context: 12288, batch: 3, gpuMemoryUtilization: 0.8, tensorParallel: 2, pipelineParallel: 2))
        let c = try Export.launchConfig(p, to: .vllm)
        #expect(Array(c.command.prefix(3)) == ["vllm", "serve", "meta-llama/Llama-3.1-8B-Instruct"])
        #expect(value(c, "--max-model-len") == "12288")
        #expect(value(c, "--max-num-seqs") == "3")
        #expect(value(c, "--gpu-memory-utilization") == "0.8")
        #expect(value(c, "--tensor-parallel-size") == "2")
        #expect(value(c, "--pipeline-parallel-size") == "2")
        #expect(value(c, "--dtype") == "bfloat16")
        // Default cache and unset prefill budget: no flag, the engine's own default is what was estimated.
        #expect(!c.command.contains("--kv-cache-dtype") && !c.command.contains("--max-num-batched-tokens"))
        #expect(!c.command.contains("--quantization"))
    }

    @Test func fp8OnA16BitCheckpointQuantizesOnLoad() throws {
        let v = try Export.launchConfig(F.plan(scheme: F.fp8, engine: F.vllm, Workload(context: 4096)), to: .vllm)
        #expect(value(v, "--quantization") == "fp8")
        let s = try Export.launchConfig(F.plan(scheme: F.fp8, engine: F.sglang, Workload(context: 4096)), to: .sglang)
        #expect(value(s, "--quantization") == "fp8")
        let t = try Export.launchConfig(F.plan(scheme: F.fp8, engine: F.tgi, Workload(context: 4096)), to: .tgi)
        #expect(value(t, "--quantize") == "fp8")
    }

    @Test func prequantizedSchemesUseTheCheckpointGivenAndNoFlag() throws {
        let c = try Export.launchConfig(F.plan(scheme: F.awq, gpu: Fixtures.gpu24, engine: F.vllm, Workload(context: 4096),
                                               checkpoint: "hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4"), to: .vllm)
        #expect(c.command[2] == "hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4")
        #expect(!c.command.contains("--quantization"))
        // No placeholder note; only which kernel vLLM picks from the checkpoint on this sm89 card.
        #expect(c.notes == ["vLLM reads awq from the checkpoint's config and runs it with the awq_marlin kernels on Test 24 GiB (compute capability 8.0+); no --quantization needed"])
    }

    /// Below compute capability 8.0 vLLM falls back to the plain AWQ kernels, and says so; bitsandbytes
    /// gets --load-format too (required before vLLM 0.8, accepted since).
    @Test func vllmKernelNotesAndBitsandbytesLoadFormat() throws {
        var t4 = Fixtures.gpu24
        t4.computeCapability = 75
        let awq = try Export.launchConfig(F.plan(scheme: F.awq, gpu: t4, engine: F.vllm, Workload(context: 4096), checkpoint: "x/y-AWQ"), to: .vllm)
        #expect(awq.notes.contains { $0.contains("plain awq kernels, not Marlin") })
        let bnb = try Export.launchConfig(F.plan(scheme: F.bnbNF4, gpu: Fixtures.gpu24, engine: F.vllm, Workload(context: 4096)), to: .vllm)
        #expect(value(bnb, "--quantization") == "bitsandbytes")
        #expect(value(bnb, "--load-format") == "bitsandbytes")
    }

    @Test func sglangFractionDefaultsByTensorParallelSize() throws {
        let c = try Export.launchConfig(F.plan(engine: F.sglang, Workload(context: 8192, tensorParallel: 4)), to: .sglang)
        #expect(value(c, "--mem-fraction-static") == "0.85")
        #expect(value(c, "--tp-size") == "4")  // the option's own spelling; `--tp` is only an argparse prefix
    }

    @Test func llamaCppContextIsSharedBySlots() throws {
        let p = try F.plan(scheme: F.q8_0, gpu: Fixtures.gpu24, engine: F.llamaCpp, Workload(context: 8192, batch: 4, flashAttention: false))
        let c = try Export.launchConfig(p, to: .llamaCpp)
        #expect(value(c, "--ctx-size") == "32768")
        #expect(value(c, "--parallel") == "4")
        #expect(value(c, "--n-gpu-layers") == "33")
        #expect(value(c, "--flash-attn") == "off")
        #expect(!c.command.contains("--tensor-split"))
    }

    @Test func placementDrivesTensorSplit() throws {
        let p = try F.plan(scheme: F.q8_0, gpu: Fixtures.gpu24, engine: F.llamaCpp, Workload(context: 8192, pipelineParallel: 2), layers: [20, 12])
        #expect(value(try Export.launchConfig(p, to: .llamaCpp), "--tensor-split") == "20,12")
    }

    /// max_memory leaves each GPU's KV cache, activations and overhead free: capacity − everything but weights.
    @Test func maxMemoryReservesNonWeightMemory() throws {
        let e = try Fixtures.estimate(F.llama8b, gpu: Fixtures.gpu24, engine: Fixtures.transformers, Workload(context: 32768, batch: 2))
        let p = try F.plan(gpu: Fixtures.gpu24, engine: Fixtures.transformers, Workload(context: 32768, batch: 2))
        let d = e.devices[0]
        let reserve = d.bytes(.kvCache) + d.bytes(.activation) + d.bytes(.overhead) + d.bytes(.output)
        #expect(reserve.value > (Int64(4) << 30))  // 32k × 2 sequences of KV cache alone is 8 GiB
        let budgetMiB = (d.capacity - reserve).value >> 20
        let c = try Export.launchConfig(p, to: .transformers)
        #expect(c.files[0].text.contains("max_memory = {0: \"\(budgetMiB)MiB\"}"))
    }

    @Test func refusesWhatTheEngineCannotRun() throws {
        let gguf = try F.plan(scheme: F.q8_0, engine: F.vllm, Workload(context: 4096))
        #expect(throws: ExportError.self) { try Export.launchConfig(gguf, to: .vllm) }
        let bnb = try F.plan(scheme: F.bnbNF4, gpu: Fixtures.gpu24, engine: F.llamaCpp, Workload(context: 4096))
        #expect(throws: ExportError.self) { try Export.launchConfig(bnb, to: .llamaCpp) }
        let quantV = try F.plan(scheme: F.q8_0, gpu: Fixtures.gpu24, engine: F.llamaCpp, Workload(context: 4096, kvCacheType: "q8_0", flashAttention: false))
        #expect(throws: ExportError.self) { try Export.launchConfig(quantV, to: .llamaCpp) }
        let tp = try F.plan(scheme: F.q8_0, gpu: Fixtures.gpu24, engine: F.llamaCpp, Workload(context: 4096, tensorParallel: 2))
        #expect(throws: ExportError.self) { try Export.launchConfig(tp, to: .llamaCpp) }
        let pp = try F.plan(engine: F.tgi, Workload(context: 4096, pipelineParallel: 2))
        #expect(throws: ExportError.self) { try Export.launchConfig(pp, to: .tgi) }
        let mismatch = try F.plan(engine: F.vllm, Workload(context: 4096))
        #expect(throws: ExportError.engineMismatch(target: .sglang, engine: "vllm")) { try Export.launchConfig(mismatch, to: .sglang) }
    }

    @Test func notFittingIsSaidFirst() throws {
        let p = try F.plan(gpu: Fixtures.gpu24, engine: Fixtures.transformers, Workload(context: 131072, batch: 4))
        #expect(!p.fits)
        let c = try Export.launchConfig(p, to: .transformers)
        #expect(c.notes.first?.hasPrefix("warning: this configuration does not fit") == true)
    }

    @Test func ollamaUsesTheCheckpointAsWritten() throws {
        let p = try F.plan(scheme: F.q8_0, gpu: Fixtures.gpu24, engine: F.ollama, Workload(context: 4096), checkpoint: "llama3.1:8b-instruct-q8_0")
        let c = try Export.launchConfig(p, to: .ollama)
        #expect(c.files[0].text.contains("FROM llama3.1:8b-instruct-q8_0\n"))
        #expect(c.environment.first { $0.name == "OLLAMA_NUM_PARALLEL" }?.value == "1")
    }

    @Test func targetsAcceptCommonSpellings() {
        #expect(ExportTarget(loose: "llama-server") == .llamaCpp)
        #expect(ExportTarget(loose: "TGI") == .tgi)
        #expect(ExportTarget(loose: "accelerate")?.engineId == "transformers")
        #expect(ExportTarget(loose: "tensorrt") == nil)
    }

    @Test func shellQuotingKeepsArgumentsWhole() {
        let c = LaunchConfig(target: .vllm, command: ["vllm", "serve", "<a b>", "--x", "it's"], environment: [.init("K", "v w")])
        #expect(c.shellCommand == "K='v w' vllm serve '<a b>' \\\n  --x 'it'\\''s'")
    }
}
