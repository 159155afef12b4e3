/// The map as the engines take it: accelerate's `device_map`/`max_memory` and llama.cpp flags.
extension DeviceMap {
    /// `{"model.embed_tokens": 0, "model.layers.0": 0, …, "lm_head": 1}` (Python/JSON dict; "cpu" quoted).
    public var accelerateDeviceMap: String {
        let items = placements.map { p -> String in
            let module = p.module == "lm_head" ? "lm_head" : p.module
            return "\"\(module)\": \(p.device == "cpu" ? "\"cpu\"" : p.device)"
        }
        let norm = placements.last.map { "\"model.norm\": \($0.device == "cpu" ? "\"cpu\"" : $0.device)" }
        return "{" + (items.dropLast() + [norm].compactMap { $0 } + items.suffix(1)).joined(separator: ", ") + "}"
    }

    /// `{0: "20480MiB", 1: "9216MiB", "cpu": "65536MiB"}`: what accelerate may put on each device,
    /// i.e. capacity less the reserve, so the cache and activations have their room.
    public var maxMemory: String {
        let parts = devices.map { d -> String in
            let mib = max(0, d.gpu == nil ? d.capacity.value >> 20 : d.maxMemory.value >> 20)
            return "\(d.gpu == nil ? "\"cpu\"" : d.name): \"\(mib)MiB\""
        }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// `--n-gpu-layers`, `--tensor-split` and `--override-tensor` for this map, built by
    /// `LlamaCppPlacement` (the one place llama.cpp's placement flags are written, shared with the exporter).
    public var llamaCppArguments: [String] { llamaCppPlacement.arguments }
}
