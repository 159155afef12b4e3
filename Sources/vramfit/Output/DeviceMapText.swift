import VramfitCore

/// The device map section of `plan`: per device what it holds and keeps free, then the launch
/// arguments for accelerate and llama.cpp.
enum DeviceMapText {
    static func render(_ m: PlannedDeviceMap) -> String {
        let e = m.estimate, map = m.map
        var out: [String] = []
        let which = m.candidateRank.map { "#\($0)" } ?? "no candidate fits on the GPUs alone"
        out.append("Device map (\(which): \(e.scheme.id) with \(e.engine.name), context \(e.context) × \(e.batch)):")
        for d in map.devices {
            let label = d.gpu.map { "gpu\(d.name) \($0.id)" } ?? "cpu"
            let layers = map.placements.filter { $0.device == d.name && $0.layer != nil }.compactMap(\.layer)
            let range = layers.isEmpty ? "no layers" : "layers \(layers.min()!)–\(layers.max()!)"
            if d.gpu != nil {
                out.append("  \(label): \(range) · weights \(ByteFormat.binary(d.weights)) + KV/activations/context \(ByteFormat.binary(d.reserve)) = \(ByteFormat.binary(d.total)) of \(ByteFormat.binary(d.capacity))")
            } else {
                let cap = d.capacity > .zero ? " of \(ByteFormat.binary(d.capacity)) host memory" : " (no --host-memory given)"
                out.append("  \(label): \(range) · weights \(ByteFormat.binary(d.weights))\(cap)")
            }
        }
        if !map.expertLayersOnCPU.isEmpty {
            out.append("  routed experts of \(map.expertLayersOnCPU.count) of \(map.numLayers) layers stay in CPU RAM; attention and the KV cache stay on the GPUs")
        }
        if [.llamaCpp, .ollama].contains(e.engine.memoryModel) {
            out.append("  llama.cpp: " + map.llamaCppArguments.map { $0.contains("|") || $0.contains("*") ? "\"\($0)\"" : $0 }.joined(separator: " "))
        } else {
            out.append("  from_pretrained(device_map=\(map.accelerateDeviceMap),")
            out.append("                  max_memory=\(map.maxMemory))")
        }
        for v in m.verdicts { out.append("  ↳ \(v)") }
        return out.joined(separator: "\n")
    }
}
