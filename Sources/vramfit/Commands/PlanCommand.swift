import ArgumentParser
import Foundation
import VramfitCatalog
import VramfitCore

/// `vramfit plan`: every scheme × engine × tensor/pipeline layout for a model on a GPU, filtered
/// by the rules and the memory estimate, ranked for a goal.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Search schemes × engines × tensor/pipeline parallel sizes; rank what fits and no rule forbids.",
        discussion: """
            Exit 0 with a plan (on the GPUs, or with CPU offload within --host-memory); 3 when nothing fits that no rule \
            forbids (the output still says what was dropped and why, and --report still writes the page); 2 for invalid input.
            """
    )

    @Option(name: .shortAndLong, help: "Model id, Hugging Face repo id or alias.")
    var model: String
    @Option(name: .shortAndLong, help: "GPU id or alias.")
    var gpu: String
    @Option(help: "GPUs per node.")
    var gpus: Int = 1
    @Option(help: "Nodes available (when they are not enough, the plan says how many are needed).")
    var nodes: Int = 1
    @Option(name: [.short, .long], help: "Tokens per sequence (default 8192, capped at the model's maximum; k = ×1024).", transform: parseTokens)
    var context: Int?
    @Option(help: "Concurrent sequences.")
    var concurrency: Int = 1
    @Option(name: .shortAndLong, help: "Engine id, or 'any'.")
    var engine: String = "any"
    @Option(name: .shortAndLong, help: "Quantization scheme id, or 'any'.")
    var quant: String = "any"
    @Option(name: .customLong("kv-cache-dtype"), help: "KV-cache type for every candidate (default: each engine's own).")
    var kvCacheDtype: String?
    @Option(help: "fit | quality | throughput | cost.")
    var goal: PlanGoal = .fit
    @Option(help: "Candidates to show.")
    var top: Int = 5
    @Option(name: .customLong("with"), help: ArgumentHelp("Another GPU in the same box for the device map, e.g. --gpu rtx-3090 --with rtx-3060 (repeatable).", valueName: "GPU"))
    var withGPUs: [String] = []
    @Option(name: .customLong("host-memory"), help: ArgumentHelp("CPU RAM the device map may offload weights to, GiB.", valueName: "GIB"))
    var hostMemory: Double?
    @Flag(name: .customLong("device-map"), help: "Always show the device map (accelerate device_map/max_memory, llama.cpp -ngl/--tensor-split/-ot).")
    var showDeviceMap = false
    @Option(help: ArgumentHelp("Also write a self-contained HTML page: an SVG chart of #1's memory per device against capacity, the ranked candidates and why each lost, what was dropped and by which rule.", valueName: "FILE.html"))
    var report: String?
    @Flag(inversion: .prefixedNo, help: "Draw #1's breakdown as stacked bars per device (coloured only on a terminal with NO_COLOR unset).")
    var chart = true
    @OptionGroup var catalog: CatalogOptions
    @Flag(help: "Print one JSON object (schema in README.md).")
    var json = false

    func validate() throws {
        if gpus < 1 { throw ValidationError("--gpus must be at least 1, got \(gpus)") }
        if nodes < 1 { throw ValidationError("--nodes must be at least 1, got \(nodes)") }
        if concurrency < 1 { throw ValidationError("--concurrency must be at least 1, got \(concurrency)") }
        if let c = context, c < 1 { throw ValidationError("--context must be at least 1 token, got \(c)") }
        if top < 1 { throw ValidationError("--top must be at least 1, got \(top)") }
        if let h = hostMemory, !(h >= 0 && h < 1e7) { throw ValidationError("--host-memory must be a size in GiB, got \(h)") }
        if let r = report, r.isEmpty { throw ValidationError("--report needs a file name, e.g. plan.html") }
    }

    func run() throws {
        let cat = try catalog.load()
        let m = try cat.model(model), g = try cat.gpu(gpu)
        func any(_ s: String) -> String? { s.lowercased() == "any" ? nil : s }
        let q = PlanQuery(model: m.value, gpu: g.value, gpusPerNode: Int64(gpus), nodes: Int64(nodes),
                          context: context.map(Int64.init), concurrency: Int64(concurrency), engine: any(engine),
                          quant: any(quant), kvCacheType: kvCacheDtype, goal: goal)
        if let e = any(engine) { _ = try cat.engine(e) }
        let plan = try Planner.plan(q, catalog: cat)
        let assumptions = [m.assumption, g.assumption].compactMap { $0 }
        let extra = try withGPUs.map { try cat.gpu($0).value }
        let host = hostMemory.map { ByteCount.gib($0) }
        var map = try Planner.deviceMap(for: plan, catalog: cat, extraGPUs: extra, hostMemory: host)
        // A one-GPU map says nothing: shown when asked, when other GPUs or host memory are given,
        // when layers are split over several GPUs, or when only offload could run it.
        if let mm = map, !(showDeviceMap || !extra.isEmpty || host != nil || mm.gpus.count > 1 || mm.candidateRank == nil) { map = nil }
        if let report {
            let html = PlanReport.html(plan, deviceMap: map, assumptions: assumptions, top: max(top, 10))
            do {
                try html.write(toFile: report, atomically: true, encoding: .utf8)
            } catch {
                throw CLIError("cannot write the report to \(report): \(error.localizedDescription)")
            }
        }
        if json {
            print(try JSONOutput.string(PlanJSON(plan, top: top, assumptions: assumptions, deviceMap: map)))
        } else {
            print(PlanTable.render(plan, top: top, assumptions: assumptions, chart: chart, color: TerminalColor.enabled))
            if let map { print("\n" + DeviceMapText.render(map)) }
            if let report { print("\nreport: \(report)") }
        }
        // Nothing fits on the GPUs and no CPU-offload placement fits the --host-memory given.
        if plan.candidates.isEmpty && !(map.map(Self.offloadFits) ?? false) { throw ExitCode(ExitCodes.nothingFits) }
    }
}

extension PlanCommand {
    /// A device map that spills to CPU RAM runs (slowly) when every GPU holds its share and the
    /// host memory given with --host-memory holds the rest; without --host-memory nobody knows.
    static func offloadFits(_ m: PlannedDeviceMap) -> Bool {
        m.map.devices.allSatisfy { d in d.gpu != nil ? d.total <= d.capacity : d.capacity > .zero && d.weights <= d.capacity }
    }
}

extension PlanGoal: ExpressibleByArgument {}
