/// What the command line adds to a log that lacks it.
public struct LogCheckOptions: Sendable {
    public var model: String?
    public var gpu: String?
    public var quant: String?
    /// Read the text as this engine's log instead of detecting it.
    public var engine: LogEngine?

    public init(model: String? = nil, gpu: String? = nil, quant: String? = nil, engine: LogEngine? = nil) {
        self.model = model; self.gpu = gpu; self.quant = quant; self.engine = engine
    }
}

/// Log text → `LogCheck`: reads the start-up, works out model, scheme, GPU and settings, runs the
/// estimator for exactly that configuration and sets every logged figure beside its prediction.
/// Pure: the catalog and the text in, a value out. Throws `LogCheckError`, `LookupError` (unknown
/// `--model`/`--gpu`/`--quant`, with did-you-mean) or `EstimateError`.
public enum LogChecker {
    public static func check(_ text: String, catalog: Catalog, options: LogCheckOptions = LogCheckOptions()) throws -> LogCheck {
        let log = try EngineLogParser.parse(text, engine: options.engine)
        return try check(log, catalog: catalog, options: options)
    }

    public static func check(_ log: EngineLog, catalog: Catalog, options: LogCheckOptions = LogCheckOptions()) throws -> LogCheck {
        var notes = log.notes
        let (model, modelSource, modelNotes) = try resolveModel(log, catalog: catalog, options: options)
        notes += modelNotes
        let (schemeID, schemeSetting) = try resolveScheme(log, catalog: catalog, options: options)
        if let s = schemeSetting, s.origin != "--quant" { notes.append("scheme \(s.value) from \(s.origin)" + (s.line.map { " (line \($0))" } ?? "")) }
        var (gpu, gpuNotes) = try resolveGPU(log, catalog: catalog, options: options)
        notes += gpuNotes
        let catalogGPU = gpu
        if log.engine == .vllm, let t = log.gpuTotal, gpu.kind == .gpu {
            // vLLM budgets from the total the driver reports; the check uses the logged one so a
            // catalog figure that is off does not show up as an error in every other row.
            gpu.usableMemory = t.value
            // Said only when the two differ as printed (the log rounds to 0.01 GiB).
            if ByteFormat.binary(t.value) != ByteFormat.binary(catalogGPU.usableMemory) {
                notes.append("capacity: the log's total GPU memory \(ByteFormat.binary(t.value)) (line \(t.line)) instead of the catalog's \(ByteFormat.binary(catalogGPU.usableMemory)) for \(catalogGPU.id)")
            }
        }
        let plan = LogWorkload.plan(log, gpu: gpu)
        notes += plan.notes
        let engine = try catalog.engine(log.engine.catalogEngine).value
        let query = EstimateQuery(model: model.id, gpu: gpu.id, quant: schemeID, engine: engine.id, workload: plan.workload,
                                  explicitTensorParallel: true, explicitPipelineParallel: true)
        let prepared = try catalog.prepare(model: model, gpu: gpu, query: query)
        let estimate = try Estimator.estimate(prepared.request)
        var settings = plan.settings
        settings.insert(schemeSetting ?? LogCheckSetting(name: "scheme", value: estimate.scheme.id, line: nil, origin: "the model's own format"), at: 0)
        let comparisons = LogComparisons.compare(log, estimate: estimate, catalogGPU: catalogGPU, model: model)
        return LogCheck(log: log, modelSource: modelSource, settings: settings, estimate: estimate,
                        assumptions: prepared.assumptions + estimate.notes, comparisons: comparisons, notes: notes)
    }

    // MARK: model

    static func resolveModel(_ log: EngineLog, catalog: Catalog, options: LogCheckOptions) throws -> (Model, String, [String]) {
        let arch = log.architecture.flatMap { $0.isEmpty ? nil : $0 }
        if let name = options.model {
            let r = try catalog.model(name)
            var notes = r.assumption.map { [$0] } ?? []
            if let a = arch, !LogModelResolver.agrees(r.value, with: a) {
                notes.append("the log's dimensions (n_embd \(a.embedding ?? 0), n_layer \(a.layers ?? 0)) differ from \(r.value.id)'s (\(r.value.hiddenSize), \(r.value.numLayers)): check --model")
            }
            return (r.value, "--model", notes)
        }
        if let printed = log.modelName {
            if let r = LogModelResolver.lookup(printed.value, in: catalog) {
                var notes = ["model \(r.value.id) for '\(printed.value)' (line \(printed.line))"]
                if let a = r.assumption { notes.append(a) }
                if let a = arch, !LogModelResolver.agrees(r.value, with: a) {
                    let built = try LogModelResolver.build(a)
                    notes.append("the catalog's \(r.value.id) has other dimensions than the log prints; using the log's")
                    return (built, "built from the log's dimensions", notes)
                }
                return (r.value, "catalog", notes)
            }
            if let a = arch {
                if let m = LogModelResolver.matchByShape(a, in: catalog) {
                    return (m, "catalog (matched by the log's dimensions)",
                            ["'\(printed.value)' is not in the catalog; \(m.id) has the dimensions the log prints (line \(a.firstLine ?? printed.line))"])
                }
                let built = try LogModelResolver.build(a)
                return (built, "built from the log's dimensions",
                        ["'\(printed.value)' is not in the catalog; model rebuilt from the dimensions the log prints (line \(a.firstLine ?? printed.line))"])
            }
            throw LogCheckError.unknownModel(name: printed.value, suggestions: LogModelResolver.suggestions(printed.value, in: catalog))
        }
        if let a = arch {
            if let m = LogModelResolver.matchByShape(a, in: catalog) {
                return (m, "catalog (matched by the log's dimensions)", ["the log names no model; \(m.id) has the dimensions it prints"])
            }
            return (try LogModelResolver.build(a), "built from the log's dimensions", ["the log names no model; rebuilt from the dimensions it prints"])
        }
        throw LogCheckError.noModel(engine: log.engine)
    }

    // MARK: scheme

    /// The scheme id and where it came from (nil: the model's own format applies).
    static func resolveScheme(_ log: EngineLog, catalog: Catalog, options: LogCheckOptions) throws -> (String?, LogCheckSetting?) {
        if let q = options.quant {
            let id = try catalog.scheme(q).value.id
            return (id, LogCheckSetting(name: "scheme", value: id, line: nil, origin: "--quant"))
        }
        func known(_ id: String, printed: String) throws -> String {
            if let s = try? catalog.scheme(id) { return s.value.id }
            throw LogCheckError.unknownScheme(printed: printed, suggestions: Lookup.suggestions(for: id, in: catalog.schemes, keys: { [$0.id, $0.name] + $0.aliases }))
        }
        switch log.engine {
        case .llamaCpp, .ollama:
            if let ft = log.fileType {
                let id = try known(LogSchemeResolver.ggufID(ft.value), printed: ft.value)
                return (id, LogCheckSetting(name: "scheme", value: id, line: ft.line, origin: "file type '\(ft.value)'"))
            }
            if let name = log.modelName, let hint = LogModelResolver.schemeHint(name.value), let id = try? known(hint, printed: name.value) {
                return (id, LogCheckSetting(name: "scheme", value: id, line: name.line, origin: "the model's name (no file type printed)"))
            }
            throw LogCheckError.unknownScheme(printed: "(no file type printed)", suggestions: ["q4_k_m", "q8_0", "gguf-f16"])
        case .vllm, .sglang:
            let method = log.settings.quantization
            let name = log.modelName
            guard let id = try LogSchemeResolver.servingID(method: method?.value, dtype: log.settings.dtype?.value, modelName: name?.value) else {
                return (nil, nil)
            }
            let resolved = try known(id, printed: method?.value ?? id)
            let hint = name.flatMap { LogModelResolver.schemeHint($0.value) }
            let origin: String
            let line: Int?
            if let m = method {
                origin = "quantization=\(m.value)" + (hint == resolved && !["awq", "awq_marlin"].contains(m.value) ? " and the name '\(name!.value)'" : "")
                line = m.line
            } else if hint == resolved, let n = name {
                origin = "the name '\(n.value)'"
                line = n.line
            } else {
                origin = "dtype \(log.settings.dtype?.value ?? "")"
                line = log.settings.dtype?.line
            }
            return (resolved, LogCheckSetting(name: "scheme", value: resolved, line: line, origin: origin))
        }
    }

    // MARK: GPU

    static func resolveGPU(_ log: EngineLog, catalog: Catalog, options: LogCheckOptions) throws -> (GPU, [String]) {
        if let g = options.gpu {
            let r = try catalog.gpu(g)
            return (r.value, r.assumption.map { [$0] } ?? [])
        }
        var notes: [String] = []
        for name in log.gpuNames {
            if let g = LogGPUResolver.byName(name.value, in: catalog, total: log.gpuTotal?.value) {
                return (g, ["GPU \(g.id) for '\(name.value)' (line \(name.line))"])
            }
        }
        if let first = log.gpuNames.first { notes.append("'\(first.value)' (line \(first.line)) is not in the GPU catalog") }
        if let t = log.gpuTotal {
            let hits = LogGPUResolver.byTotal(t.value, in: catalog)
            if let g = hits.first {
                let also = hits.dropFirst().prefix(3).map(\.id)
                notes.append("assumed \(g.id) from the total memory \(ByteFormat.binary(t.value)) (line \(t.line))" + (also.isEmpty ? "" : "; also: \(also.joined(separator: ", "))") + " (--gpu to say)")
                return (g, notes)
            }
        }
        if let f = log.gpuFreeAtStart {
            let hits = LogGPUResolver.byFreeMemory(f.value, in: catalog)
            if let g = hits.first {
                let also = hits.dropFirst().prefix(3).map(\.id)
                notes.append("assumed \(g.id): the smallest catalog GPU with the \(ByteFormat.binary(f.value)) free before loading (line \(f.line))" + (also.isEmpty ? "" : "; also: \(also.joined(separator: ", "))") + " (--gpu to say)")
                return (g, notes)
            }
        }
        if log.engine == .llamaCpp || log.engine == .ollama {
            let buffers = log.figures.filter { $0.kind == .modelBuffer }
            if !buffers.isEmpty, buffers.allSatisfy(\.isHostBuffer), log.gpuNames.isEmpty, let cpu = catalog.gpus.first(where: { $0.kind == .cpu }) {
                notes.append("no GPU buffers in the log: a CPU run, checked as \(cpu.id) (--gpu to say)")
                return (cpu, notes)
            }
        }
        throw LogCheckError.noGPU(engine: log.engine)
    }
}
