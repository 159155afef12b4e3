import ArgumentParser
import Foundation
import VramfitCatalog
import VramfitCore

struct EstimateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estimate",
        abstract: "Memory per component and device for a model × scheme × GPU × engine × workload.",
        discussion: "Exit 0 with an answer (fits or not); with --check, exit 1 when it does not fit; 2 for invalid input."
    )

    @Option(name: .shortAndLong, help: "Model id, Hugging Face repo id or alias, or a path to config.json, a model folder or a .gguf.")
    var model: String
    @Option(name: .shortAndLong, help: "GPU id or alias (rtx-4090, a100-80gb, h100, 24GB, cpu-…).")
    var gpu: String
    @OptionGroup var workload: WorkloadOptions
    @OptionGroup var catalog: CatalogOptions
    @Flag(help: "Print one JSON object (the stable schema in README.md).")
    var json = false
    @Flag(help: "Exit 1 when it does not fit (for scripts: vramfit estimate … --check && deploy).")
    var check = false
    @Flag(inversion: .prefixedNo, help: "Draw the breakdown as stacked bars per device (coloured only on a terminal with NO_COLOR unset).")
    var chart = true

    func run() throws {
        let cat = try catalog.load()
        let q = try query()
        // A path to a model on disk (config.json, folder, .gguf) instead of a catalog id.
        let prepared = try LocalModelCLI.prepareIfLocal(cat, q) ?? cat.prepare(q)
        let estimate = try Estimator.estimate(prepared.request)
        if json {
            print(try JSONOutput.string(EstimateJSON(estimate, assumptions: prepared.assumptions)))
        } else {
            let bars = chart ? TerminalChart.render(BreakdownChart.bars(estimate), color: TerminalColor.enabled) : []
            print(EstimateTable.render(estimate, assumptions: prepared.assumptions, chart: bars))
        }
        if check && !estimate.fits { throw ExitCode(1) }
    }

    func query() throws -> EstimateQuery {
        let w = workload
        let work = Workload(
            context: w.context.map(Int64.init), batch: Int64(w.batch), newTokens: Int64(w.newTokens),
            kvCacheType: w.kvCacheDtype, flashAttention: w.flashAttention.map { $0 == .on },
            gpuMemoryUtilization: w.gpuMemoryUtilization, tensorParallel: Int64(w.tensorParallel ?? 1),
            pipelineParallel: Int64(w.pipelineParallel ?? 1), engineVersion: w.engineVersion,
            engineSettings: try w.parsedSettings())
        return EstimateQuery(model: model, gpu: gpu, quant: w.quant, engine: w.engine, gpus: w.gpus.map(Int64.init), workload: work,
                             explicitTensorParallel: w.tensorParallel != nil, explicitPipelineParallel: w.pipelineParallel != nil)
    }
}
