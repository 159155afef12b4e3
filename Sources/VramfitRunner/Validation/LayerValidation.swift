import Dispatch
import VramfitCore

/// What to run for one layer.
public struct ValidationOptions: Sendable {
    /// Prompt tokens run as one prefill (T).
    public var prefillTokens: Int
    /// Decode steps after the prefill (N); the KV cache holds T + N positions.
    public var decodeSteps: Int
    public var kvCache: KVCacheStorage
    public var seed: UInt64
    /// Prefill positions compared with the float64 reference (spread evenly, the last included),
    /// besides every decode step.
    public var checkedPrefillRows: Int
    /// Build the unquantized layer and compare against it in float64.
    public var reference: Bool

    public init(prefillTokens: Int = 512, decodeSteps: Int = 32, kvCache: KVCacheStorage = .fp16, seed: UInt64 = 42,
                checkedPrefillRows: Int = 8, reference: Bool = true) {
        self.prefillTokens = prefillTokens; self.decodeSteps = decodeSteps; self.kvCache = kvCache; self.seed = seed
        self.checkedPrefillRows = checkedPrefillRows; self.reference = reference
    }
}

/// Everything measured running one layer on one backend.
public struct LayerMeasurement: Sendable {
    public var layerIndex: Int
    public var shape: LayerShape
    /// Per estimator tensor: what the runner allocated.
    public var tensors: [LayerTensor]
    public var weightBytes: ByteCount
    public var residentWeightBytes: ByteCount
    public var kvCacheBytes: ByteCount
    public var kvCapacity: Int
    public var memory: WorkingMemoryReport
    public var prefillTokens: Int
    public var prefillSeconds: Double
    public var decodeSeconds: [Double]
    /// Layer output vs the unquantized float64 layer, at the checked positions.
    public var outputError: OutputError?
    /// Same, on the layer's update to the residual stream (output − input): the residual passes
    /// through unchanged and would otherwise dilute the error.
    public var updateError: OutputError?
    public var checkedPositions: [Int]
    /// ‖Ŵ − W‖_F / ‖W‖_F over the layer's matrices: the first-order expectation of the output error.
    public var weightRelativeRMS: Double?
    public var buildSeconds: Double
    public var referenceSeconds: Double
    /// CPU seconds per wall second during the prefill and the decode steps (`ProcessClock`): below
    /// the core count when other processes shared the machine.
    public var prefillCoresBusy: Double?
    public var decodeCoresBusy: Double?

    public init(layerIndex: Int, shape: LayerShape, tensors: [LayerTensor], weightBytes: ByteCount, residentWeightBytes: ByteCount,
                kvCacheBytes: ByteCount, kvCapacity: Int, memory: WorkingMemoryReport, prefillTokens: Int, prefillSeconds: Double,
                decodeSeconds: [Double], outputError: OutputError? = nil, updateError: OutputError? = nil, checkedPositions: [Int] = [],
                weightRelativeRMS: Double? = nil, buildSeconds: Double = 0, referenceSeconds: Double = 0) {
        self.layerIndex = layerIndex; self.shape = shape; self.tensors = tensors; self.weightBytes = weightBytes
        self.residentWeightBytes = residentWeightBytes; self.kvCacheBytes = kvCacheBytes; self.kvCapacity = kvCapacity
        self.memory = memory; self.prefillTokens = prefillTokens; self.prefillSeconds = prefillSeconds; self.decodeSeconds = decodeSeconds
        self.outputError = outputError; self.updateError = updateError; self.checkedPositions = checkedPositions
        self.weightRelativeRMS = weightRelativeRMS; self.buildSeconds = buildSeconds; self.referenceSeconds = referenceSeconds
    }

    /// Bytes of K and V per cached position (what `KVCacheSize.bytesPerTokenPerLayer` predicts).
    public var kvBytesPerToken: ByteCount { ByteCount(kvCacheBytes.value / Int64(max(kvCapacity, 1))) }

    /// Median decode step: robust to a noisy neighbour on a shared machine.
    public var decodeMedianSeconds: Double {
        guard !decodeSeconds.isEmpty else { return 0 }
        let s = decodeSeconds.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// Weight bytes a decode step reads: everything except the experts a token is not routed to.
    public var decodeWeightBytes: Double {
        var b = 0.0
        for t in tensors {
            var x = Double(t.allocatedBytes.value)
            if t.spec.role.isExpert, let m = shape.moe { x *= Double(m.topK) / Double(m.experts) }
            b += x
        }
        return b
    }

    /// Floating-point operations of the prefill: 2 per weight per token for the matrices a token
    /// passes through, plus the causal attention's QKᵀ and PV (2·2·headDim per query-key pair per head).
    public var prefillFLOPs: Double {
        let t = Double(prefillTokens), s = shape
        let pairs = t * (t + 1) / 2
        return 2 * Double(s.activeParameters) * t + 4 * Double(s.headDim * s.heads) * pairs
    }
}

/// Runs one layer: checks (formats, memory) before allocating, builds, loads, prefills, decodes,
/// compares with the float64 reference.
public enum LayerValidation {
    public enum Stage: String, Sendable { case building = "quantizing", prefill, decode, reference }

    public static func run(_ builder: LayerBuilder, layer index: Int, backend: any RunnerBackend, options o: ValidationOptions,
                           hostAvailable: ByteCount? = nil, stage: ((Stage, Double) -> Void)? = nil) throws -> LayerMeasurement {
        let shape = try LayerShape(model: builder.model, layer: index)
        guard o.prefillTokens >= 1 else { throw RunnerError.invalidRequest("the prefill needs at least 1 token") }
        guard o.decodeSteps >= 0 else { throw RunnerError.invalidRequest("decode steps must not be negative") }

        // 1. Every weight's format and the cache type, before anything is allocated.
        if let why = backend.unsupportedReason(kvCache: o.kvCache) {
            throw RunnerError.unsupportedOnTarget(target: backend.target, what: "KV cache \(o.kvCache.rawValue)", reason: why)
        }
        for spec in builder.specs(layer: index) {
            let format = try builder.quantizer(spec).format
            if let why = backend.unsupportedReason(weightFormat: format) {
                throw RunnerError.unsupportedOnTarget(target: backend.target, what: "\(builder.scheme.id) (\(format) storage of \(spec.name))", reason: why)
            }
        }
        // A checkpoint's tensors: all present, all of the config's shapes, before one is read.
        try builder.source.check(builder.expectedTensors(layer: index))
        // 2. Memory, before anything is allocated.
        let budget = LayerBudget.of(builder, layer: index, shape: shape, options: o, backend: backend)
        let deviceFree = backend.availableMemory()
        if budget.device > deviceFree {
            throw RunnerError.insufficientMemory(target: backend.target, needed: budget.device, available: deviceFree, breakdown: budget.deviceParts)
        }
        if !budget.sharedWithHost, let host = hostAvailable, budget.host > host {
            throw RunnerError.insufficientMemory(target: "host", needed: budget.host, available: host,
                                                 breakdown: ["weights \(budget.weights.value) B", "reference \(budget.reference.value) B", "staging \(budget.transient.value) B"])
        }

        // 3. Build (draw, round to the checkpoint dtype, quantize).
        let b0 = now()
        stage?(.building, 0)
        let built = try builder.build(layer: index, reference: o.reference) { done, total in stage?(.building, Double(done) / Double(total)) }
        let buildSeconds = now() - b0

        // 4. Load and run: T tokens of prefill, then N decode steps.
        let loaded = try backend.load(built.layer)
        let capacity = o.prefillTokens + o.decodeSteps
        let session = try loaded.makeSession(kvCache: o.kvCache, capacity: capacity)
        let h = shape.hidden
        let input = GaussianFill.values(capacity * h, seed: GaussianFill.seed(o.seed, "input.layer\(index)"), std: 1)
        stage?(.prefill, 0)
        let c0 = ProcessClock.now()
        let pre = try session.prefill(Array(input[0..<(o.prefillTokens * h)]), tokens: o.prefillTokens)
        let c1 = ProcessClock.now()
        var outputs = pre.output
        var decodeTimes: [Double] = []
        for i in 0..<o.decodeSteps {
            stage?(.decode, Double(i) / Double(max(o.decodeSteps, 1)))
            let p = o.prefillTokens + i
            let r = try session.decode(Array(input[(p * h)..<((p + 1) * h)]))
            outputs += r.output
            decodeTimes.append(r.seconds)
        }
        let c2 = ProcessClock.now()

        // 5. Against the unquantized layer in float64.
        var outErr: OutputError?, updErr: OutputError?, wErr: Double?
        var checked: [Int] = []
        let r0 = now()
        if let ref = built.reference {
            stage?(.reference, 0)
            checked = checkedPositions(prefill: o.prefillTokens, rows: o.checkedPrefillRows) + (o.prefillTokens..<capacity)
            let expect = ReferenceLayer(ref).forward(input, positions: capacity, outputs: checked)
            var got: [Float] = [], want: [Double] = [], gotU: [Double] = [], wantU: [Double] = []
            for (i, p) in checked.enumerated() {
                let y = outputs[(p * h)..<((p + 1) * h)], x = input[(p * h)..<((p + 1) * h)]
                got += y; want += expect[i]
                gotU += zip(y, x).map { Double($0) - Double($1) }
                wantU += zip(expect[i], x).map { $0 - Double($1) }
            }
            outErr = OutputError.compare(got, want)
            updErr = OutputError.compare(gotU, wantU)
            stage?(.reference, 0.9)
            let q = built.layer.weights.all, r = ref.weights.all
            wErr = WeightError.relativeRMS(zip(q, r).filter { $0.0.rows > 1 }.map { ($0.0, $0.1) })
        }
        let referenceSeconds = now() - r0

        var m = LayerMeasurement(
            layerIndex: index, shape: shape, tensors: built.layer.tensors, weightBytes: built.layer.weights.allocatedBytes,
            residentWeightBytes: loaded.residentWeightBytes, kvCacheBytes: session.kvCacheBytes, kvCapacity: capacity,
            memory: session.memory, prefillTokens: o.prefillTokens, prefillSeconds: pre.seconds, decodeSeconds: decodeTimes,
            outputError: outErr, updateError: updErr, checkedPositions: checked, weightRelativeRMS: wErr,
            buildSeconds: buildSeconds, referenceSeconds: referenceSeconds)
        m.prefillCoresBusy = c1.coresBusy(since: c0)
        m.decodeCoresBusy = o.decodeSteps > 0 ? c2.coresBusy(since: c1) : nil
        return m
    }

    /// `rows` prefill positions spread evenly over 0 ..< prefill, ending at the last one.
    public static func checkedPositions(prefill: Int, rows: Int) -> [Int] {
        let n = min(max(rows, 1), prefill)
        return (1...n).map { i in (prefill * i) / n - 1 }
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
}
