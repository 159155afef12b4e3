import Testing
import VramfitCore
@testable import VramfitCatalog

/// How `export` picks what to write, on the built-in catalog: the estimate's configuration when it
/// fits or was pinned, the planner's when nothing was pinned and it does not fit, nodes for vLLM
/// when one is not enough, CPU offload for engines that split layers, and the rules' verdicts.
@Suite struct ExportSelectionTests {
    static let catalog: Catalog = (try? CatalogLoader.builtIn()) ?? Catalog()

    func select(_ target: ExportTarget, _ model: String, _ gpu: String, quant: String? = nil, gpus: Int64? = nil, nodes: Int64 = 1,
                tp: Int64? = nil, context: Int64? = nil, plan: Bool = false) throws -> ExportSelection {
        let w = Workload(context: context, tensorParallel: tp ?? 1)
        let q = EstimateQuery(model: model, gpu: gpu, quant: quant, gpus: gpus, workload: w, explicitTensorParallel: tp != nil)
        return try Self.catalog.exportSelection(ExportRequest(query: q, target: target, nodes: nodes, usePlanner: plan, goal: .quality))
    }

    @Test func whatFitsIsWrittenAsEstimated() throws {
        let s = try select(.vllm, "llama-3.1-8b", "h100-sxm")
        #expect(s.plan.scheme.id == "bf16" && s.plan.fits && s.plan.gpus == 1)
        #expect(s.plan.context == 131072)  // vLLM's default: the model's maximum, as estimate takes it
        #expect(!s.notes.contains { $0.contains("planner") })
    }

    /// The headline case: Qwen2.5-72B (145 GB in bf16) on 2 × A100 40GB. bf16 cannot fit; the
    /// planner picks AWQ with tensor parallel 2, and the published AWQ checkpoint is launched.
    @Test func notFittingAndNotPinnedIsPlanned() throws {
        let s = try select(.vllm, "Qwen/Qwen2.5-72B-Instruct", "a100-40gb", gpus: 2)
        #expect(s.plan.scheme.id == "awq")
        #expect(s.plan.tensorParallel == 2 && s.plan.pipelineParallel == 1)
        #expect(s.plan.fits && s.plan.context == 8192)
        #expect(s.notes.first?.contains("bf16 (the model's own) does not fit") == true)
        #expect(s.notes.contains { $0.contains("chosen by the planner") })
        let c = try Export.launchConfig(s.plan, to: .vllm)
        #expect(c.command.prefix(3) == ["vllm", "serve", "Qwen/Qwen2.5-72B-Instruct-AWQ"])
        #expect(!c.command.contains("--quantization"))  // read from the checkpoint's config; awq_marlin on sm80+
    }

    @Test func aPinnedLayoutIsNotReplanned() throws {
        let s = try select(.vllm, "Qwen/Qwen2.5-72B-Instruct", "a100-40gb", quant: "bf16", gpus: 2, tp: 2)
        #expect(s.plan.scheme.id == "bf16" && !s.plan.fits)
        #expect(!s.notes.contains { $0.contains("chosen by the planner") })
    }

    /// Llama-3.1-405B in bf16 needs two nodes of 8 × H100: TP 8 inside each, PP 2 across.
    @Test func vllmGrowsToTheNodesItNeeds() throws {
        let s = try select(.kubernetes, "llama-3.1-405b", "h100-sxm", quant: "bf16", gpus: 8)
        #expect(s.plan.nodes == 2 && s.plan.tensorParallel == 8 && s.plan.pipelineParallel == 2 && s.plan.fits)
        let c = try Export.launchConfig(s.plan, to: .kubernetes)
        #expect(c.files.first?.name == "vllm-lws.yaml")
    }

    /// Mixtral 8x7B at Q4_K_M (~26 GiB) on a 24 GiB card: attention and the KV cache stay on the
    /// GPU, the routed experts of the last layers go to CPU RAM with --override-tensor.
    @Test func layerSplittingEnginesOffloadWhatDoesNotFit() throws {
        let s = try select(.llamaCpp, "mixtral-8x7b", "rtx-4090", quant: "q4_k_m", context: 4096)
        let map = try #require(s.plan.deviceMap)
        #expect(!map.expertLayersOnCPU.isEmpty && map.offloaded > .zero)
        #expect(s.verdicts.contains { $0.ruleId == "cpu-offload-offline-only" })
        let c = try Export.launchConfig(s.plan, to: .llamaCpp)
        #expect(c.command.contains("--override-tensor"))
        #expect(c.notes.first?.hasPrefix("warning: does not fit on the GPUs alone") == true)
    }

    @Test func forbiddingRulesRefuse() throws {
        // TGI's fp8 path needs FP8 tensor cores (sm89+); an A100 is 8.0.
        #expect(throws: ExportError.self) { try select(.tgi, "llama-3.1-8b", "a100-80gb", quant: "fp8") }
        // Tensor parallel 16 over two nodes of 8 would put its all-reduces on the network.
        #expect(throws: ExportError.self) { try select(.kubernetes, "llama-3.1-405b", "h100-sxm", quant: "bf16", gpus: 8, nodes: 2, tp: 16) }
    }
}
