import ArgumentParser
import Foundation
import VramfitCatalog
import VramfitCore

/// `--model PATH` and `catalog import PATH`: a model on disk instead of a catalog id. Read
/// failures become CLIError so the contract holds: exit 2 with the file named.
enum LocalModelCLI {
    static func load(_ path: String) throws -> LocalModel {
        do { return try ModelFiles.load(path) } catch let e as ModelFileFailure { throw CLIError("\(e)") }
    }

    /// A prepared estimate for `query.model` when it names an existing file or folder; nil otherwise
    /// (then it is a catalog id). The checkpoint's own scheme is the default; when the estimate's
    /// scheme is that scheme, the weights are the tensor headers' exact bytes.
    static func prepareIfLocal(_ catalog: Catalog, _ query: EstimateQuery) throws -> PreparedEstimate? {
        let path = query.model
        guard path.contains("/") || path.hasSuffix(".gguf") || path.hasSuffix(".json") || path == ".", ModelFiles.exists(path) else { return nil }
        let local = try load(path)
        var q = query
        if q.quant == nil, let s = local.schemeId { q.quant = s }
        let gpu = try catalog.gpu(q.gpu)
        var notes = local.notes.map { "\(local.model.id): \($0)" }
        if let a = gpu.assumption { notes.append(a) }
        var prepared = try catalog.prepare(model: local.model, gpu: gpu.value, query: q, notes: notes)
        let r = prepared.request
        guard let exact = local.exactWeights, exact.total > 0 else {
            prepared.assumptions.append("weights from the formula: no safetensors or GGUF tensors next to \(path)")
            return prepared
        }
        let fileScheme = local.schemeId ?? (local.model.dtype == .fp32 ? "fp32" : local.model.dtype == .fp16 ? "fp16" : "bf16")
        guard r.scheme.id == fileScheme || (local.schemeId == nil && ["bf16", "fp16"].contains(r.scheme.id) && ["bf16", "fp16"].contains(fileScheme)) else {
            prepared.assumptions.append("weights from the formula: the files hold \(fileScheme), the estimate is for \(r.scheme.id)")
            return prepared
        }
        let formula = WeightBreakdown(model: r.model, scheme: r.scheme, engine: r.engine.id).total
        prepared.request.exactWeights = ByteCount(exact.total)
        prepared.assumptions.append(differenceNote(exact: exact, formula: formula))
        return prepared
    }

    static func differenceNote(exact: TensorTotals, formula: ByteCount) -> String {
        let d = exact.total - formula.value
        let pct = formula.value > 0 ? Double(d) / Double(formula.value) * 100 : 0
        let sign = d >= 0 ? "+" : "−"
        let dtypes = exact.byDType.sorted { $0.value > $1.value }.map { "\($0.key) \(ByteFormat.binary(ByteCount($0.value)))" }.joined(separator: ", ")
        return "weights: exact \(ByteFormat.binary(ByteCount(exact.total))) from \(exact.tensorCount) tensors (\(dtypes)); "
            + "formula \(ByteFormat.binary(formula)), difference \(sign)\(ByteFormat.binary(ByteCount(abs(d)))) (\(sign)\(String(format: "%.2f", abs(pct))) %)"
    }
}

extension CatalogCommand {
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Print the catalog YAML entry for a model on disk (config.json, a model folder, or a .gguf).",
            discussion: "Save the output under a folder and pass it with --catalog. Exit 2 when a file cannot be read.")
        @Argument(help: "config.json, a folder with config.json (and safetensors), or a .gguf file.")
        var path: String
        @Option(help: "Catalog id for the entry (default: from the repo name or GGUF general.name).")
        var id: String?

        func run() throws {
            var local = try LocalModelCLI.load(path)
            if let id { local.model.id = id }
            var header = ["# imported from \(local.files.joined(separator: ", ")) by vramfit catalog import"]
            if let s = local.schemeId { header.append("# checkpoint scheme: \(s) (use --quant \(s))") }
            if let w = local.exactWeights { header.append("# exact weights: \(w.total) bytes in \(w.tensorCount) tensors") }
            header += local.notes.map { "# note: \($0)" }
            print(header.joined(separator: "\n"))
            print(ModelYAMLWriter.entry(local.model), terminator: "")
        }
    }
}
