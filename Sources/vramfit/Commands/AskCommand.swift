import ArgumentParser
import VramfitCatalog
import VramfitCore

struct AskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Answer a question the way people ask it: \"will 14B AWQ fit on 24GB\".",
        discussion: """
            Examples: "can I run llama 3.1 70b q4_k_m on 2x 4090 with 32k context",
            "qwen2.5-7b fp16 on a T4?", "how much VRAM for mixtral at 8k".
            Exit 0 with an answer (yes or no), 2 when the question names nothing vramfit knows.
            """
    )
    @Argument(help: "The question, in quotes.")
    var question: String
    @OptionGroup var catalog: CatalogOptions
    @Flag(help: "Print the estimate objects as a JSON array (the estimate --json schema).")
    var json = false

    func run() throws {
        let cat = try catalog.load()
        let index = AskIndex(cat)
        let resolved = try index.resolve(QuestionParser.parse(question, index: index))
        if let gpu = resolved.gpu {
            try answerFit(resolved, gpu: gpu, catalog: cat)
        } else {
            try answerHowMuch(resolved, catalog: cat)
        }
    }

    func query(_ r: ResolvedQuestion, gpu: String) -> EstimateQuery {
        EstimateQuery(model: r.model.id, gpu: gpu, quant: r.scheme?.id, engine: r.engine?.id, gpus: r.gpuCount, workload: r.workload)
    }

    /// "Will it fit on G?": yes/no first, then the breakdown, the limits, and what to change.
    func answerFit(_ r: ResolvedQuestion, gpu: GPU, catalog cat: Catalog) throws {
        let prepared = try cat.prepare(model: r.model, gpu: gpu, query: query(r, gpu: gpu.id), notes: r.assumptions)
        let estimate = try Estimator.estimate(prepared.request)
        let advice = estimate.fits ? FitAdvice(suggestions: []) : FitAdvice.advise(prepared, catalog: cat, explicitEngine: r.engine != nil)
        if json {
            let all = [EstimateJSON(estimate, assumptions: prepared.assumptions)]
                + advice.suggestions.map { EstimateJSON($0.estimate, assumptions: ["suggestion: \($0.change)"]) }
            print(try JSONOutput.string(all))
            return
        }
        let gpus = estimate.gpus > 1 ? "\(estimate.gpus) × \(gpu.name)" : gpu.name
        let what = "\(r.model.name) (\(estimate.scheme.id), \(estimate.engine.name), \(estimate.context) tokens × \(estimate.batch))"
        if estimate.fits {
            print("Yes — \(what) fits on \(gpus): \(ByteFormat.binary(estimate.total)) of \(ByteFormat.binary(estimate.capacity)), headroom \(ByteFormat.binary(estimate.headroom)) per GPU.")
        } else {
            let why = estimate.engineRefusal ?? "needs \(ByteFormat.binary(estimate.total)), short by \(ByteFormat.binary(ByteCount(-estimate.headroom.value))) on the tightest GPU"
            print("No — \(what) does not fit on \(gpus): \(why).")
        }
        if !r.alternatives.isEmpty { print("Other models that match: \(r.alternatives.joined(separator: ", ")).") }
        print("")
        print(EstimateTable.render(estimate, assumptions: prepared.assumptions))
        if !advice.suggestions.isEmpty {
            print("")
            print("What would fit instead:")
            for s in advice.suggestions {
                print("  • \(s.change): \(ByteFormat.binary(s.estimate.total)) of \(ByteFormat.binary(s.estimate.capacity)), largest context \(s.estimate.maxContext) tokens")
            }
        } else if !estimate.fits {
            print("")
            print("Nothing in reach fits: no scheme in the catalog, up to 8 GPUs, or a shorter context.")
        }
    }

    /// "How much VRAM for M?": the least memory per GPU at which it runs, and which GPUs have it.
    func answerHowMuch(_ r: ResolvedQuestion, catalog cat: Catalog) throws {
        // The reference device decides only the CUDA context and feature checks; memory is searched.
        guard let reference = cat.gpus.first(where: { $0.id == "h100-sxm" }) ?? cat.gpus.first(where: { $0.kind == .gpu }) else {
            throw CLIError("the catalog has no GPU to size against")
        }
        let prepared = try cat.prepare(model: r.model, gpu: reference, query: query(r, gpu: reference.id), notes: r.assumptions)
        guard let (need, estimate) = MinimumMemory.perGPU(prepared.request) else {
            throw CLIError("\(r.model.name) does not fit in 64 TiB per GPU with these settings")
        }
        var fitting: [(GPU, Estimate)] = []
        for g in cat.gpus where g.kind == .gpu {
            var req = prepared.request
            req.gpu = g
            if let e = try? Estimator.estimate(req), e.fits { fitting.append((g, e)) }
        }
        fitting.sort { $0.0.usableMemory < $1.0.usableMemory }
        if json {
            print(try JSONOutput.string([EstimateJSON(estimate, assumptions: prepared.assumptions + ["minimum memory per GPU: \(need.value) bytes"])]
                + fitting.map { EstimateJSON($0.1) }))
            return
        }
        let gpus = estimate.gpus > 1 ? " per GPU over \(estimate.gpus) GPUs" : ""
        let what = "\(r.model.name) (\(estimate.scheme.id), \(estimate.engine.name), \(estimate.context) tokens × \(estimate.batch))"
        print("\(what) needs a GPU with at least \(ByteFormat.binary(need))\(gpus) (\(ByteFormat.decimal(need))).")
        print("It uses about \(ByteFormat.binary(estimate.total)) (range \(ByteFormat.binary(estimate.totalLow)) – \(ByteFormat.binary(estimate.totalHigh)))"
              + (estimate.kvCacheTokens != nil ? "; \(estimate.engine.name) then gives the rest of its memory budget to the KV cache." : "."))
        if !r.alternatives.isEmpty { print("Other models that match: \(r.alternatives.joined(separator: ", ")).") }
        if fitting.isEmpty {
            print("No GPU in the catalog holds it \(estimate.gpus > 1 ? "in \(estimate.gpus) copies" : "alone"); try a smaller scheme or more GPUs.")
        } else {
            print("Fits on: " + fitting.prefix(8).map { "\($0.0.id) (\(ByteFormat.binary($0.0.usableMemory)))" }.joined(separator: ", "))
        }
        print("")
        print(EstimateTable.render(estimate, assumptions: prepared.assumptions + ["sized against a \(reference.name) with just enough memory"]))
    }
}
