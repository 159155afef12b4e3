import ArgumentParser
import Foundation
import VramfitCatalog
import VramfitCore
import VramfitRunner

/// `vramfit validate`: builds one (or a few) decoder layers of a catalog model in a scheme's real
/// storage, runs prefill and decode on a backend, and prints what the estimator predicted next to
/// what was allocated and measured.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Run decoder layers of a model in a scheme's real storage on the CPU or a GPU and compare with the estimate.",
        discussion: """
            Per scheme × layer: weight bytes per tensor (must equal the estimator's exactly), KV-cache bytes per token,
            peak working memory, output error against the unquantized layer in float64, and decode time → whole-model
            tokens/s against the bandwidth roofline (the CPU's bandwidth is measured here, STREAM-style).
            Weights are seeded random numbers (std 0.02) unless --weights gives a safetensors checkpoint.
            Exit 0 with a report; 2 for bad input, an unsupported scheme × target, or a run too big for memory.
            """
    )

    @Option(name: .shortAndLong, help: "Model id or alias from the catalog.")
    var model: String
    @Option(name: .shortAndLong, help: ArgumentHelp("Quantization scheme(s), comma-separated or repeated (default: the model's dtype).", valueName: "SCHEME"))
    var quant: [String] = []
    @Option(help: "Backend: cpu or cuda.")
    var target = "cpu"
    @Option(name: .shortAndLong, help: "Prompt tokens run as one prefill (k suffix = ×1024).", transform: parseTokens)
    var context = 512
    @Option(help: "Decode steps after the prefill.")
    var decode = 32
    @Option(help: "How many layers to run, spread evenly over the depth (first and last included).")
    var layers: Int?
    @Option(name: .customLong("layer"), help: ArgumentHelp("Layer indices to run, comma-separated or repeated (default: 0).", valueName: "INDEX"))
    var layerIndices: [String] = []
    @Option(name: [.customLong("kv-cache-type"), .customLong("kv-cache-dtype")], help: "KV-cache type: fp16, bf16, fp32, fp8, q8_0, q4_0 (default: the engine's).")
    var kvCacheType: String?
    @Option(name: .shortAndLong, help: "Engine whose tensor choices and defaults to compare with (default: the one most users of the scheme run on this target).")
    var engine: String?
    @Option(help: "Seed of the random weights and inputs.")
    var seed: UInt64 = 42
    @Option(help: ArgumentHelp("Real weights: a .safetensors file or a folder of them (Hugging Face tensor names).", valueName: "PATH"))
    var weights: String?
    @Flag(help: "Print one JSON object (schema_version 1).")
    var json = false
    @OptionGroup var catalog: CatalogOptions

    static let maxTokens = 1 << 20

    func validate() throws {
        if context < 1 || context > Self.maxTokens { throw ValidationError("--context must be between 1 and \(Self.maxTokens) tokens, got \(context)") }
        if decode < 0 || decode > 65_536 { throw ValidationError("--decode must be between 0 and 65536, got \(decode)") }
        if let l = layers, l < 1 { throw ValidationError("--layers must be at least 1, got \(l)") }
        if layers != nil && !layerIndices.isEmpty { throw ValidationError("--layers (a count) and --layer (indices) cannot be combined") }
        _ = try parsedLayers(of: nil)
    }

    /// Layer indices to run: --layer as given, --layers spread over the depth, else layer 0.
    func parsedLayers(of model: Model?) throws -> [Int] {
        if !layerIndices.isEmpty {
            var out: [Int] = []
            for item in layerIndices.flatMap({ $0.split(separator: ",") }) {
                guard let i = Int(item.trimmingCharacters(in: .whitespaces)), i >= 0 else { throw ValidationError("--layer expects layer indices, got '\(item)'") }
                if let m = model, Int64(i) >= m.numLayers { throw CLIError("layer \(i) does not exist: \(m.id) has layers 0…\(m.numLayers - 1)") }
                if !out.contains(i) { out.append(i) }
            }
            return out
        }
        guard let n = layers, let m = model else { return [0] }
        let total = Int(m.numLayers)
        if n >= total { return Array(0..<total) }
        if n == 1 { return [0] }
        return (0..<n).map { ($0 * (total - 1)) / (n - 1) }
    }

    func run() throws {
        do { try execute() } catch let e as RunnerError { throw CLIError(e.description) } catch let e as QuantizeError { throw CLIError(e.description) }
    }

    func execute() throws {
        let cat = try catalog.load()
        let m = try cat.model(model).value
        let schemes: [QuantScheme] = try {
            let names = quant.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
            if names.isEmpty { return [try cat.scheme(m.nativeQuant ?? (m.dtype == .fp32 ? "fp32" : m.dtype == .fp16 ? "fp16" : "bf16")).value] }
            return try names.map { try cat.scheme($0).value }
        }()
        let layerList = try parsedLayers(of: m)
        for i in layerList { _ = try LayerShape(model: m, layer: i) }  // unsupported architectures fail before anything runs
        let backend = try RunnerBackends.registry.make(target)
        let source: any WeightSource = try weights.map { try SafetensorsWeights(path: $0) } ?? SeededWeights(seed: seed)
        // A checkpoint is checked for every layer to run before the first one runs (its tensors
        // do not depend on the scheme).
        let probe = LayerBuilder(model: m, scheme: schemes[0], engine: nil, source: source)
        for i in layerList { try source.check(probe.expectedTensors(layer: i)) }
        let sourceText = weights.map { "safetensors \($0)" } ?? "seeded random (seed \(seed), std 0.02, norms N(1, 0.05²))"

        let progress = ProgressBar(enabled: (schemes.count > 1 || layerList.count > 1) && !json)
        progress.update(0, "measuring memory bandwidth")
        let (bandwidth, copy, bwSource) = measureBandwidth(backend, catalog: cat)
        let host = hostGPU(backend, bandwidth: bandwidth, catalog: cat)

        var runs: [ValidateRun] = []
        let total = Double(schemes.count * layerList.count)
        for (si, scheme) in schemes.enumerated() {
            let eng = try engine.map { try cat.engine($0).value } ?? cat.defaultEngine(for: scheme, gpu: host)
            let capacity = context + decode
            var work = Workload(context: Int64(capacity), batch: 1, kvCacheType: kvCacheType)
            work.newTokens = Int64(decode)
            let estimate = try Estimator.estimate(EstimateRequest(model: m, scheme: scheme, gpu: host, engine: eng, kvCacheTypes: cat.kvCacheTypes, workload: work))
            guard let storage = KVCacheStorage(catalogId: estimate.kvCacheType.id) else {
                throw CLIError("KV-cache type \(estimate.kvCacheType.id) is not implemented by the runner (fp32, fp16, bf16, fp8, q8_0, q4_0 are)")
            }
            let builder = LayerBuilder(model: m, scheme: scheme, engine: eng.id, source: source)
            for (li, layer) in layerList.enumerated() {
                let base = Double(si * layerList.count + li) / total
                let label = "\(scheme.id) layer \(layer)"
                let options = ValidationOptions(prefillTokens: context, decodeSteps: decode, kvCache: storage, seed: seed)
                let measured = try LayerValidation.run(builder, layer: layer, backend: backend, options: options, hostAvailable: HostInfo.availableMemory) { stage, f in
                    let share: [LayerValidation.Stage: (Double, Double)] = [.building: (0, 0.35), .prefill: (0.35, 0.3), .decode: (0.65, 0.2), .reference: (0.85, 0.15)]
                    let (s0, w) = share[stage] ?? (0, 0)
                    progress.update(base + (s0 + w * f) / total, "\(label): \(stage.rawValue)")
                }
                runs.append(run(measured, model: m, scheme: scheme, engine: eng, estimate: estimate, bandwidth: bandwidth, bandwidthSource: bwSource, capacity: capacity))
            }
        }
        progress.finish()
        let header = ValidateHeader(modelId: m.id, modelName: m.name, target: backend.target, device: backend.deviceName, prefill: context,
                                    decode: decode, seed: seed, weightsSource: sourceText, bandwidth: bandwidth, copyBandwidth: copy, bandwidthSource: bwSource)
        if json { print(try JSONOutput.string(ValidateJSON(runs, header: header))) } else { print(ValidateTable.render(runs, header: header)) }
    }

    /// The CPU measures its own; other backends may; else the catalog entry of the device.
    func measureBandwidth(_ backend: any RunnerBackend, catalog: Catalog) -> (Double?, Double?, String) {
        if let b = backend.measuredBandwidth() {
            if let cpu = backend as? CPUBackend, let full = cpu.bandwidth {
                return (b, full.copyBytesPerSecond,
                        "measured on this machine: STREAM-style read over \(full.arrayBytes >> 20) MiB, \(full.threads) threads, best of \(full.repetitions)")
            }
            return (b, nil, "measured on the device by the \(backend.target) backend")
        }
        if let g = try? catalog.gpu(backend.deviceName).value {
            return (Double(g.bandwidthBytesPerSecond), nil, "catalog figure for \(g.name) (peak, not measured)")
        }
        return (nil, nil, "the \(backend.target) backend does not measure it and \(backend.deviceName) is not in the catalog")
    }

    /// This machine as the estimator's device: its available memory and the measured bandwidth.
    func hostGPU(_ backend: any RunnerBackend, bandwidth: Double?, catalog: Catalog) -> GPU {
        if backend.target != "cpu", var g = try? catalog.gpu(backend.deviceName).value {
            if let b = bandwidth { g.bandwidthBytesPerSecond = Int64(b) }
            return g
        }
        let avail = backend.availableMemory()
        return GPU(id: "this-\(backend.target)", name: backend.deviceName, vendor: "this machine", kind: backend.target == "cpu" ? .cpu : .gpu,
                   architecture: backend.target, computeCapability: nil, memory: backend.target == "cpu" ? HostInfo.totalMemory : avail,
                   usableMemory: avail, bandwidthBytesPerSecond: Int64(bandwidth ?? 0), supportsBF16: true, supportsFP8: backend.target != "cpu",
                   contextOverhead: .zero)
    }

    func run(_ me: LayerMeasurement, model m: Model, scheme: QuantScheme, engine: Engine, estimate: Estimate, bandwidth: Double?,
             bandwidthSource: String, capacity: Int) -> ValidateRun {
        let tensors = me.tensors.map { t in
            let p = WeightBytes.bytes(of: t.spec, scheme: scheme, model: m, engine: engine.id)
            return ValidateRun.TensorRow(name: t.spec.name, role: t.spec.role.rawValue, predictedStorage: p.type, format: t.format,
                                         predicted: p.bytes, measured: t.allocatedBytes)
        }
        let kv = KVCacheSize(model: m, type: estimate.kvCacheType, latentMLA: false)
        let activation = ActivationPeak.forward(m, tokens: Int64(me.prefillTokens), tensorParallel: 1, elementBytes: 4)
        // The head a decode step reads: lm_head, or the embedding when tied (DecodeRoofline skips
        // token_embd, so a tied head is not in its figure: said below).
        let inventory = TensorInventory.tensors(of: m)
        let head = inventory.first { $0.role == .output } ?? inventory.first { $0.role == .tokenEmbedding }!
        let headBytes = WeightBytes.bytes(of: head, scheme: scheme, model: m, engine: engine.id).bytes
        var rooflineLayer: Double?
        if let b = bandwidth, b > 0 {
            var bytes = 0.0
            for t in me.tensors {
                var x = Double(WeightBytes.bytes(of: t.spec, scheme: scheme, model: m, engine: engine.id).bytes.value)
                if t.spec.role.isExpert, let moe = m.moe { x *= Double(moe.expertsPerToken) / Double(moe.numExperts) }
                bytes += x
            }
            bytes += Double(kv.bytesPerTokenPerLayer.value) * Double(capacity)
            rooflineLayer = bytes / b
        }
        var assumptions: [String] = []
        if let a = FamilyConstants.forFamily(m.family).assumption { assumptions.append(a) }
        if m.tieWordEmbeddings { assumptions.append("tied embeddings: the roofline does not count the head's read of token_embd; the measured figure does") }
        return ValidateRun(scheme: scheme, engine: engine, kvType: estimate.kvCacheType, measurement: me, tensors: tensors,
                           predictedKVPerToken: kv.bytesPerTokenPerLayer, predictedActivation: activation, context: Int64(capacity),
                           bandwidth: bandwidth, bandwidthSource: bandwidthSource,
                           rooflineTokensPerSecond: bandwidth != nil ? estimate.decodeTokensPerSecond : nil, rooflineLayerSeconds: rooflineLayer,
                           headBytes: headBytes, numLayers: m.numLayers, assumptions: assumptions)
    }
}
