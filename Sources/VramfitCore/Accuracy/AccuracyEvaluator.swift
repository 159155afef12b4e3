/// Runs the estimator over measured cases and lines up its figures with the measurements,
/// component by component. Pure: cases and a catalog in, results out.
public enum AccuracyEvaluator {
    public static func evaluate(_ cases: [AccuracyCase], catalog: Catalog) -> [AccuracyResult] {
        cases.map { evaluate($0, catalog: catalog) }
    }

    public static func evaluate(_ c: AccuracyCase, catalog: Catalog) -> AccuracyResult {
        do {
            let model = try catalog.model(c.model).value
            let scheme = try catalog.scheme(c.scheme).value
            let gpu = try catalog.gpu(c.gpu).value
            let engine = try catalog.engine(c.engine).value
            let request = EstimateRequest(model: model, scheme: scheme, gpu: gpu, engine: engine,
                                          kvCacheTypes: catalog.kvCacheTypes, workload: c.workload)
            let e = try Estimator.estimate(request)
            let predicted = predictions(e)
            var rows: [AccuracyResult.Row] = []
            for comp in AccuracyCase.Component.allCases {
                guard let m = c.measured[comp], let p = predicted[comp] else { continue }
                rows.append(.init(component: comp, predicted: p, measured: m))
            }
            var baselines: [AccuracyResult.Baseline: ByteCount] = [:]
            if let a = c.accelerateEstimate { baselines[.accelerate] = a }
            baselines[.paramsTimesBytes] = RuleOfThumb.bytes(model: model, scheme: scheme)
            return AccuracyResult(case: c, group: ArchitectureGroup.of(model), modelName: model.name, rows: rows,
                                  baselines: baselines, capacities: capacities(catalog), error: nil)
        } catch {
            return AccuracyResult(case: c, group: .dense, modelName: c.model, rows: [], baselines: [:],
                                  capacities: [], error: "\(error)")
        }
    }

    /// The name `Resolved.overheadComponent` gives the CUDA context (Estimator.swift).
    static let contextName = "CUDA context"

    /// The estimator's figure for each measurable component. The allocator peak is everything
    /// PyTorch's allocator holds at once (weights, KV, transients, logits); the total adds what
    /// lies outside it (CUDA context, allocator slack) — for a CPU target, the buffers alone.
    static func predictions(_ e: Estimate) -> [AccuracyCase.Component: ByteCount] {
        let comps = e.accelerators.flatMap(\.components)
        func sum(_ f: (Estimate.Component) -> Bool) -> ByteCount { comps.filter(f).reduce(.zero) { $0 + $1.bytes } }
        let weights = sum { $0.kind == .weights }
        let kv = sum { $0.kind == .kvCache }
        let act = sum { $0.kind == .activation }
        let output = sum { $0.kind == .output }
        var p: [AccuracyCase.Component: ByteCount] = [
            .weights: weights, .kvCache: kv, .output: output, .total: e.total,
            .allocatorPeak: weights + kv + act + output,
            .allocatorSlack: sum { $0.name == TransformersMemory.reserveName },
            .nonAllocator: sum { $0.name == contextName || $0.name == TransformersMemory.librariesName },
        ]
        // transformers' transient figure is the peak less weights and KV: its logits are part of it.
        p[.activations] = e.engine.memoryModel == .transformers ? act + output : act
        return p
    }

    /// Every accelerator size in the catalog: the verdicts a user would get for this case on each.
    static func capacities(_ catalog: Catalog) -> [ByteCount] {
        Array(Set(catalog.gpus.filter { $0.kind == .gpu }.map(\.usableMemory.value))).sorted().map(ByteCount.init)
    }
}

/// One case's comparison: a row per component both sides have, and the baselines' totals.
public struct AccuracyResult: Sendable {
    public enum Baseline: String, Sendable, CaseIterable {
        case accelerate = "accelerate estimate-memory"
        case paramsTimesBytes = "params × bytes"
    }

    public struct Row: Sendable {
        public var component: AccuracyCase.Component
        public var predicted: ByteCount
        public var measured: ByteCount
        /// (predicted − measured) / measured; 0 when both are zero.
        public var error: Double {
            guard measured.value != 0 else { return predicted.value == 0 ? 0 : .infinity }
            return Double(predicted.value - measured.value) / Double(measured.value)
        }
    }

    public var `case`: AccuracyCase
    public var group: ArchitectureGroup
    public var modelName: String
    public var rows: [Row]
    public var baselines: [Baseline: ByteCount]
    /// Device sizes over which fits/doesn't-fit verdicts are compared.
    public var capacities: [ByteCount]
    /// Set when the case could not be estimated (an id the catalog lacks, an invalid workload).
    public var error: String?

    public func row(_ c: AccuracyCase.Component) -> Row? { rows.first { $0.component == c } }

    public func baselineError(_ b: Baseline) -> Double? {
        guard let p = baselines[b], let m = `case`.measured[.total], m.value > 0 else { return nil }
        return Double(p.value - m.value) / Double(m.value)
    }

    /// (agreeing, compared) verdicts of `predicted ≤ capacity` against `measured ≤ capacity`.
    public func fitsAgreement(_ predicted: ByteCount?) -> (agree: Int, of: Int) {
        guard let p = predicted, let m = `case`.measured[.total] else { return (0, 0) }
        let agree = capacities.filter { ($0 >= p) == ($0 >= m) }.count
        return (agree, capacities.count)
    }
}
