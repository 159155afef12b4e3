/// Searches schemes × engines × tensor/pipeline-parallel layouts, drops what the rules forbid
/// or what does not fit, and ranks the rest for the goal. Pure: the catalog is passed in.
public enum Planner {
    public static func plan(_ q: PlanQuery, catalog: Catalog) throws -> Plan {
        try validate(q)
        let schemes = try self.schemes(q, catalog: catalog)
        var notes: [String] = []
        if q.context == nil { notes.append("context \(q.effectiveContext) tokens for every candidate (--context to change)") }
        if q.quant == nil { notes.append("fp32 left out (twice bf16's memory for no gain in quality; --quant fp32 to include it)") }
        var nodes = q.nodes
        var (candidates, dropped) = try search(q, nodes: nodes, schemes: schemes, catalog: catalog)
        // One node (or the nodes given) not enough: TP inside a node, PP across nodes, as many nodes as it takes.
        if candidates.isEmpty, q.gpu.kind == .gpu {
            var n = nodes + 1
            while n <= q.maxNodes {
                let (c, _) = try search(q, nodes: n, schemes: schemes, catalog: catalog)
                if !c.isEmpty {
                    notes.append("\(nodes) node\(nodes == 1 ? "" : "s") of \(q.gpusPerNode) × \(q.gpu.name) cannot hold \(q.model.name): "
                                 + "it needs \(n) nodes (\(n * q.gpusPerNode) GPUs), tensor parallel inside each node and pipeline parallel across nodes")
                    candidates = c; nodes = n
                    break
                }
                n += 1
            }
        }
        let ranked = PlanRanking.rank(candidates, goal: q.goal)
        return Plan(query: q, context: q.effectiveContext, nodes: nodes, candidates: ranked, dropped: dropped, notes: notes)
    }

    static func validate(_ q: PlanQuery) throws {
        func bad(_ f: String, _ v: Int64, _ why: String) -> EstimateError { .invalid(field: f, value: "\(v)", reason: why) }
        if q.gpusPerNode < 1 || q.gpusPerNode > 64 { throw bad("gpus", q.gpusPerNode, "must be between 1 and 64 per node") }
        if q.nodes < 1 || q.nodes > q.maxNodes { throw bad("nodes", q.nodes, "must be between 1 and \(q.maxNodes)") }
        if q.concurrency < 1 || q.concurrency > Estimator.maxBatchLimit { throw bad("concurrency", q.concurrency, "must be between 1 and \(Estimator.maxBatchLimit)") }
        if let c = q.context, c < 1 || c > Estimator.maxContextLimit { throw bad("context", c, "must be between 1 and \(Estimator.maxContextLimit) tokens") }
        if q.gpu.kind != .gpu, q.gpusPerNode * q.nodes > 1 {
            throw EstimateError.invalid(field: "gpus", value: "\(q.gpusPerNode * q.nodes)", reason: "\(q.gpu.name) is a single host memory pool, not a GPU")
        }
    }

    /// The scheme asked for, or every scheme in the catalog but fp32.
    static func schemes(_ q: PlanQuery, catalog: Catalog) throws -> [QuantScheme] {
        if let name = q.quant { return [try catalog.scheme(name).value] }
        return catalog.schemes.filter { $0.id != "fp32" }
    }

    /// Engines that run `s` (the scheme's catalog list), or the one asked for when it runs it.
    static func engines(for s: QuantScheme, _ q: PlanQuery, catalog: Catalog) throws -> [Engine] {
        if let name = q.engine {
            let e = try catalog.engine(name).value
            return s.engines.contains(e.id) ? [e] : []
        }
        return s.engines.compactMap { id in catalog.engines.first { $0.id == id } }
    }

    /// Tensor × pipeline sizes with at most `gpus` GPUs. Engines that split layers (llama.cpp,
    /// Ollama, accelerate) have no tensor parallel; the others take TP in powers of two (what
    /// head counts divide) and PP for the rest. Ordered by GPU count, then larger TP first.
    static func layouts(engine: Engine, gpus: Int64, numLayers: Int64) -> [(tp: Int64, pp: Int64)] {
        var out: [(Int64, Int64)] = []
        let splitsLayers = [.llamaCpp, .ollama, .transformers].contains(engine.memoryModel)
        var tp: Int64 = 1
        while tp <= gpus {
            for pp in 1...max(1, min(gpus / tp, numLayers)) { out.append((tp, pp)) }
            if splitsLayers { break }
            tp *= 2
        }
        return out.sorted { $0.0 * $0.1 != $1.0 * $1.1 ? $0.0 * $0.1 < $1.0 * $1.1 : $0.0 > $1.0 }
    }

    static func search(_ q: PlanQuery, nodes: Int64, schemes: [QuantScheme], catalog: Catalog)
        throws -> ([Plan.Candidate], [Plan.Dropped])
    {
        var candidates: [Plan.Candidate] = [], dropped: [Plan.Dropped] = []
        let gpus = q.gpusPerNode * nodes
        for s in schemes {
            for e in try engines(for: s, q, catalog: catalog) {
                var best: Plan.Candidate?
                var lastMiss: Plan.Dropped?
                for (tp, pp) in layouts(engine: e, gpus: gpus, numLayers: q.model.numLayers) {
                    // Fewer GPUs first: for every goal but throughput, the first GPU count that fits is the answer.
                    if let b = best, q.goal != .throughput, tp * pp > b.gpus { break }
                    let subject = RuleSubject(model: q.model, scheme: s, engine: e, gpu: q.gpu, kvCache: q.kvCacheType ?? "auto",
                                              tensorParallel: tp, pipelineParallel: pp, nodes: nodes, gpusPerNode: q.gpusPerNode)
                    let verdicts = catalog.rules.evaluate(subject)
                    if let f = verdicts.forbidding {
                        dropped.append(.init(scheme: s.id, engine: e.id, tensorParallel: tp, pipelineParallel: pp, nodes: nodes, verdict: f, reason: f.reason))
                        continue
                    }
                    let w = Workload(context: q.effectiveContext, batch: q.concurrency, kvCacheType: q.kvCacheType,
                                     tensorParallel: tp, pipelineParallel: pp)
                    let resolved: Resolved
                    do {
                        resolved = try Resolved(EstimateRequest(model: q.model, scheme: s, gpu: q.gpu, engine: e,
                                                                kvCacheTypes: catalog.kvCacheTypes, workload: w))
                    } catch let err as EstimateError {
                        dropped.append(.init(scheme: s.id, engine: e.id, tensorParallel: tp, pipelineParallel: pp, nodes: nodes, verdict: nil, reason: "\(err)"))
                        continue
                    }
                    // One evaluation decides; only what fits pays for the largest-context/batch search.
                    let first = resolved.evaluate(context: resolved.context, batch: q.concurrency)
                    guard resolved.fits(first) else {
                        let acc = first.devices.filter(\.isAccelerator)
                        let total = acc.reduce(ByteCount.zero) { $0 + $1.total }, cap = acc.reduce(ByteCount.zero) { $0 + $1.capacity }
                        lastMiss = .init(scheme: s.id, engine: e.id, tensorParallel: tp, pipelineParallel: pp, nodes: nodes, verdict: nil,
                                         reason: first.refusal ?? "does not fit: \(ByteFormat.binary(total)) of \(ByteFormat.binary(cap))")
                        continue
                    }
                    let est = resolved.estimate()
                    let c = Plan.Candidate(estimate: est, nodes: nodes, verdicts: verdicts.filter { $0.level != .forbid })
                    if best == nil || PlanRanking.better(c, than: best!, goal: q.goal) { best = c }
                }
                if let best { candidates.append(best) } else if let lastMiss { dropped.append(lastMiss) }
            }
        }
        return (candidates, dropped)
    }
}
