/// Where llama.cpp puts the model, as the flags `llama-server` takes: `--n-gpu-layers`,
/// `--tensor-split` and, for MoE models whose experts do not fit, `--override-tensor`. The one
/// place these flags are built, for `plan`'s device map and `export --to llama.cpp` alike.
///
/// llama.cpp counts the output layer as layer n_layer: `-ngl n_layer + 1` puts everything on the
/// GPUs, and fewer offloads the LAST layers (`i_gpu_start = n_layer − n_gpu_layers`,
/// src/llama-model.cpp), keeping the output on the CPU (common/arg.cpp `-ngl, --n-gpu-layers N`).
/// `--tensor-split` takes proportions; layer counts reproduce the planned split exactly.
/// `--override-tensor "<regex>=CPU"` keeps matching tensors in host memory (common/arg.cpp
/// `-ot, --override-tensor <tensor name pattern>=<buffer type>`); `ffn_.*_exps` are the routed
/// experts' gate/up/down tensors in GGUF naming (blk.N.ffn_gate_exps.weight …).
public struct LlamaCppPlacement: Sendable, Equatable {
    /// Repeating (decoder) layers in the model.
    public var numLayers: Int64
    /// Decoder layers per GPU, in device order; their sum is the offloaded layer count.
    public var layersPerGPU: [Int64]
    /// Whether the output layer goes to the GPU too (llama.cpp does so only when every decoder layer does).
    public var outputOnGPU: Bool
    /// MoE layers whose routed experts stay in host memory.
    public var expertLayersOnCPU: [Int64]

    public init(numLayers: Int64, layersPerGPU: [Int64], outputOnGPU: Bool, expertLayersOnCPU: [Int64] = []) {
        self.numLayers = numLayers; self.layersPerGPU = layersPerGPU; self.outputOnGPU = outputOnGPU
        self.expertLayersOnCPU = expertLayersOnCPU
    }

    /// Everything on `layersPerGPU.count` GPUs (an empty list: a CPU-only host).
    public static func allOnGPUs(numLayers: Int64, layersPerGPU: [Int64]) -> LlamaCppPlacement {
        LlamaCppPlacement(numLayers: numLayers, layersPerGPU: layersPerGPU, outputOnGPU: !layersPerGPU.isEmpty)
    }

    public var gpuLayers: Int64 { layersPerGPU.reduce(0, +) }

    /// The `--n-gpu-layers` value: decoder layers on GPUs, plus one for the output layer.
    public var nGPULayers: Int64 { gpuLayers + (outputOnGPU && gpuLayers == numLayers ? 1 : 0) }

    public var arguments: [String] {
        var args = ["--n-gpu-layers", String(nGPULayers)]
        let gpus = layersPerGPU.filter { $0 > 0 }
        if gpus.count > 1 { args += ["--tensor-split", layersPerGPU.map(String.init).joined(separator: ",")] }
        if !expertLayersOnCPU.isEmpty {
            let pattern = expertLayersOnCPU.count == numLayers
                ? "ffn_.*_exps\\.=CPU"
                : "blk\\.(\(expertLayersOnCPU.map(String.init).joined(separator: "|")))\\.ffn_.*_exps\\.=CPU"
            args += ["--override-tensor", pattern]
        }
        return args
    }
}

extension DeviceMap {
    /// The map as llama.cpp places it. accelerate's order (first layers on GPUs) is read as
    /// llama.cpp's (last layers on GPUs) by count: only the number of offloaded layers reaches llama.cpp.
    public var llamaCppPlacement: LlamaCppPlacement {
        let gpus = devices.filter { $0.gpu != nil }
        let outputOnGPU = placements.last.map { $0.device != "cpu" } ?? false
        return LlamaCppPlacement(numLayers: numLayers, layersPerGPU: gpus.map(\.layers), outputOnGPU: outputOnGPU,
                                 expertLayersOnCPU: expertLayersOnCPU)
    }
}
