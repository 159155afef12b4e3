import Dispatch

/// Runs a `SweepQuery`: every model × scheme × engine × GPU × context, through the same
/// `Resolved.evaluate` that `estimate` uses, so each cell's verdict is the single estimate's.
///
/// Speed comes from doing each piece of work at the level it depends on: the engines of each
/// scheme on each GPU once per sweep; the tensor inventory once per model; weight bytes per tensor,
/// the device layout and the per-stage sums (`PreparedWeights`) once per model × scheme × engine,
/// reused over every GPU and context; engine settings, KV type and rules once per model × scheme ×
/// engine × GPU; and only the engine's memory model (KV cache, activations, budget) per context.
/// No largest-context bisection is run: the matrix's columns are the answer. Models are independent,
/// so they run on all cores (`parallel`); the rows come back in the same order either way.
public enum Sweeper {
    /// `reuseWeights: false` recomputes the weights for every GPU, as one estimate per cell would;
    /// only the benchmark uses it, to show what the reuse saves. `parallel: false` runs on the
    /// calling thread alone (the benchmark's single-core figure); the answer is the same.
    public static func run(_ q: SweepQuery, catalog: Catalog, reuseWeights: Bool = true, parallel: Bool = true) throws -> Sweep {
        try validate(q)
        // Engines per scheme per GPU: `usual` depends on the device kind (llama.cpp for GGUF on a Mac).
        // Worked out before any model, in the order the loops below would first ask, so an error is
        // the one the first configuration meets; none is looked up when no model is selected.
        var engines: [[[Engine]]] = []
        if !q.models.isEmpty {
            var byKind: [String: [Engine]] = [:]
            for s in q.schemes {
                var row: [[Engine]] = []
                for g in q.gpus {
                    let key = "\(s.id)|\(g.kind.rawValue)"
                    if let hit = byKind[key] { row.append(hit); continue }
                    let list: [Engine]
                    switch q.engines {
                    case .usual: list = [try catalog.defaultEngine(for: s, gpu: g)]
                    case .all: list = s.engines.compactMap { id in catalog.engines.first { $0.id == id } }
                    case .only(let name):
                        let e = try catalog.engine(name).value
                        list = s.engines.contains(e.id) ? [e] : []
                    }
                    byKind[key] = list
                    row.append(list)
                }
                engines.append(row)
            }
        }

        // One model's rows, bucketed by GPU: the matrix is GPU-major (one block per GPU), and within
        // a GPU model, scheme and engine keep the catalog's order.
        let models = q.models.count, gpus = q.gpus.count
        let table = engines
        let work: @Sendable (Int) -> [[Sweep.Row]] = { mi in
            sweep(model: mi, q, catalog: catalog, engines: table, reuseWeights: reuseWeights)
        }
        var perModel: [[[Sweep.Row]]]
        if parallel && models > 1 {
            let slots = UnsafeMutableBufferPointer<[[Sweep.Row]]>.allocate(capacity: models)
            slots.initialize(repeating: [])
            defer { slots.deinitialize(); slots.deallocate() }
            // Each iteration writes only its own slot, and the call returns after every iteration has.
            nonisolated(unsafe) let out = slots
            DispatchQueue.concurrentPerform(iterations: models) { mi in out[mi] = work(mi) }
            perModel = Array(slots)
        } else {
            perModel = (0..<models).map(work)
        }
        var rows: [Sweep.Row] = []
        rows.reserveCapacity(perModel.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } })
        for gi in 0..<gpus {
            for mi in 0..<models { rows += perModel[mi][gi] }
        }
        return Sweep(query: q, rows: rows)
    }

    /// Every row of model `mi`, one array per GPU (the query's GPU order).
    static func sweep(model mi: Int, _ q: SweepQuery, catalog: Catalog, engines: [[[Engine]]], reuseWeights: Bool) -> [[Sweep.Row]] {
        let n = q.gpusPerConfiguration
        let model = q.models[mi]
        let tensors = TensorInventory.tensors(of: model)
        var out = Array(repeating: [Sweep.Row](), count: q.gpus.count)
        for (si, scheme) in q.schemes.enumerated() {
            var prepared: [String: PreparedWeights] = [:]
            for (gi, gpu) in q.gpus.enumerated() {
                for engine in engines[si][gi] {
                    let splits = engine.memoryModel.splitsLayers
                    let tp = splits ? 1 : n, pp = splits ? n : 1
                    let granularity = engine.settings(version: nil)?.allocationGranularity ?? 1
                    let p: PreparedWeights?
                    if !reuseWeights { p = nil } else if let hit = prepared[engine.id] { p = hit } else {
                        p = PreparedWeights(model: model, scheme: scheme, engine: engine, granularity: granularity,
                                            tensorParallel: tp, pipelineParallel: pp, tensors: tensors)
                        prepared[engine.id] = p
                    }
                    out[gi].append(row(q, catalog: catalog, model: (mi, model), gpu: (gi, gpu), scheme: (si, scheme),
                                       engine: engine, tp: tp, pp: pp, prepared: p))
                }
            }
        }
        return out
    }

    static func validate(_ q: SweepQuery) throws {
        func bad(_ f: String, _ v: Int64, _ why: String) -> EstimateError { .invalid(field: f, value: "\(v)", reason: why) }
        if q.contexts.isEmpty { throw EstimateError.invalid(field: "contexts", value: "", reason: "give at least one context") }
        for c in q.contexts where c < 1 || c > Estimator.maxContextLimit {
            throw bad("context", c, "must be between 1 and \(Estimator.maxContextLimit) tokens")
        }
        if q.concurrency < 1 || q.concurrency > Estimator.maxBatchLimit {
            throw bad("concurrency", q.concurrency, "must be between 1 and \(Estimator.maxBatchLimit)")
        }
        if q.gpusPerConfiguration < 1 || q.gpusPerConfiguration > 64 { throw bad("gpus", q.gpusPerConfiguration, "must be between 1 and 64") }
    }

    static func row(_ q: SweepQuery, catalog: Catalog, model: (Int, Model), gpu: (Int, GPU), scheme: (Int, QuantScheme),
                    engine: Engine, tp: Int64, pp: Int64, prepared: PreparedWeights?) -> Sweep.Row {
        let (m, g, s) = (model.1, gpu.1, scheme.1)
        var row = Sweep.Row(model: model.0, gpu: gpu.0, scheme: scheme.0, engine: engine, tensorParallel: tp, pipelineParallel: pp,
                            kvCacheType: nil, verdicts: [], invalid: nil, cells: [])
        func rules(kv: String) -> [Verdict] {
            catalog.rules.evaluate(RuleSubject(model: m, scheme: s, engine: engine, gpu: g, kvCache: kv,
                                               tensorParallel: tp, pipelineParallel: pp, nodes: 1, gpusPerNode: tp * pp))
        }
        func invalid(_ why: String) -> Sweep.Row {
            var r = row
            r.verdicts = rules(kv: "auto")
            r.invalid = why
            r.cells = q.contexts.map { Sweep.Cell(context: $0, status: .invalid, memoryFits: false, totals: .init(), refusal: nil) }
            return r
        }
        if g.kind != .gpu && tp * pp > 1 { return invalid("\(g.name) is a single host memory pool, not \(tp * pp) GPUs") }
        let w = Workload(context: q.contexts[0], batch: q.concurrency, tensorParallel: tp, pipelineParallel: pp)
        let resolved: Resolved
        do {
            resolved = try Resolved(EstimateRequest(model: m, scheme: s, gpu: g, engine: engine, kvCacheTypes: catalog.kvCacheTypes,
                                                    workload: w), prepared: prepared)
        } catch {
            return invalid("\(error)")
        }
        row.kvCacheType = resolved.kvType.id
        row.verdicts = rules(kv: resolved.kvType.id)
        let forbidden = row.verdicts.forbidding != nil
        row.cells.reserveCapacity(q.contexts.count)
        for c in q.contexts {
            let e = resolved.evaluate(context: c, batch: q.concurrency)
            let fits = resolved.fits(e)
            let status: Sweep.Status = forbidden ? .forbidden : c > m.maxContext ? .beyondMaxContext : fits ? .fits : .doesNotFit
            row.cells.append(Sweep.Cell(context: c, status: status, memoryFits: fits, totals: totals(e), refusal: e.refusal))
        }
        return row
    }

    static func totals(_ e: Resolved.Evaluation) -> Sweep.Totals {
        var t = Sweep.Totals()
        var tightest: ByteCount?
        for d in e.devices where d.isAccelerator {
            var sum = ByteCount.zero
            for c in d.components {
                sum += c.bytes
                switch c.kind {
                case .weights: t.weights += c.bytes
                case .kvCache: t.kvCache += c.bytes
                case .activation: t.activation += c.bytes
                case .output: t.output += c.bytes
                case .overhead: t.overhead += c.bytes
                }
            }
            t.total += sum
            t.capacity += d.capacity
            let h = d.capacity - sum
            tightest = tightest.map { min($0, h) } ?? h
        }
        t.headroom = tightest ?? .zero
        t.kvCacheTokens = e.kvTokens
        return t
    }
}
