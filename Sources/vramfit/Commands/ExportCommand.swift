import ArgumentParser
import Foundation
import VramfitCatalog
import VramfitCore

/// `vramfit export --to ENGINE`: the launch command and files for the configuration `estimate`
/// evaluates from the same options — or, when nothing was pinned and that does not fit (or with
/// `--plan`), the planner's best choice for that engine — with every memory-relevant flag taken
/// from one estimate. The choosing lives in `Catalog.exportSelection`; this type reads flags and prints.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Launch command and config files for vLLM, SGLang, TGI, llama.cpp, Ollama, transformers/accelerate or Kubernetes.",
        discussion: """
            Takes the estimate options; the engine is --to's (kubernetes/k8s: vLLM manifests). --gpus is GPUs per node.
            Without --quant, a model that does not fit as it ships is planned for (as with --plan). Exit 2 when the
            engine cannot run the configuration or a rule forbids it.
            """
    )

    @Option(help: ArgumentHelp("Engine: \(ExportTarget.allCases.map(\.rawValue).joined(separator: ", ")) (k8s = kubernetes).", valueName: "ENGINE"),
            transform: { s in
                guard let t = ExportTarget(loose: s) else {
                    throw ValidationError("--to '\(s)' is not one of \(ExportTarget.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return t
            })
    var to: ExportTarget
    @Option(name: .shortAndLong, help: "Model id, Hugging Face repo id or alias.")
    var model: String
    @Option(name: .shortAndLong, help: "GPU id or alias (rtx-4090, a100-80gb, h100, 24GB, cpu-…).")
    var gpu: String
    @OptionGroup var workload: WorkloadOptions
    @Option(help: "Nodes (vLLM on Ray): tensor parallel inside each, pipeline parallel across; --gpus is per node.")
    var nodes: Int = 1
    @Flag(help: "Let the planner choose scheme and layout for this engine even when the default fits (also: --quant any).")
    var plan = false
    /// Export's default is quality, not plan's fit: the GPUs are given, so use them for the best scheme that fits.
    @Option(help: "What the planner optimises: quality (default: the best scheme that fits on these GPUs) | fit | throughput | cost.")
    var goal: PlanGoal = .quality
    @Option(name: .customLong("host-memory"), help: ArgumentHelp("CPU RAM llama.cpp/Ollama/transformers may keep weights in when the GPUs are not enough, GiB.", valueName: "GIB"))
    var hostMemory: Double?
    @OptionGroup var catalog: CatalogOptions
    @Option(help: ArgumentHelp("Model to launch instead of the catalog's repo: a pre-quantized repo or a local path/GGUF file.", valueName: "REF"))
    var checkpoint: String?
    @Option(name: .customLong("write"), help: ArgumentHelp("Also write the files into this folder.", valueName: "DIR"))
    var writeDir: String?
    @Flag(help: "Print one JSON object: engine, command (argv), environment, files, notes.")
    var json = false

    func validate() throws {
        if nodes < 1 || nodes > 64 { throw ValidationError("--nodes must be between 1 and 64, got \(nodes)") }
        if let h = hostMemory, !(h >= 0 && h < 1e7) { throw ValidationError("--host-memory must be a size in GiB, got \(h)") }
    }

    func run() throws {
        let cat = try catalog.load()
        var query = try workload.query(model: model, gpu: gpu, engine: to.engineId)
        if let e = workload.engine {
            let id = try cat.engine(e).value.id
            if id != to.engineId { throw ExportError.engineMismatch(target: to, engine: id) }
        }
        query.engine = to.engineId
        let request = ExportRequest(query: query, target: to, nodes: Int64(nodes), usePlanner: plan, goal: goal,
                                    hostMemory: hostMemory.map { ByteCount.gib($0) }, checkpoint: checkpoint)
        let selection = try cat.exportSelection(request)
        var config = try Export.launchConfig(selection.plan, to: to)
        config.notes += selection.notes
        config.notes += selection.verdicts.map { "rule \($0)" }
        config.notes += selection.assumptions.map { "assumed: \($0)" }
        // Last guard: every flag written must be in the engine's table (catalogs/engines/flags).
        let problems = (try? FlagAudit.problems(in: config, tables: cat.flagTables)) ?? []
        config.notes += problems.map { "warning: \($0) — check the engine's documentation before running" }
        if let dir = writeDir { try write(config, to: dir) }
        print(json ? try JSONOutput.string(ExportJSON(config)) : ExportText.render(config, plan: selection.plan))
    }

    func write(_ c: LaunchConfig, to dir: String) throws {
        let url = URL(fileURLWithPath: dir)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            for f in c.files { try f.text.write(to: url.appendingPathComponent(f.name), atomically: true, encoding: .utf8) }
        } catch {
            throw CLIError("cannot write into \(dir): \(error.localizedDescription)")
        }
    }
}

/// `export --json`: `{ "engine", "command": [argv], "environment": {}, "files": {name: text}, "notes": [] }`.
struct ExportJSON: Encodable {
    var engine: String
    var command: [String]
    var environment: [String: String]
    var files: [String: String]
    var notes: [String]

    init(_ c: LaunchConfig) {
        engine = c.target.rawValue; command = c.command; notes = c.notes
        environment = Dictionary(c.environment.map { ($0.name, $0.value) }, uniquingKeysWith: { _, b in b })
        files = Dictionary(c.files.map { ($0.name, $0.text) }, uniquingKeysWith: { _, b in b })
    }
}

enum ExportText {
    static func render(_ c: LaunchConfig, plan p: ExportPlan) -> String {
        let layout = p.nodes > 1 ? "\(p.nodes) nodes × \(p.gpusPerNode)" : "\(p.gpus)"
        let parallel = p.gpus > 1 ? " · TP\(p.tensorParallel) × PP\(p.pipelineParallel)" : ""
        let verdict = p.offloadsToCPU ? "needs CPU offload" : p.fits ? "fits" : "does not fit"
        var out = ["# \(p.model.name) · \(p.scheme.id) · \(p.engine.name) \(p.engine.version) · \(layout) × \(p.gpu.name)\(parallel) · "
            + "context \(p.context) × batch \(p.batch) · \(verdict): "
            + "\(ByteFormat.binary(p.total)) of \(ByteFormat.binary(p.capacity))", c.shellCommand]
        for f in c.files { out += ["", "# --- \(f.name) ---", f.text.hasSuffix("\n") ? String(f.text.dropLast()) : f.text] }
        if !c.notes.isEmpty { out += [""] + c.notes.map { "note: \($0)" } }
        return out.joined(separator: "\n")
    }
}
