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
        dropped = unloadable(q, schemes: schemes, catalog: catalog) + dropped
        // One node (or the nodes given) not enough: TP inside a node, PP across nodes, as many nodes as it takes.
        var grew = false
        if candidates.isEmpty, q.gpu.kind == .gpu {
            var n = nodes + 1
            while n <= q.maxNodes {
                let (c, _) = try search(q, nodes: n, schemes: schemes, catalog: catalog)
                if !c.isEmpty { candidates = c; nodes = n; grew = true; break }
                n += 1
            }
        }
        let ranked = PlanRanking.rank(candidates, goal: q.goal)
        if grew, let best = ranked.first {
            let e = best.estimate
            notes.append("\(q.nodes) node\(q.nodes == 1 ? "" : "s") of \(q.gpusPerNode) × \(q.gpu.name) cannot hold \(q.model.name): "
                         + "it needs \(best.nodes) nodes — #1 runs tensor parallel \(e.tensorParallel) inside each node and pipeline parallel "
                         + "\(e.pipelineParallel) across them, \(best.gpus / best.nodes) GPUs per node (\(best.gpus) in all)")
        }
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

    /// With `--engine E`, the schemes E does not load are not searched; each is listed as dropped
    /// with the rule that says so (`engine-loads-scheme`), so `plan -q q4_k_m -e vllm` answers why
    /// nothing came back instead of returning an empty list.
    static func unloadable(_ q: PlanQuery, schemes: [QuantScheme], catalog: Catalog) -> [Plan.Dropped] {
        guard let name = q.engine, let e = try? catalog.engine(name).value else { return [] }
        return schemes.filter { !$0.engines.contains(e.id) }.map { s in
            let v = catalog.rules.evaluate(RuleSubject(model: q.model, scheme: s, engine: e, gpu: q.gpu, kvCache: q.kvCacheType ?? "auto",
                                                       nodes: q.nodes, gpusPerNode: q.gpusPerNode)).forbidding
            return Plan.Dropped(scheme: s.id, engine: e.id, tensorParallel: 1, pipelineParallel: 1, nodes: q.nodes, verdict: v,
                                reason: v?.reason ?? "\(e.name) does not load \(s.id) checkpoints (it runs on \(s.engines.joined(separator: ", ")))")
        }
    }

    /// Engines that run `s` (the scheme's catalog list), or the one asked for when it runs it.
    static func engines(for s: QuantScheme, _ q: PlanQuery, catalog: Catalog) throws -> [Engine] {
        if let name = q.engine {
            let e = try catalog.engine(name).value
            return s.engines.contains(e.id) ? [e] : []
        }
        return s.engines.compactMap { id in catalog.engines.first { $0.id == id } }
    }

    /// A tensor × pipeline layout and the nodes it spans.
    struct Layout: Equatable {
        var tp: Int64
        var pp: Int64
        var nodes: Int64
        var gpus: Int64 { tp * pp }
    }

    /// Tensor × pipeline sizes on up to `nodes` nodes of `gpusPerNode` GPUs. Engines that split
    /// layers (llama.cpp, Ollama, accelerate) have no tensor parallel and stay on one node; the
    /// others take TP in powers of two (what head counts divide) and PP for the rest. Across
    /// nodes every node runs the same number of GPUs (one pod per node, as vLLM on Ray and a
    /// LeaderWorkerSet run it) and holds whole tensor-parallel groups: TP divides the GPUs used
    /// per node and PP = nodes × (GPUs per node / TP), so no all-reduce crosses the network
    /// (vLLM docs, serving/parallelism_scaling: TP inside a node, PP across nodes). A layout that
    /// would fit on fewer nodes is listed with those. Ordered by GPU count, then larger TP first.
    static func layouts(engine: Engine, gpusPerNode: Int64, nodes: Int64, numLayers: Int64) -> [Layout] {
        var out: [Layout] = []
        let splitsLayers = engine.memoryModel.splitsLayers
        var tp: Int64 = 1
        while tp <= gpusPerNode {
            for pp in 1...max(1, min(gpusPerNode / tp, numLayers)) { out.append(Layout(tp: tp, pp: pp, nodes: 1)) }
            if splitsLayers { break }
            tp *= 2
        }
        if !splitsLayers && nodes > 1 {
            // GPUs used per node: powers of two up to the node's size, and the whole node.
            var perNode: [Int64] = []
            var g: Int64 = 1
            while g < gpusPerNode { perNode.append(g); g *= 2 }
            perNode.append(gpusPerNode)
            for n in 2...nodes {
                for g in perNode where n * g > (n - 1) * gpusPerNode {
                    var tp: Int64 = 1
                    while tp <= g {
                        if g % tp == 0, n * (g / tp) <= numLayers { out.append(Layout(tp: tp, pp: n * (g / tp), nodes: n)) }
                        tp *= 2
                    }
                }
            }
        }
        return out.enumerated().sorted { a, b in
            let x = a.element, y = b.element
            if x.gpus != y.gpus { return x.gpus < y.gpus }
            if x.nodes != y.nodes { return x.nodes < y.nodes }
            if x.tp != y.tp { return x.tp > y.tp }
            return a.offset < b.offset
        }.map(\.element)
    }

    static func search(_ q: PlanQuery, nodes: Int64, schemes: [QuantScheme], catalog: Catalog)
        throws -> ([Plan.Candidate], [Plan.Dropped])
    {
        var candidates: [Plan.Candidate] = [], dropped: [Plan.Dropped] = []
        for s in schemes {
            for e in try engines(for: s, q, catalog: catalog) {
                var best: Plan.Candidate?
                var lastMiss: Plan.Dropped?
                for layout in layouts(engine: e, gpusPerNode: q.gpusPerNode, nodes: nodes, numLayers: q.model.numLayers) {
                    let (tp, pp, nodes) = (layout.tp, layout.pp, layout.nodes)
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
