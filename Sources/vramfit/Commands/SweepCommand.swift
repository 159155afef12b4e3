import ArgumentParser
import Foundation
import VramfitCatalog
import VramfitCore

/// `vramfit sweep`: the whole catalog (or a filtered part) as a fits-matrix — every model × GPU ×
/// scheme at a few contexts. A command of its own rather than `plan --all`: `plan` answers "how do I
/// run this model", the sweep answers "what runs on this hardware", with its own output shape.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Fits-matrix of the whole catalog: every model × GPU × scheme at a few contexts (what fits on a 4090?).",
        discussion: """
            Each cell is exactly what `estimate` says for that configuration, with a rule that forbids it \
            (as `plan` applies them) and contexts beyond the model's maximum marked.
            Filters take ids, aliases, repeated flags or comma lists; --model also takes part of an id \
            (--model qwen2.5 selects every Qwen2.5 model).
            Exit 0 when something fits, 3 when nothing in the selection fits, 2 for invalid input.
            """
    )

    enum Pivot: String, ExpressibleByArgument, CaseIterable {
        /// One column per context: the best scheme that fits there.
        case context
        /// One column per scheme: the largest swept context at which it fits.
        case scheme
    }

    @Option(name: .shortAndLong, help: ArgumentHelp("GPUs to sweep (repeatable, comma list; default: every GPU in the catalog).", valueName: "GPU"))
    var gpu: [String] = []
    @Option(name: .shortAndLong, help: ArgumentHelp("Models: ids, aliases or part of an id (repeatable, comma list; default: all).", valueName: "MODEL"))
    var model: [String] = []
    @Option(name: .shortAndLong, help: ArgumentHelp("Schemes (repeatable, comma list; default: all but fp32).", valueName: "QUANT"))
    var quant: [String] = []
    @Option(name: .shortAndLong, help: ArgumentHelp("'usual' (each scheme on the engine most of its users run), 'all' (every engine that runs it) or an engine id.", valueName: "ENGINE"))
    var engine: String = "usual"
    @Option(name: [.short, .long], help: ArgumentHelp("Contexts, comma list (k = ×1024; default 4k,32k,128k).", valueName: "TOKENS"))
    var context: [String] = []
    @Option(help: "GPUs per configuration (tensor parallel for vLLM/SGLang/TGI, a layer split for the others).")
    var gpus: Int = 1
    @Option(help: "Concurrent sequences.")
    var concurrency: Int = 1
    @Option(help: "Columns of the table: 'context' (best scheme per context) or 'scheme' (largest context per scheme).")
    var by: Pivot = .context
    @Flag(name: .customLong("fits-only"), help: "Leave out what does not fit (table lines, JSON cells).")
    var fitsOnly = false
    @OptionGroup var catalog: CatalogOptions
    @Flag(help: "Print one JSON object (schema in README.md).")
    var json = false

    func validate() throws {
        if gpus < 1 || gpus > 64 { throw ValidationError("--gpus must be between 1 and 64, got \(gpus)") }
        if concurrency < 1 { throw ValidationError("--concurrency must be at least 1, got \(concurrency)") }
        _ = try contexts()
    }

    /// `--context 4k,32k --context 128k` → [4096, 32768, 131072], in the order given, duplicates dropped.
    func contexts() throws -> [Int64] {
        var out: [Int64] = []
        for item in Self.split(context) {
            let n = Int64(try parseTokens(item))
            if n < 1 || n > Estimator.maxContextLimit {
                throw ValidationError("--context \(item): must be between 1 and \(Estimator.maxContextLimit) tokens")
            }
            if !out.contains(n) { out.append(n) }
        }
        return out.isEmpty ? SweepQuery.defaultContexts : out
    }

    static func split(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func run() throws {
        let cat = try catalog.load()
        let q = try query(cat)
        let sweep = try Sweeper.run(q, catalog: cat)
        if json {
            print(SweepJSON.render(sweep, fitsOnly: fitsOnly), terminator: "")
        } else {
            print(SweepTable.render(sweep, by: by, fitsOnly: fitsOnly))
        }
        if !sweep.rows.contains(where: { $0.cells.contains { $0.status == .fits } }) { throw ExitCode(ExitCodes.nothingFits) }
    }

    func query(_ cat: Catalog) throws -> SweepQuery {
        let gpus = try Self.split(gpu).map { try cat.gpu($0).value }
        let schemes = try Self.split(quant).map { try cat.scheme($0).value }
        var models: [Model] = []
        for name in Self.split(model) {
            for m in try Self.models(matching: name, in: cat) where !models.contains(where: { $0.id == m.id }) { models.append(m) }
        }
        let engines: SweepQuery.Engines
        switch engine.lowercased() {
        case "usual": engines = .usual
        case "all", "any": engines = .all
        default: engines = .only(try cat.engine(engine).value.id)
        }
        return SweepQuery(models: models.isEmpty ? cat.models : models, gpus: gpus.isEmpty ? cat.gpus : dedup(gpus),
                          schemes: schemes.isEmpty ? SweepQuery.defaultSchemes(cat) : dedup(schemes), engines: engines, contexts: try contexts(),
                          gpusPerConfiguration: Int64(self.gpus), concurrency: Int64(concurrency))
    }

    /// An id, alias or repo id selects that model; otherwise every model whose id contains the text
    /// (`qwen2.5` → the Qwen2.5 family); otherwise the lookup's did-you-mean error.
    static func models(matching name: String, in cat: Catalog) throws -> [Model] {
        do {
            return [try cat.model(name).value]
        } catch let error as LookupError {
            let needle = Lookup.normalize(name)
            let hits = cat.models.filter { Lookup.normalize($0.id).contains(needle) || Lookup.normalize($0.name).contains(needle) }
            if hits.isEmpty || needle.isEmpty { throw error }
            return hits
        }
    }

    func dedup<T: Identifiable>(_ xs: [T]) -> [T] where T.ID == String {
        var seen = Set<String>()
        return xs.filter { seen.insert($0.id).inserted }
    }
}
