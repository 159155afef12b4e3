import ArgumentParser
import Foundation
import VramfitCatalog
import VramfitCore

/// `vramfit export --to ENGINE`: the launch command and files for the configuration `estimate`
/// evaluates from the same options, with every memory-relevant flag taken from that estimate.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Launch command and config files for vLLM, SGLang, TGI, llama.cpp, Ollama or transformers/accelerate.",
        discussion: "Takes the estimate options; the engine is --to's. Exit 2 when the engine cannot run the configuration."
    )

    @Option(help: ArgumentHelp("Engine: \(ExportTarget.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "ENGINE"),
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
    @OptionGroup var catalog: CatalogOptions
    @Option(help: ArgumentHelp("Model to launch instead of the catalog's repo: a pre-quantized repo or a local path/GGUF file.", valueName: "REF"))
    var checkpoint: String?
    @Option(name: .customLong("write"), help: ArgumentHelp("Also write the files into this folder.", valueName: "DIR"))
    var writeDir: String?
    @Flag(help: "Print one JSON object: engine, command (argv), environment, files, notes.")
    var json = false

    func run() throws {
        let cat = try catalog.load()
        let prepared = try cat.prepare(workload.query(model: model, gpu: gpu, engine: workload.engine ?? to.engineId))
        let estimate = try Estimator.estimate(prepared.request)
        let plan = try ExportPlan.from(request: prepared.request, estimate: estimate, checkpoint: checkpoint)
        var config = try Export.launchConfig(plan, to: to)
        config.notes += prepared.assumptions.map { "assumed: \($0)" }
        if let dir = writeDir { try write(config, to: dir) }
        print(json ? try JSONOutput.string(ExportJSON(config)) : ExportText.render(config, plan: plan))
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
        var out = ["# \(p.model.name) · \(p.scheme.id) · \(p.engine.name) \(p.engine.version) · \(p.gpus) × \(p.gpu.name) · "
            + "context \(p.context) × batch \(p.batch) · \(p.fits ? "fits" : "does not fit"): "
            + "\(ByteFormat.binary(p.total)) of \(ByteFormat.binary(p.capacity))", c.shellCommand]
        for f in c.files { out += ["", "# --- \(f.name) ---", f.text.hasSuffix("\n") ? String(f.text.dropLast()) : f.text] }
        if !c.notes.isEmpty { out += [""] + c.notes.map { "note: \($0)" } }
        return out.joined(separator: "\n")
    }
}
