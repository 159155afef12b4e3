import ArgumentParser
import CUDADriver
import Foundation
import VramfitCatalog
import VramfitCore
import VramfitCUDA
import VramfitRunner

/// `vramfit cuda`: the CUDA backend's own checks, for a machine with an NVIDIA GPU: what the
/// device and driver are and what the CUDA context costs (`info`), whether every weight format's
/// kernels agree with the CPU (`check`), and how close they come to the device's limits (`bench`).
/// `vramfit validate --target cuda` is the estimator-facing comparison; this is the backend's.
struct CUDACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cuda",
        abstract: "The CUDA backend on this machine's GPU: device and context memory, kernel checks against the CPU, bandwidth benchmarks.",
        discussion: "Needs the NVIDIA driver (libcuda.so.1) and NVRTC (libnvrtc.so); without them each subcommand says which is missing and exits 2.",
        subcommands: [Info.self, Memory.self, Check.self, Bench.self]
    )

    static func runtime() throws -> CUDARuntime {
        do { return try CUDARuntime.open() } catch let e as CUDAError { throw CLIError(e.description) }
    }

    static func split(_ items: [String]) -> [String] {
        items.flatMap { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
    }

    /// The catalog GPU for this device: `--gpu` if given, else the device's name ("NVIDIA H100
    /// 80GB HBM3" is the catalog alias "h100 80gb hbm3" once the vendor is dropped).
    static func catalogGPU(_ cat: Catalog, name: String?, device: String) -> GPU? {
        if let n = name { return try? cat.gpu(n).value }
        return (try? cat.gpu(device).value) ?? (try? cat.gpu(device.replacingOccurrences(of: "NVIDIA ", with: "")).value)
    }

    static func mib(_ bytes: Int) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }

    // MARK: info

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Device, driver, NVRTC, and free memory before and after the CUDA context (run it in a fresh process).")
        @Option(help: "Catalog GPU to compare the measured context overhead with (default: matched by the device's name).")
        var gpu: String?
        @OptionGroup var catalog: CatalogOptions

        func run() throws {
            let rt = try CUDACommand.runtime()
            let d = rt.device
            print("device       \(rt.deviceDescription)")
            print("memory       \(CUDACommand.mib(d.totalMemoryBytes)) total (cuDeviceTotalMem), L2 \(d.l2CacheBytes / 1_048_576) MiB, \(d.multiprocessors) SMs")
            print("libcuda      \(rt.cuda.libraryPath), driver API \(rt.cuda.driverVersionString)")
            print("NVRTC        \(rt.nvrtc.version.major).\(rt.nvrtc.version.minor) at \(rt.nvrtc.libraryPath), \(rt.nvrtc.architectureOption(for: d.computeCapability).option)")
            for r in rt.memoryReadings {
                print(String(format: "free memory  %-16@ %@ (%ld B) [%@]", r.label as NSString, CUDACommand.mib(r.freeBytes) as NSString, r.freeBytes, r.source as NSString))
            }
            let overhead = ContextOverhead(rt.memoryReadings)
            if let o = overhead.bytes {
                print("context      \(CUDACommand.mib(o)) (\(o) B) = free before cuInit (NVML) − free after the primary context (cuMemGetInfo)"
                      + (overhead.cuInitBytes.map { "; cuInit alone \($0) B" } ?? ""))
            }
            let cat = try catalog.load()
            let name = gpu ?? d.name
            if let g = CUDACommand.catalogGPU(cat, name: gpu, device: d.name) {
                let predicted = Int(g.contextOverhead.value)
                print("catalog      \(g.id): context_overhead \(CUDACommand.mib(predicted))" + (overhead.bytes.map { String(format: " → measured/predicted %.2f", Double($0) / Double(predicted)) } ?? ""))
                print("             usable_memory \(CUDACommand.mib(Int(g.usableMemory.value))) vs cuDeviceTotalMem \(CUDACommand.mib(d.totalMemoryBytes))")
            } else {
                print("catalog      no GPU entry matches '\(name)' (use --gpu)")
            }
        }
    }

    /// What a process loses to CUDA before its first allocation: NVML's free memory before
    /// `cuInit`, minus cuMemGetInfo's after the primary context (same device, same process, nothing
    /// else allocated between) — the figure the catalog's `context_overhead` stands for. `cuInit`
    /// alone is the part before the context.
    struct ContextOverhead {
        var bytes: Int?
        var cuInitBytes: Int?
        init(_ r: [CUDARuntime.MemoryReading]) {
            let start = r.first { $0.label == "before cuInit" }
            let beforeContext = r.first { $0.label == "before context" && $0.source == "NVML" }
            let after = r.first { $0.label == "after context" && $0.source == "cuMemGetInfo" }
            if let b = start ?? beforeContext, let a = after { bytes = b.freeBytes - a.freeBytes }
            if let b = start, let c = beforeContext { cuInitBytes = b.freeBytes - c.freeBytes }
        }
    }

    // MARK: memory

    struct Memory: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Device free memory through a layer's life (context, kernels, weights, KV cache, peak) against the estimator's figures; run it in a fresh process.")
        @Option(help: "Catalog model whose layer 0 is run.")
        var model: String = "qwen2.5-7b-instruct"
        @Option(help: "Scheme.")
        var quant: String = "awq"
        @Option(help: "Prefill tokens.")
        var context: Int = 512
        @Option(help: "Decode steps.")
        var decode: Int = 32
        @Option(help: "KV cache type.")
        var kv: String = "fp16"
        @Option(help: "Catalog GPU for the predicted figures (default: matched by the device's name).")
        var gpu: String?
        @OptionGroup var catalog: CatalogOptions

        func run() throws {
            let cat = try catalog.load()
            let rt = try CUDACommand.runtime()
            let backend = CUDABackend(runtime: rt)
            let m = try cat.model(model).value, scheme = try cat.scheme(quant).value
            guard let kvs = KVCacheStorage(catalogId: kv) else { throw CLIError("unknown KV cache type '\(kv)'") }
            let builder = LayerBuilder(model: m, scheme: scheme, engine: nil, source: SeededWeights(seed: 42)) { spec in
                try QuantizerFactory.quantizer(for: spec, scheme: scheme, model: m)
            }
            let layer = try builder.build(layer: 0, reference: false).layer
            // Kernel modules first, so their code is not counted with the weights.
            var formats = Set<DeviceFormat>()
            for t in layer.weights.all { if let f = try? MatrixPlan.device(forFormat: t.format, capability: rt.device.computeCapability) { formats.insert(f) } }
            _ = try rt.function("rmsnorm", in: .layer)
            for f in formats { _ = try rt.function(f.gemmKernel, in: .matrix(f)) }
            let kernels = try rt.recordMemory("after kernel modules")
            let loaded = try backend.load(layer)
            let weights = try rt.recordMemory("after weights")
            let session = try loaded.makeSession(kvCache: kvs, capacity: context + decode)
            let cache = try rt.recordMemory("after KV cache")
            let h = layer.shape.hidden
            let input = GaussianFill.values((context + decode) * h, seed: 7, std: 1)
            let pre = try session.prefill(Array(input[0..<(context * h)]), tokens: context)
            let peak = try rt.recordMemory("after prefill (buffers held)")
            var times: [Double] = []
            for i in 0..<decode { times.append(try session.decode(Array(input[((context + i) * h)..<((context + i + 1) * h)])).seconds) }
            _ = try rt.recordMemory("after decode")

            let budget = LayerBudget.of(builder, layer: 0, shape: layer.shape,
                                        options: ValidationOptions(prefillTokens: context, decodeSteps: decode, kvCache: kvs, reference: false), backend: backend)
            print("device: \(rt.deviceDescription)")
            print("layer 0 of \(m.id), \(scheme.id), \(kvs.rawValue) cache, \(context) + \(decode) positions")
            print("free memory readings:")
            for r in rt.memoryReadings {
                print(String(format: "  %-30@ %14ld B  %@  [%@]", r.label as NSString, r.freeBytes, CUDACommand.mib(r.freeBytes) as NSString, r.source as NSString))
            }
            func row(_ what: String, measured: Int, predicted: Int64?, note: String) {
                let p = predicted.map { String(format: "%12lld B  %+7.2f %%", $0, $0 > 0 ? 100 * (Double(measured) - Double($0)) / Double($0) : 0) } ?? String(repeating: " ", count: 24)
                print(String(format: "  %-22@ %12ld B  %@  %@", what as NSString, measured, p as NSString, note as NSString))
            }
            print("component              measured (free-memory drop)  predicted     miss      note")
            let ctx = ContextOverhead(rt.memoryReadings)
            let g = CUDACommand.catalogGPU(cat, name: gpu, device: rt.device.name)
            if let c = ctx.bytes { row("CUDA context", measured: c, predicted: g.map { $0.contextOverhead.value }, note: "catalog \(g?.id ?? "?") context_overhead") }
            let afterCtx = rt.memoryReadings.first { $0.label == "after context" && $0.source == "cuMemGetInfo" }!.freeBytes
            row("kernel modules", measured: afterCtx - kernels.freeBytes, predicted: nil, note: "\(formats.count + 1) NVRTC modules")
            let uploaded = Int(loaded.residentWeightBytes.value)
            row("weights", measured: kernels.freeBytes - weights.freeBytes, predicted: budget.weights.value,
                note: "uploaded \(uploaded) B; allocator rounding \(kernels.freeBytes - weights.freeBytes - uploaded) B")
            row("KV cache", measured: weights.freeBytes - cache.freeBytes, predicted: budget.kvCache.value, note: "allocated \(session.kvCacheBytes.value) B")
            row("working (prefill)", measured: cache.freeBytes - peak.freeBytes, predicted: budget.working.value,
                note: "buffers \(session.memory.peak.value) B (\(session.memory.phase))")
            let med = CUDABench.median(times)
            let bytes = Double(uploaded)
            print(String(format: "prefill %ld tokens: %.3f ms; decode median %.1f µs = %.0f GB/s of weight bytes; ×%lld layers → %.1f tokens/s",
                         context, pre.seconds * 1e3, med * 1e6, bytes / med / 1e9, m.numLayers, 1 / (med * Double(m.numLayers))))
        }
    }

    // MARK: check

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every scheme's kernels against the CPU: dequantized matrices, GEMV, GEMM, and whole layers vs the float64 reference on the same quantized weights.",
            discussion: "Exit 0 when every check is within tolerance, 1 when one is not, 2 for invalid input or no GPU.")
        @Option(help: "Catalog models whose layer 0 is built (comma list).")
        var model: [String] = ["qwen2.5-1.5b-instruct"]
        @Option(help: "Schemes (comma list).")
        var quant: [String] = CUDACommand.checkSchemes
        @Option(help: "Prefill tokens of the layer check.")
        var tokens: Int = 48
        @Option(help: "Decode steps after the prefill.")
        var decode: Int = 4
        @Option(help: "KV cache types (comma list).")
        var kv: [String] = ["fp16"]
        @Option(help: "Tolerance on the layer update's relative L2 error vs float64 (fp16 activations: ~1e-3 expected; twice this with a q4_0 cache, see CUDAKVCheck.layerToleranceFactor).")
        var tolerance: Double = 5e-3
        @Option(help: "Tolerance on the GEMV/GEMM relative L2 error vs the CPU's matvec/matmul.")
        var kernelTolerance: Double = 5e-3
        @Flag(help: "Skip the per-matrix kernel checks (layers only).")
        var layersOnly = false
        @OptionGroup var catalog: CatalogOptions

        func run() throws {
            let cat = try catalog.load()
            let rt = try CUDACommand.runtime()
            let backend = CUDABackend(runtime: rt)
            print("device: \(rt.deviceDescription)")
            var failures: [String] = []
            print("scheme                 model                   kv     formats                              dequant  gemv     gemm     prefill  decode   vs-cpu   ok")
            for modelName in CUDACommand.split(model) {
                let m = try cat.model(modelName).value
                for kvName in CUDACommand.split(kv) {
                    guard let kvs = KVCacheStorage(catalogId: kvName) else { throw CLIError("unknown KV cache type '\(kvName)'") }
                    // The store kernel is checked for every type it has, refused ones included (the
                        // check is how a refusal gets lifted).
                    if kvs != .fp8 || rt.device.computeCapability.hasFP8 {
                        let c = try CUDAKVCheck.check(rt, storage: kvs)
                        print(String(format: "kv_store %@: %ld of %ld cache bytes differ from the host encoding; decode difference %.1e of max |value|",
                                     kvs.rawValue as NSString, c.differingBytes, c.totalBytes, c.decodeError))
                        for d in c.firstDifferences { print("  \(d)") }
                    }
                    for q in CUDACommand.split(quant) {
                        let scheme = try cat.scheme(q).value
                        let builder = LayerBuilder(model: m, scheme: scheme, engine: nil, source: SeededWeights(seed: 42)) { spec in
                            try QuantizerFactory.quantizer(for: spec, scheme: scheme, model: m)
                        }
                        let line = try checkOne(builder, scheme: scheme.id, model: m.id, kv: kvs, rt: rt, backend: backend)
                        print(line.text)
                        if !line.ok { failures.append("\(scheme.id) on \(m.id) (\(kvs.rawValue))") }
                    }
                }
            }
            if !failures.isEmpty {
                print("FAILED: " + failures.joined(separator: "; "))
                throw ExitCode(1)
            }
            print("all checks within tolerance (layer \(tolerance), ×\(Int(CUDAKVCheck.layerToleranceFactor(.q4_0))) with a q4_0 cache; kernels \(kernelTolerance))")
        }

        func checkOne(_ builder: LayerBuilder, scheme: String, model: String, kv: KVCacheStorage, rt: CUDARuntime, backend: CUDABackend) throws -> (text: String, ok: Bool) {
            let built: LayerBuilder.Built
            do { built = try builder.build(layer: 0, reference: false) } catch {
                return (String(format: "%-22@ %-23@ %-6@ not buildable: %@", scheme as NSString, model as NSString, kv.rawValue as NSString, "\(error)" as NSString), true)
            }
            let layer = built.layer
            var formats: [String] = []
            var dq = 0.0, gv = 0.0, gm = 0.0
            var unsupported: String?
            for w in matrices(layer.weights) where !formats.contains(w.format) || !layersOnly {
                if let why = backend.unsupportedReason(weightFormat: w.format) { unsupported = why; break }
                if !formats.contains(w.format) { formats.append(w.format) }
                if layersOnly { continue }
                let c = try CUDAKernelCheck.check(rt, weight: w)
                dq = max(dq, c.dequantError); gv = max(gv, c.gemvError); gm = max(gm, c.gemmError)
            }
            let head = String(format: "%-22@ %-23@ %-6@ %-36@", scheme as NSString, model as NSString, kv.rawValue as NSString,
                              formats.joined(separator: "+").prefix(36).description as NSString)
            if let why = unsupported { return (head + " unsupported on cuda: " + why, true) }
            if let why = backend.unsupportedReason(kvCache: kv) { return (head + " unsupported KV: " + why, true) }
            // The whole layer: CUDA vs float64 on the same quantized weights, and vs the CPU backend.
            let s = layer.shape, h = s.hidden, n = tokens + decode
            let input = GaussianFill.values(n * h, seed: 1234, std: 1)
            let gpu = try run(backend.load(layer), kv: kv, input: input, hidden: h)
            let cpu = try run(CPUBackend(availableMemory: { .zero }).load(layer), kv: kv, input: input, hidden: h)
            let ref = ReferenceLayer(layer, kvRounding: kv).forward(input, positions: n, outputs: Array(0..<n))
            func updateError(_ out: [Float], _ rows: Range<Int>) -> Double {
                var y: [Double] = [], r: [Double] = []
                for p in rows {
                    for i in 0..<h { y.append(Double(out[p * h + i]) - Double(input[p * h + i])); r.append(ref[p][i] - Double(input[p * h + i])) }
                }
                return OutputError.compare(y, r).relativeL2
            }
            let pe = updateError(gpu, 0..<tokens), de = decode > 0 ? updateError(gpu, tokens..<n) : 0
            let cpuRef = updateError(cpu, 0..<n)
            var yc: [Double] = [], rc: [Double] = []
            for i in 0..<(n * h) { yc.append(Double(gpu[i]) - Double(input[i])); rc.append(Double(cpu[i]) - Double(input[i])) }
            let vc = OutputError.compare(yc, rc).relativeL2
            let layerTol = tolerance * CUDAKVCheck.layerToleranceFactor(kv)
            let ok = pe <= layerTol && de <= layerTol && vc <= layerTol && (layersOnly || (dq <= 1e-5 && gv <= kernelTolerance && gm <= kernelTolerance))
            let text = head + String(format: " %.1e  %.1e  %.1e  %.1e  %.1e  %.1e  %@  (cpu vs f64 %.1e)", dq, gv, gm, pe, de, vc, (ok ? "ok" : "FAIL") as NSString, cpuRef)
            return (text, ok)
        }

        /// Prefill `tokens`, then `decode` single steps; all outputs concatenated.
        func run(_ loaded: any LoadedLayer, kv: KVCacheStorage, input: [Float], hidden h: Int) throws -> [Float] {
            let session = try loaded.makeSession(kvCache: kv, capacity: tokens + decode)
            var out = try session.prefill(Array(input[0..<(tokens * h)]), tokens: tokens).output
            for i in 0..<decode { out += try session.decode(Array(input[((tokens + i) * h)..<((tokens + i + 1) * h)])).output }
            return out
        }

        func matrices(_ w: LayerWeights) -> [any QuantizedWeight] {
            var out: [any QuantizedWeight] = [w.q, w.k, w.v, w.o]
            switch w.mlp {
            case .dense(let e): out += [e.gate, e.up, e.down]
            case .moe(let r, let experts, let shared, let g):
                out.append(r)
                if let e = experts.first { out += [e.gate, e.up, e.down] }
                if let s = shared { out += [s.gate, s.up, s.down] }
                if let g { out.append(g) }
            }
            return out
        }
    }

    /// Every scheme with a CUDA kernel, as catalog ids.
    static let checkSchemes = ["fp16", "bf16", "fp32", "int8", "bnb-int8", "awq", "gptq-int4", "gptq-int4-actorder", "bnb-nf4", "bnb-nf4-dq",
                               "bnb-fp4", "fp8", "fp8-channel", "fp8-block", "q8_0", "q4_0", "q4_1", "q5_0", "q5_1", "q4_k_m", "q5_k_m", "q6_k"]

    // MARK: bench

    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Device-to-device copy bandwidth, then each scheme's GEMV (GB/s of weight bytes) and GEMM (TFLOP/s) on a model's layer shapes.")
        @Option(help: "Catalog models whose layer 0 matrices are timed (comma list).")
        var model: [String] = ["qwen2.5-7b-instruct", "llama-3.1-70b"]
        @Option(help: "Schemes (comma list).")
        var quant: [String] = ["awq", "gptq-int4", "int8", "fp16", "bnb-nf4", "fp8-channel", "q8_0", "q4_k_m"]
        @Option(help: "Prefill token counts for the GEMM (comma list).")
        var tokens: [String] = ["512", "2048"]
        @Flag(help: "Time every rows-per-warp variant of the GEMV, not only the automatic choice.")
        var variants = false
        @Option(help: "Write the results as JSON to this file.")
        var json: String?
        @OptionGroup var catalog: CatalogOptions

        struct Record: Codable {
            var kind: String, model: String, scheme: String, matrix: String, format: String
            var rows: Int, cols: Int, tokens: Int, bytes: Int, rowsPerWarp: Int, automatic: Bool
            var seconds: Double, gbps: Double, tflops: Double, fractionOfCopy: Double
        }

        func run() throws {
            let cat = try catalog.load()
            let rt = try CUDACommand.runtime()
            print("device: \(rt.deviceDescription)")
            let copy = try CUDABench.copyBandwidth(rt)
            print(String(format: "copy: %.0f GB/s (device-to-device, %ld MiB, read + written, median of 20)", copy.gbps, copy.bytes >> 20))
            var records: [Record] = [Record(kind: "copy", model: "", scheme: "", matrix: "", format: "", rows: 0, cols: 0, tokens: 0, bytes: copy.bytes,
                                            rowsPerWarp: 0, automatic: true, seconds: copy.medianSeconds, gbps: copy.gbps, tflops: 0, fractionOfCopy: 1)]
            let tokenCounts = CUDACommand.split(tokens).compactMap(Int.init)
            for modelName in CUDACommand.split(model) {
                let m = try cat.model(modelName).value
                for q in CUDACommand.split(quant) {
                    let scheme = try cat.scheme(q).value
                    let builder = LayerBuilder(model: m, scheme: scheme, engine: nil, source: SeededWeights(seed: 42)) { spec in
                        try QuantizerFactory.quantizer(for: spec, scheme: scheme, model: m)
                    }
                    let layer = try builder.build(layer: 0, reference: false).layer
                    let w = layer.weights
                    guard case .dense(let e) = w.mlp else { print("\(m.id): MoE layers are not benchmarked here"); continue }
                    let mats: [(String, any QuantizedWeight)] = [("q", w.q), ("k", w.k), ("v", w.v), ("o", w.o), ("gate", e.gate), ("up", e.up), ("down", e.down)]
                    var layerBytes = 0, layerSeconds = 0.0
                    for (name, mat) in mats {
                        if let why = CUDABackend(runtime: rt).unsupportedReason(weightFormat: mat.format) { print("\(scheme.id) \(name): \(why)"); continue }
                        let results = try CUDABench.gemv(rt, name: name, weight: mat, variants: variants ? [nil, 1, 2, 4] : [nil])
                        for r in results {
                            print(String(format: "gemv %-14@ %-12@ %-5@ %-22@ %6ld × %-6ld %9.2f MB  r%ld%@ %8.2f µs  %7.0f GB/s  %5.1f %% of copy",
                                         m.id.prefix(14).description as NSString, scheme.id as NSString, name as NSString, r.format as NSString,
                                         r.rows, r.cols, Double(r.bytes) / 1e6, r.rowsPerWarp, (r.automatic ? "*" : " ") as NSString,
                                         r.medianSeconds * 1e6, r.gbps, 100 * r.gbps / copy.gbps))
                            records.append(Record(kind: "gemv", model: m.id, scheme: scheme.id, matrix: name, format: r.format, rows: r.rows, cols: r.cols, tokens: 1,
                                                  bytes: r.bytes, rowsPerWarp: r.rowsPerWarp, automatic: r.automatic, seconds: r.medianSeconds, gbps: r.gbps,
                                                  tflops: 0, fractionOfCopy: r.gbps / copy.gbps))
                            if r.automatic { layerBytes += r.bytes; layerSeconds += r.medianSeconds }
                        }
                    }
                    if layerSeconds > 0 {
                        let gbps = Double(layerBytes) / layerSeconds / 1e9
                        print(String(format: "gemv %-14@ %-12@ all 7 matrices: %.2f MB in %.2f µs = %.0f GB/s (%.1f %% of copy)",
                                     m.id.prefix(14).description as NSString, scheme.id as NSString, Double(layerBytes) / 1e6, layerSeconds * 1e6, gbps, 100 * gbps / copy.gbps))
                        records.append(Record(kind: "gemv-layer", model: m.id, scheme: scheme.id, matrix: "all", format: "", rows: 0, cols: 0, tokens: 1,
                                              bytes: layerBytes, rowsPerWarp: 0, automatic: true, seconds: layerSeconds, gbps: gbps, tflops: 0, fractionOfCopy: gbps / copy.gbps))
                    }
                    for t in tokenCounts where CUDABackend(runtime: rt).unsupportedReason(weightFormat: e.gate.format) == nil {
                        let g = try CUDABench.gemm(rt, name: "gate", weight: e.gate, tokens: t)
                        print(String(format: "gemm %-14@ %-12@ gate %-22@ %5ld × %6ld × %-6ld %9.1f µs  %6.1f TFLOP/s",
                                     m.id.prefix(14).description as NSString, scheme.id as NSString, g.format as NSString, t, g.rows, g.cols, g.medianSeconds * 1e6, g.tflops))
                        records.append(Record(kind: "gemm", model: m.id, scheme: scheme.id, matrix: "gate", format: g.format, rows: g.rows, cols: g.cols, tokens: t,
                                              bytes: 0, rowsPerWarp: 0, automatic: true, seconds: g.medianSeconds, gbps: 0, tflops: g.tflops, fractionOfCopy: 0))
                    }
                }
            }
            if let path = json {
                let enc = JSONEncoder()
                enc.outputFormatting = [.prettyPrinted, .sortedKeys]
                try enc.encode(records).write(to: URL(fileURLWithPath: path))
            }
        }
    }
}
