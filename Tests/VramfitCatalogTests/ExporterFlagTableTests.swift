import Testing
import VramfitCore
@testable import VramfitCatalog

/// Every exporter's output, read the way its engine reads it, against the built-in flag tables
/// (catalogs/engines/flags: each engine's spellings with the release and source they were checked
/// in). A flag that is misspelled, renamed upstream or given a value the engine has no choice for
/// fails here. The configurations cover each flag an exporter can write.
@Suite struct ExporterFlagTableTests {
    static let catalog: Catalog = (try? CatalogLoader.builtIn()) ?? Catalog()

    struct Case: Sendable, CustomStringConvertible {
        var target: ExportTarget
        var model: String
        var gpu: String
        var quant: String?
        var gpus: Int64? = nil
        var nodes: Int64 = 1
        var tp: Int64? = nil
        var pp: Int64? = nil
        var context: Int64? = 8192
        var batch: Int64 = 1
        var kv: String? = nil
        var settings: [String: Double] = [:]
        var plan = false
        var description: String { "\(target.rawValue) \(model) \(quant ?? "-") on \(gpus ?? 1)×\(nodes) \(gpu) tp\(tp ?? 0) pp\(pp ?? 0) kv \(kv ?? "-")" }
    }

    static let cases: [Case] = [
        Case(target: .vllm, model: "qwen2.5-7b", gpu: "rtx-4090", quant: "awq", context: 16384, batch: 4),
        Case(target: .vllm, model: "llama-3.1-8b", gpu: "h100-sxm", quant: "bf16", gpus: 2, kv: "fp8", settings: ["max_num_batched_tokens": 4096]),
        Case(target: .vllm, model: "llama-3.1-8b", gpu: "rtx-4090", quant: "bnb-nf4"),
        Case(target: .vllm, model: "llama-3.1-8b", gpu: "a100-80gb", quant: "fp8"),
        Case(target: .vllm, model: "llama-3.1-8b", gpu: "h100-sxm", quant: "bf16", gpus: 2, tp: 1, pp: 2),
        Case(target: .vllm, model: "Qwen/Qwen2.5-72B-Instruct", gpu: "a100-40gb", quant: nil, gpus: 2),
        Case(target: .vllm, model: "llama-3.1-405b", gpu: "h100-sxm", quant: "bf16", gpus: 8, nodes: 2),
        Case(target: .kubernetes, model: "llama-3.1-405b", gpu: "h100-sxm", quant: "bf16", gpus: 8),
        Case(target: .kubernetes, model: "qwen2.5-14b", gpu: "rtx-4090", quant: "awq", context: 32768),
        Case(target: .sglang, model: "llama-3.1-8b", gpu: "h100-sxm", quant: "fp8", gpus: 2, batch: 16, kv: "fp8"),
        Case(target: .sglang, model: "llama-3.1-8b", gpu: "h100-sxm", quant: "bf16", gpus: 2, tp: 1, pp: 2, settings: ["chunked_prefill_size": 4096]),
        Case(target: .tgi, model: "llama-3.1-8b", gpu: "h100-sxm", quant: "bf16", gpus: 2, batch: 4, kv: "fp8"),
        Case(target: .tgi, model: "llama-3.1-8b", gpu: "h100-sxm", quant: "fp8"),
        Case(target: .llamaCpp, model: "llama-3.1-8b", gpu: "rtx-4090", quant: "q4_k_m", batch: 2),
        Case(target: .llamaCpp, model: "llama-3.1-8b", gpu: "rtx-3090", quant: "q8_0", gpus: 2, kv: "q8_0"),
        Case(target: .llamaCpp, model: "mixtral-8x7b", gpu: "rtx-4090", quant: "q4_k_m", context: 4096),
        Case(target: .llamaCpp, model: "Qwen/Qwen2.5-72B-Instruct", gpu: "a100-40gb", quant: nil, gpus: 2),
        Case(target: .ollama, model: "llama-3.1-8b", gpu: "rtx-4090", quant: "q4_k_m", batch: 2, kv: "q8_0", settings: ["flash_attention": 1]),
        Case(target: .ollama, model: "mixtral-8x7b", gpu: "rtx-4090", quant: "q4_k_m", context: 4096),
        Case(target: .transformers, model: "llama-3.1-8b", gpu: "rtx-4090", quant: "bnb-nf4-dq", batch: 2),
        Case(target: .transformers, model: "llama-3.1-8b", gpu: "rtx-3060", quant: "bnb-int8", context: 32768),
        Case(target: .transformers, model: "qwen2.5-7b", gpu: "rtx-4090", quant: "int8"),
        Case(target: .transformers, model: "Qwen/Qwen2.5-72B-Instruct", gpu: "a100-40gb", quant: nil, gpus: 2),
        Case(target: .accelerate, model: "llama-3.1-8b", gpu: "rtx-3090", quant: "bf16", gpus: 2),
        Case(target: .accelerate, model: "llama-3.1-8b", gpu: "rtx-3060", quant: "bf16"),
    ]

    static func config(_ c: Case) throws -> (LaunchConfig, ExportSelection) {
        let w = Workload(context: c.context, batch: c.batch, kvCacheType: c.kv, tensorParallel: c.tp ?? 1, pipelineParallel: c.pp ?? 1,
                         engineSettings: c.settings)
        let q = EstimateQuery(model: c.model, gpu: c.gpu, quant: c.quant, engine: c.target.engineId, gpus: c.gpus, workload: w,
                              explicitTensorParallel: c.tp != nil, explicitPipelineParallel: c.pp != nil)
        let s = try catalog.exportSelection(ExportRequest(query: q, target: c.target, nodes: c.nodes, usePlanner: c.plan, goal: .quality))
        return (try Export.launchConfig(s.plan, to: c.target), s)
    }

    @Test(arguments: cases)
    func everyFlagIsTheEnginesOwn(_ c: Case) throws {
        let (config, _) = try Self.config(c)
        let problems = try FlagAudit.problems(in: config, tables: Self.catalog.flagTables)
        #expect(problems.isEmpty, "\(c): \(problems)")
    }

    /// The audit is not vacuous: drop one spelling from vLLM's table and the TP 2 export fails it.
    @Test func aMissingSpellingIsCaught() throws {
        let (config, _) = try Self.config(Self.cases[1])
        #expect(config.command.contains("--tensor-parallel-size"))
        var tables = Self.catalog.flagTables
        let i = try #require(tables.firstIndex { $0.id == "vllm-serve" })
        tables[i].flags.removeAll { $0.name == "--tensor-parallel-size" }
        let problems = try FlagAudit.problems(in: config, tables: tables)
        // The command line, the config file and the compose service each carry it.
        #expect(problems.filter { $0.token == "--tensor-parallel-size" }.count == 3, "\(problems)")
    }
}
