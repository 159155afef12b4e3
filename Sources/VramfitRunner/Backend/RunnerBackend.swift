import VramfitCore

/// A device that executes one decoder layer: the CPU (`CPUBackend`, this module) or a GPU (the
/// CUDA backend, a separate target). `vramfit validate` drives every backend through exactly these
/// calls, in this order, so measurements from different targets mean the same thing:
///
///  1. `unsupportedReason(weightFormat:)` / `unsupportedReason(kvCache:)` for every weight and the
///     cache type — an unsupported scheme × target fails here, before anything is allocated;
///  2. `availableMemory()` against `LayerBudget` (weights + KV cache + working memory), also before
///     allocating — too big fails with the bytes needed vs available;
///  3. `load(_:)` — the layer's weights, byte for byte as the quantizer produced them;
///  4. `LoadedLayer.makeSession(kvCache:capacity:)` — an empty KV cache for `capacity` positions;
///  5. `LayerSession.prefill(_:tokens:)` once with T tokens, then `decode(_:)` N times.
///
/// Conventions every implementation keeps:
///  - Activations cross the API as fp32, row-major `[tokens, hidden]`. What the backend computes
///    in internally is its own business, but the output must match the CPU backend (the oracle in
///    GPU tests) within the tolerance stated in docs/runner.md.
///  - Weights are consumed in their quantized storage (`QuantizedWeight.buffers`), dequantized inside
///    the kernels; a backend must not keep an fp32/fp16 copy of a quantized matrix. `residentWeightBytes`
///    is what it actually holds for the layer and should equal Σ `allocatedBytes`.
///  - The KV cache stores K and V per position as `KVCacheStorage` rows of `kvHeads × headDim` values
///    (K and V separately), so its size is `capacity × KVCacheStorage.bytes(forValues:) × 2`, the
///    figure `KVCacheSize.bytesPerTokenPerLayer` predicts. Prefill and decode attention read K/V back
///    from the cache (quantized cache types affect prefill too, as in llama.cpp).
///  - Semantics are Hugging Face's modeling code for the family (see `LayerShape`): pre-norm RMSNorm,
///    q/k/v (+bias), optional per-head q/k RMSNorm, rotate-half RoPE, causal (optionally sliding)
///    GQA softmax attention scaled by 1/√headDim, o_proj (+bias), residual; RMSNorm, SwiGLU MLP or
///    MoE (softmax router, top-k, optional renormalisation, shared expert with sigmoid gate), residual.
///  - Times are the device's own: wall time of the compute for the CPU; for a GPU, from the first
///    kernel launch to completion (synchronised), excluding host↔device copies of the activations.
public protocol RunnerBackend: AnyObject {
    /// The `--target` name: "cpu", "cuda".
    var target: String { get }
    /// The device in words, e.g. "Intel Xeon @ 2.80GHz, 2 cores" or "NVIDIA H100 80GB HBM3 (sm_90)".
    var deviceName: String { get }
    /// Bytes the backend can allocate right now for one layer's weights, KV cache and working
    /// memory (free device memory; the host's available memory for the CPU).
    func availableMemory() -> ByteCount
    /// nil when weights of this `QuantizedWeight.format` can be executed, else the reason they cannot.
    func unsupportedReason(weightFormat: String) -> String?
    /// nil when a KV cache of this storage type can be used, else the reason.
    func unsupportedReason(kvCache: KVCacheStorage) -> String?
    /// Upper bound of the working memory (activations and scratch, not weights or KV cache) the backend
    /// allocates to run `shape` over `tokens` new tokens against `context` cached positions; used
    /// for the check before allocating. It must be ≥ what `LayerSession.memory` then reports.
    func workingMemoryBound(_ shape: LayerShape, tokens: Int, context: Int) -> ByteCount
    /// The device's memory bandwidth measured on this machine (bytes/s of a read stream), used as the
    /// bandwidth of the decode roofline; nil when the backend does not measure one (then the
    /// catalog's figure for the device is used). Has a default (nil), so it is optional to implement.
    func measuredBandwidth() -> Double?
    /// Takes the layer's weights onto the device (the CPU keeps references; a GPU uploads
    /// `buffers` byte for byte) and returns a handle that runs it.
    func load(_ layer: Layer) throws -> any LoadedLayer
}

extension RunnerBackend {
    public func measuredBandwidth() -> Double? { nil }
}

/// A layer resident on a backend.
public protocol LoadedLayer: AnyObject {
    var shape: LayerShape { get }
    /// Weight bytes the backend holds for this layer.
    var residentWeightBytes: ByteCount { get }
    /// Allocates an empty KV cache of `capacity` positions in `kvCache` storage and returns a session
    /// that runs tokens through the layer against it.
    func makeSession(kvCache: KVCacheStorage, capacity: Int) throws -> any LayerSession
}

/// One sequence running through a loaded layer: its KV cache and its measurements.
public protocol LayerSession: AnyObject {
    /// Positions already in the cache (the next token's position).
    var position: Int { get }
    var capacity: Int { get }
    var kvCache: KVCacheStorage { get }
    /// Bytes allocated for K and V together (capacity × per-position bytes × 2).
    var kvCacheBytes: ByteCount { get }
    /// Runs `tokens` new tokens (`input`: tokens × hidden fp32) at positions `position ..< position + tokens`,
    /// appending their K/V to the cache. Returns the layer output (tokens × hidden, residual included).
    func prefill(_ input: [Float], tokens: Int) throws -> StepResult
    /// One new token (`input`: hidden fp32) through the decode path (matrix × vector kernels).
    func decode(_ input: [Float]) throws -> StepResult
    /// Working memory (activations and scratch the backend allocated, not weights or KV cache):
    /// the peak since the session began and which buffers were live at that moment.
    var memory: WorkingMemoryReport { get }
}

/// The output of one prefill or decode call and how long the device took.
public struct StepResult: Sendable {
    public var output: [Float]
    public var seconds: Double
    public init(output: [Float], seconds: Double) { self.output = output; self.seconds = seconds }
}

/// Peak working memory of a session, with the buffers live at the peak (name → bytes), so the
/// comparison with the estimator's activation model can be explained buffer by buffer.
public struct WorkingMemoryReport: Sendable, Equatable {
    public var peak: ByteCount
    /// The phase in which the peak occurred, e.g. "prefill: attention", "prefill: mlp".
    public var phase: String
    public var buffersAtPeak: [Buffer]

    public struct Buffer: Sendable, Equatable {
        public var name: String
        public var bytes: ByteCount
        public init(name: String, bytes: ByteCount) { self.name = name; self.bytes = bytes }
    }

    public init(peak: ByteCount, phase: String, buffersAtPeak: [Buffer]) {
        self.peak = peak; self.phase = phase; self.buffersAtPeak = buffersAtPeak
    }
}
