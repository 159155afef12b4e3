/// Per-layer placement over several GPUs (possibly of different kinds) and CPU RAM, for engines
/// that split a model by layers: accelerate/transformers `device_map` with `max_memory`, and
/// llama.cpp `--n-gpu-layers`/`--tensor-split`/`--override-tensor`.
///
/// The map reserves on every GPU its share of the KV cache (per layer it holds), the activation
/// peak and the CUDA context before placing weights. accelerate's `infer_auto_device_map` balances
/// weights only and leaves no room for the cache on the first GPUs (the "unbalanced auto map"
/// problem: huggingface/accelerate#1286, transformers#22369); passing `max_memory` = capacity − reserve
/// is the documented fix (accelerate big_modeling guide, "Designing a device map").
public struct DeviceMap: Sendable {
    /// One module of the model placed on a device: `model.layers.3` → "1".
    public struct Placement: Sendable, Equatable {
        public var module: String
        /// Decoder layer index; nil for embeddings, final norm and head.
        public var layer: Int64?
        /// GPU index ("0", "1", …) or "cpu".
        public var device: String
        public var bytes: ByteCount
    }

    public struct Device: Sendable {
        public var name: String
        public var gpu: GPU?
        public var capacity: ByteCount
        /// KV share + activation peak + context overhead kept free for this device.
        public var reserve: ByteCount
        public var weights: ByteCount
        public var layers: Int64
        /// accelerate `max_memory`: what weights may take here.
        public var maxMemory: ByteCount { capacity - reserve }
        public var total: ByteCount { weights + reserve }
    }

    public var placements: [Placement]
    public var devices: [Device]
    /// Weight bytes left in CPU RAM (0 when everything is on GPUs).
    public var offloaded: ByteCount
    /// MoE only: layers whose routed experts stay in CPU RAM while attention stays on the GPUs
    /// (llama.cpp `-ot ffn_.*_exps=CPU`); empty when experts fit.
    public var expertLayersOnCPU: [Int64]
    public var numLayers: Int64

    public var fitsOnGPUs: Bool { offloaded == .zero && expertLayersOnCPU.isEmpty }
    public var gpuLayers: Int64 { devices.filter { $0.gpu != nil }.reduce(0) { $0 + $1.layers } }
}
