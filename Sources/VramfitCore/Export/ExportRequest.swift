/// What `vramfit export` was asked, and how it picks the configuration to write.
///
/// By default that is exactly what `estimate` evaluates from the same options. When the layout was
/// not pinned (no tensor or pipeline size) and that does not fit, or when asked (`--plan`,
/// `--quant any`), the planner chooses instead (keeping a `--quant` given): the best candidate for the target's engine on
/// these GPUs (adding nodes for vLLM when one is not enough), which is then estimated again with
/// every option the user gave, so the flags still come from one estimate. Engines that split
/// layers (llama.cpp, Ollama, transformers) get a device map with CPU RAM when even that does not
/// fit on the GPUs. The rules (catalogs/rules) are evaluated for the result: a forbidding rule
/// refuses the export, the others become notes.
public struct ExportRequest: Sendable {
    /// The estimate options. `gpus` is GPUs per node (the whole box when `nodes` is 1); `quant`
    /// "any" asks the planner for the scheme.
    public var query: EstimateQuery
    public var target: ExportTarget
    public var nodes: Int64
    /// Let the planner choose scheme and layout even when the default fits.
    public var usePlanner: Bool
    public var goal: PlanGoal
    /// CPU RAM a layer-splitting engine may keep weights in (nil: not bounded, only reported).
    public var hostMemory: ByteCount?
    public var checkpoint: String?

    public init(query: EstimateQuery, target: ExportTarget, nodes: Int64 = 1, usePlanner: Bool = false, goal: PlanGoal = .fit,
                hostMemory: ByteCount? = nil, checkpoint: String? = nil) {
        self.query = query; self.target = target; self.nodes = nodes; self.usePlanner = usePlanner; self.goal = goal
        self.hostMemory = hostMemory; self.checkpoint = checkpoint
    }
}

/// The configuration `export` writes, what was assumed or chosen on the way, and the rules that fired.
public struct ExportSelection: Sendable {
    public var plan: ExportPlan
    public var estimate: Estimate
    /// How the configuration was chosen (the planner's pick, why the default was not written).
    public var notes: [String]
    /// What was filled in for options left out (the estimate's assumptions).
    public var assumptions: [String]
    public var verdicts: [Verdict]
}

extension Catalog {
    public func exportSelection(_ r: ExportRequest) throws -> ExportSelection {
        var q = r.query
        q.engine = r.target.engineId
        let anyQuant = q.quant?.lowercased() == "any"
        if anyQuant { q.quant = nil }
        guard r.nodes >= 1, r.nodes <= 64 else {
            throw EstimateError.invalid(field: "nodes", value: "\(r.nodes)", reason: "must be between 1 and 64")
        }
        let explicitLayout = q.explicitTensorParallel || q.explicitPipelineParallel
        let perNode = q.gpus ?? max(1, q.workload.gpus / r.nodes)
        var notes: [String] = []

        // What estimate would evaluate; across nodes tensor parallel stays inside a node.
        var eq = q
        eq.gpus = perNode * r.nodes
        if r.nodes > 1 && !explicitLayout {
            eq.workload.tensorParallel = perNode; eq.workload.pipelineParallel = r.nodes
            eq.explicitTensorParallel = true; eq.explicitPipelineParallel = true
        }
        var nodes = r.nodes
        var prepared: PreparedEstimate
        var estimate: Estimate
        if r.usePlanner || anyQuant {
            guard let chosen = try planned(q, r, perNode: perNode, notes: &notes) else {
                prepared = try prepare(eq); estimate = try Estimator.estimate(prepared.request)
                return try finish(r, prepared, estimate, nodes: nodes, perNode: perNode, notes: notes)
            }
            (prepared, estimate, nodes) = chosen
        } else {
            prepared = try prepare(eq)
            estimate = try Estimator.estimate(prepared.request)
            if !estimate.fits && !explicitLayout && estimate.gpu.kind == .gpu {
                let why = estimate.engineRefusal ?? "short by \(ByteFormat.binary(.zero - estimate.headroom)) on the tightest GPU"
                let which = q.quant == nil ? "\(estimate.scheme.id) (the model's own)" : estimate.scheme.id
                // Without --context this is the engine's own default (llama.cpp 4096, vLLM the model's
                // maximum), while the planner below compares every candidate at PlanQuery.defaultContext:
                // say so, or the two contexts in the notes look contradictory.
                let whose = q.workload.context == nil ? ", \(estimate.engine.name)'s default" : ""
                var planNotes = ["\(which) does not fit on \(eq.gpus ?? 1) × \(estimate.gpu.name) as \(estimate.layoutText) at context "
                    + "\(estimate.context)\(whose) (\(why))"]
                if let chosen = try planned(q, r, perNode: perNode, notes: &planNotes) {
                    (prepared, estimate, nodes) = chosen
                    notes += planNotes
                }
            }
        }
        return try finish(r, prepared, estimate, nodes: nodes, perNode: nodes > 1 ? estimate.gpus / nodes : perNode, notes: notes)
    }

    /// The planner's best candidate for the target's engine, estimated again with the user's
    /// options; nil when nothing fits.
    func planned(_ q: EstimateQuery, _ r: ExportRequest, perNode: Int64, notes: inout [String]) throws
        -> (PreparedEstimate, Estimate, Int64)?
    {
        let m = try model(q.model).value, g = try gpu(q.gpu).value
        let multiNode = [.vllm, .kubernetes].contains(r.target) && g.kind == .gpu
        let pq = PlanQuery(model: m, gpu: g, gpusPerNode: perNode, nodes: r.nodes, maxNodes: multiNode ? max(16, r.nodes) : r.nodes,
                           context: q.workload.context, concurrency: q.workload.batch, engine: r.target.engineId, quant: q.quant,
                           kvCacheType: q.workload.kvCacheType, goal: r.goal)
        let plan = try Planner.plan(pq, catalog: self)
        let hint = "vramfit plan -m \(m.id) -g \(g.id) --gpus \(perNode)\(r.nodes > 1 ? " --nodes \(r.nodes)" : "") -e \(r.target.engineId)"
            + (q.quant.map { " -q \($0)" } ?? "")
        guard let best = plan.best else {
            notes.append("the planner found no \(r.target.engineId) configuration that fits on \(perNode * r.nodes) × \(g.name) (\(hint) shows what was dropped)")
            return nil
        }
        let e = best.estimate
        var w = q.workload
        w.context = plan.context
        w.tensorParallel = e.tensorParallel; w.pipelineParallel = e.pipelineParallel
        let eq = EstimateQuery(model: q.model, gpu: q.gpu, quant: e.scheme.id, engine: r.target.engineId, gpus: e.gpus, workload: w,
                               explicitTensorParallel: true, explicitPipelineParallel: true)
        let prepared = try prepare(eq)
        let estimate = try Estimator.estimate(prepared.request)
        let where_ = best.nodes > 1 ? "\(best.nodes) nodes × \(e.gpus / best.nodes)" : "\(e.gpus)"
        notes.append("chosen by the planner (goal \(r.goal.rawValue)): \(e.scheme.id), TP\(e.tensorParallel) × PP\(e.pipelineParallel) on \(where_) × "
            + "\(g.name), context \(plan.context) — #1 of \(plan.candidates.count) \(e.engine.name) configurations that fit "
            + "(\(hint) --goal \(r.goal.rawValue) lists them)")
        notes += plan.notes.filter { $0.contains("node") }
        return (prepared, estimate, best.nodes)
    }

    func finish(_ r: ExportRequest, _ prepared: PreparedEstimate, _ e: Estimate, nodes: Int64, perNode: Int64, notes: [String]) throws
        -> ExportSelection
    {
        var plan = try ExportPlan.from(request: prepared.request, estimate: e, checkpoint: r.checkpoint)
        plan.nodes = nodes
        let splitsLayers = e.engine.memoryModel.splitsLayers
        if !e.fits && splitsLayers && e.gpu.kind == .gpu {
            // Not enough GPU memory: the layers (or a MoE model's experts) that do not fit stay in CPU RAM.
            let map = DeviceMapper.map(for: e, gpus: Array(repeating: e.gpu, count: Int(max(e.gpus, 1))), hostMemory: r.hostMemory)
            if !map.fitsOnGPUs { plan.deviceMap = map }
        }
        let fa = [.llamaCpp, .ollama].contains(e.engine.memoryModel) && plan.settings.flashAttention
        let subject = RuleSubject(model: e.model, scheme: e.scheme, engine: e.engine, engineVersion: prepared.request.workload.engineVersion,
                                  gpu: e.gpu, kvCache: e.kvCacheType.id, tensorParallel: e.tensorParallel, pipelineParallel: e.pipelineParallel,
                                  nodes: nodes, gpusPerNode: nodes > 1 ? e.gpus / nodes : max(perNode, e.gpus), cpuOffload: plan.offloadsToCPU,
                                  flashAttention: fa)
        let verdicts = rules.evaluate(subject)
        if let f = verdicts.forbidding {
            throw ExportError.unsupported(target: r.target, reason: "rule \(f.ruleId): \(f.reason)" + (f.advice.map { " — \($0)" } ?? ""))
        }
        return ExportSelection(plan: plan, estimate: e, notes: notes, assumptions: prepared.assumptions, verdicts: verdicts)
    }
}

extension Estimate {
    /// `TP2 × PP1`, or `1 GPU`.
    var layoutText: String { gpus > 1 ? "TP\(tensorParallel) × PP\(pipelineParallel)" : "1 GPU" }
}
