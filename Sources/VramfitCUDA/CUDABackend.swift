import CUDADriver
import VramfitCore
import VramfitRunner

/// The micro-runner on an NVIDIA GPU through the CUDA driver API: weights uploaded in their
/// quantized storage and dequantized inside NVRTC-compiled kernels (GEMV for decode, tensor-core
/// GEMM for prefill), attention over a KV cache in `KVCacheStorage` layout. Same calls and same
/// semantics as the CPU backend, which is its oracle in tests.
public final class CUDABackend: RunnerBackend {
    public let target = "cuda"
    public let runtime: CUDARuntime

    /// Opens GPU `ordinal`; a missing driver, NVRTC or GPU becomes
    /// `RunnerError.backendUnavailable` with the reason, so `--target cuda` fails cleanly.
    public init(ordinal: Int = 0) throws {
        do { runtime = try CUDARuntime.open(ordinal: ordinal) } catch let e as CUDAError {
            throw RunnerError.backendUnavailable(target: "cuda", reason: e.description)
        }
    }

    public init(runtime: CUDARuntime) { self.runtime = runtime }

    /// The device's own name ("NVIDIA H100 80GB HBM3"), which the GPU catalog knows as an alias, so
    /// `validate` compares with that entry; `runtime.deviceDescription` adds arch and driver.
    public var deviceName: String { runtime.device.name }

    private var copyBandwidth: Double?

    /// Device-to-device copy of 1 GiB, (bytes read + bytes written) / time, median of 10: the
    /// measured ceiling the decode roofline uses instead of the datasheet figure.
    public func measuredBandwidth() -> Double? {
        if let b = copyBandwidth { return b }
        guard let r = try? CUDABench.copyBandwidth(runtime, bytes: 1 << 30, repeats: 10) else { return nil }
        copyBandwidth = r.gbps * 1e9
        return copyBandwidth
    }

    public func availableMemory() -> ByteCount {
        guard let m = try? runtime.context.memoryInfo() else { return .zero }
        return ByteCount(Int64(m.free))
    }

    public func unsupportedReason(weightFormat: String) -> String? {
        do { _ = try MatrixPlan.device(forFormat: weightFormat, capability: runtime.device.computeCapability); return nil } catch {
            return error.description
        }
    }

    public func unsupportedReason(kvCache: KVCacheStorage) -> String? {
        if Self.checkedCaches.contains(kvCache) { return storeCheckFailure(kvCache) }
        if kvCache == .fp8 && !runtime.device.computeCapability.hasFP8 {
            return "an FP8 cache needs compute capability 8.9 or newer (this GPU is \(runtime.device.computeCapability))"
        }
        return nil
    }

    public func workingMemoryBound(_ shape: LayerShape, tokens: Int, context: Int) -> ByteCount {
        let plan = StepBuffers(shape: shape, tokens: tokens, positions: context, multiprocessors: runtime.device.multiprocessors)
        return ByteCount(Int64(plan.totalBytes))
    }

    public func load(_ layer: Layer) throws -> any LoadedLayer {
        if let why = Self.unsupportedShape(layer.shape) {
            throw RunnerError.unsupportedOnTarget(target: target, what: "layer of \(layer.shape.modelId)", reason: why)
        }
        do { return try CUDALoadedLayer(layer, runtime: runtime) } catch let e as MatrixPlanError {
            throw RunnerError.unsupportedOnTarget(target: target, what: "weights of \(layer.shape.modelId)", reason: e.description)
        }
    }

    /// Block-quantized caches are served only when this device's `kv_store` writes the same bytes
    /// as the host encoder (`CUDAKVCheck`, run once per backend): on the H100 the first kernel's
    /// q8_0 and q4_0 rows differed from the host in about one byte per 32-value block and layer
    /// outputs missed the float64 reference by ~0.1 (docs/validation/h100.md), so the decision
    /// is the device's evidence, not a flag.
    static let checkedCaches: Set<KVCacheStorage> = [.q8_0, .q4_0]
    private var storeChecks: [KVCacheStorage: String?] = [:]

    /// nil when the device's store of `kv` matched the host encoding byte for byte; else why not.
    func storeCheckFailure(_ kv: KVCacheStorage) -> String? {
        if let known = storeChecks[kv] { return known }
        let why: String?
        do {
            let c = try CUDAKVCheck.check(runtime, storage: kv)
            why = c.differingBytes == 0 ? nil
                : "the CUDA backend's \(kv.rawValue) cache store differs from the host encoding in \(c.differingBytes) of \(c.totalBytes) bytes on this GPU (docs/validation/h100.md); use fp16, bf16, fp32 or fp8, or --target cpu"
        } catch {
            why = "the CUDA backend's \(kv.rawValue) cache store could not be checked on this GPU: \(error)"
        }
        storeChecks[kv] = .some(why)
        return why
    }

    /// Shapes the attention kernel cannot take (checked before anything is uploaded).
    static func unsupportedShape(_ s: LayerShape) -> String? {
        if s.headDim > LayerSource.attentionThreads || LayerSource.attentionThreads % s.headDim != 0 || s.headDim % 8 != 0 {
            return "head dimension \(s.headDim) (the attention kernel takes multiples of 8 that divide 256)"
        }
        return nil
    }
}

/// Every activation buffer one step (prefill of T tokens or one decode token) uses, with sizes.
/// All are live for the whole step (allocated before the timed region so no allocation happens
/// between kernels), so their sum is the step's working memory.
struct StepBuffers {
    var items: [(name: String, bytes: Int)] = []
    let splits: Int
    let length: Int

    init(shape s: LayerShape, tokens t: Int, positions: Int, multiprocessors: Int) {
        let f = 4
        let sp = LaunchGeometry.attentionSplit(positions: positions, heads: s.heads, tokens: t, multiprocessors: multiprocessors)
        splits = sp.splits; length = sp.length
        items = [("residual", t * s.hidden * f), ("normed hidden", t * s.hidden * f), ("q", t * s.qDim * f),
                 ("k", t * s.kvDim * f), ("v", t * s.kvDim * f), ("attention output", t * s.qDim * f),
                 ("attention partials", LaunchGeometry.attentionPartialBytes(tokens: t, heads: s.heads, splits: splits, headDim: s.headDim))]
        if let m = s.moe {
            items += [("router logits", t * m.experts * f), ("routing", 2 * t * m.topK * 4), ("moe output", t * s.hidden * f),
                      ("expert input", t * s.hidden * f), ("expert gate", t * m.expertIntermediate * f),
                      ("expert up", t * m.expertIntermediate * f), ("expert output", t * s.hidden * f)]
            if m.sharedIntermediate > 0 {
                items += [("shared gate", t * m.sharedIntermediate * f), ("shared up", t * m.sharedIntermediate * f),
                          ("shared output", t * s.hidden * f), ("shared expert gate", t * f)]
            }
        } else {
            items += [("mlp gate", t * s.intermediate * f), ("mlp up", t * s.intermediate * f)]
        }
    }

    var totalBytes: Int { items.reduce(0) { $0 + $1.bytes } }
}
