/// Builds a `DeviceMap`: which layers go to which GPU (balanced by bytes in proportion to each
/// device's free memory, so a 24 GiB card beside a 12 GiB one takes twice the layers), what stays
/// in CPU RAM, and for MoE models whether moving only the routed experts to the CPU is enough.
public enum DeviceMapper {
    public enum Style: Sendable { case accelerate, llamaCpp }

    /// - Parameters:
    ///   - kvPerLayer: KV-cache bytes one decoder layer needs for the workload (context × batch).
    ///   - activation: transient peak each GPU must keep free (prefill activations / compute buffers, logits).
    ///   - hostMemory: CPU RAM weights may use; nil for none (then what does not fit is still listed on "cpu").
    public static func map(model: Model, scheme: QuantScheme, engine: Engine, gpus: [GPU], kvPerLayer: ByteCount,
                           activation: ByteCount, hostMemory: ByteCount? = nil) -> DeviceMap {
        let style: Style = [.llamaCpp, .ollama].contains(engine.memoryModel) ? .llamaCpp : .accelerate
        let w = WeightBreakdown(model: model, scheme: scheme, engine: engine.id)
        var layer = Array(repeating: ByteCount.zero, count: Int(model.numLayers))
        var experts = layer
        var embed = ByteCount.zero, head = ByteCount.zero
        for e in w.entries {
            if let l = e.tensor.layer, l >= 0, l < model.numLayers {
                layer[Int(l)] += e.bytes
                if e.tensor.role.isExpert { experts[Int(l)] += e.bytes }
            } else if e.tensor.role == .tokenEmbedding || e.tensor.role == .vision {
                embed += e.bytes
            } else {
                head += e.bytes
            }
        }
        let free = gpus.map { g in max(.zero, g.usableMemory - g.contextOverhead - activation) }
        // llama.cpp keeps token_embd in host memory whatever -ngl says (llama-model.cpp: the input
        // layer is always on the CPU), so it is not a GPU unit there.
        var units: [Unit] = []
        if style == .accelerate { units.append(Unit(module: "model.embed_tokens", layer: nil, cost: embed, weights: embed)) }
        for i in 0..<layer.count {
            units.append(Unit(module: "model.layers.\(i)", layer: Int64(i), cost: layer[i] + kvPerLayer, weights: layer[i]))
        }
        units.append(Unit(module: "lm_head", layer: nil, cost: head, weights: head))

        var expertLayersOnCPU: [Int64] = []
        var assignment = fitAll(units, free: free, style: style)
        if assignment == nil, model.isMoE {
            // Experts to the CPU: attention, norms, shared experts and the cache stay on the GPUs.
            var slim = units
            for i in slim.indices { if let l = slim[i].layer { slim[i].cost -= experts[Int(l)]; slim[i].weights -= experts[Int(l)] } }
            if let a = fitAll(slim, free: free, style: style) {
                // Put experts back, layer by layer from the first, while the device holding the layer has room.
                var used = usage(slim, a, devices: gpus.count)
                for i in slim.indices {
                    guard let l = slim[i].layer, let d = a[i] else { continue }
                    let x = experts[Int(l)]
                    if used[d] + x <= free[d] { used[d] += x; slim[i].cost += x; slim[i].weights += x } else { expertLayersOnCPU.append(l) }
                }
                units = slim
                assignment = a
            }
        }
        let placed = assignment ?? partial(units, free: free, style: style)
        return build(units, placed, gpus: gpus, host: hostMemory ?? .zero, kvPerLayer: kvPerLayer, activation: activation,
                     numLayers: model.numLayers, expertLayersOnCPU: expertLayersOnCPU, experts: experts)
    }

    struct Unit {
        var module: String
        var layer: Int64?
        var cost: ByteCount
        var weights: ByteCount
    }

    static func usage(_ units: [Unit], _ a: [Int?], devices: Int) -> [ByteCount] {
        var used = Array(repeating: ByteCount.zero, count: devices)
        for (u, d) in zip(units, a) { if let d { used[d] += u.cost } }
        return used
    }

    /// Everything on GPUs, or nil. Targets are proportional to free memory (balanced), capped by it.
    static func fitAll(_ units: [Unit], free: [ByteCount], style: Style) -> [Int?]? { pack(units, free: free) }

    /// Greedy contiguous packing toward proportional targets; nil when a unit finds no room.
    static func pack(_ units: [Unit], free: [ByteCount]) -> [Int?]? {
        guard !free.isEmpty else { return units.isEmpty ? [] : nil }
        let need = units.reduce(0.0) { $0 + Double($1.cost.value) }
        let pool = free.reduce(0.0) { $0 + Double($1.value) }
        guard need <= pool else { return nil }
        var cumTarget: [Double] = [], acc = 0.0
        for f in free { acc += need * Double(f.value) / max(pool, 1); cumTarget.append(acc) }
        var used = Array(repeating: ByteCount.zero, count: free.count)
        var d = 0, cum = 0.0
        var out: [Int?] = []
        for u in units {
            let c = Double(u.cost.value)
            while d < free.count - 1 && (cum + c / 2 > cumTarget[d] || used[d] + u.cost > free[d]) { d += 1 }
            guard used[d] + u.cost <= free[d] else { return nil }
            used[d] += u.cost; cum += c
            out.append(d)
        }
        return out
    }

    /// Part on GPUs, the rest on the CPU: accelerate fills from the first module (later ones go
    /// to "cpu"); llama.cpp offloads the LAST n layers (`i_gpu_start = n_layer - n_gpu_layers`,
    /// llama-model.cpp) and keeps the output on the CPU unless every layer is offloaded.
    static func partial(_ units: [Unit], free: [ByteCount], style: Style) -> [Int?] {
        let layerIdx = units.indices.filter { units[$0].layer != nil }
        var best: [Int?] = Array(repeating: nil, count: units.count)
        for n in stride(from: layerIdx.count, through: 0, by: -1) {
            let onGPU: [Int]
            switch style {
            case .accelerate: onGPU = Array(units.indices.prefix(n + (units.first?.layer == nil ? 1 : 0)))
            case .llamaCpp: onGPU = Array(layerIdx.suffix(n))
            }
            if let a = pack(onGPU.map { units[$0] }, free: free) {
                for (k, i) in onGPU.enumerated() { best[i] = a[k] }
                return best
            }
        }
        return best
    }

    static func build(_ units: [Unit], _ a: [Int?], gpus: [GPU], host: ByteCount, kvPerLayer: ByteCount, activation: ByteCount,
                      numLayers: Int64, expertLayersOnCPU: [Int64], experts: [ByteCount]) -> DeviceMap {
        var placements: [DeviceMap.Placement] = []
        var devices = gpus.enumerated().map { i, g in
            DeviceMap.Device(name: "\(i)", gpu: g, capacity: g.usableMemory, reserve: g.contextOverhead + activation, weights: .zero, layers: 0)
        }
        var cpu = DeviceMap.Device(name: "cpu", gpu: nil, capacity: host, reserve: .zero, weights: .zero, layers: 0)
        for (u, d) in zip(units, a) {
            placements.append(.init(module: u.module, layer: u.layer, device: d.map { "\($0)" } ?? "cpu", bytes: u.weights))
            if let d {
                devices[d].weights += u.weights
                if u.layer != nil { devices[d].layers += 1; devices[d].reserve += kvPerLayer }
            } else {
                cpu.weights += u.weights
                if u.layer != nil { cpu.layers += 1; cpu.reserve += kvPerLayer }
            }
        }
        let expertBytes = expertLayersOnCPU.reduce(ByteCount.zero) { $0 + experts[Int($1)] }
        cpu.weights += expertBytes
        if cpu.weights > .zero || cpu.layers > 0 { devices.append(cpu) }
        return DeviceMap(placements: placements, devices: devices, offloaded: cpu.weights, expertLayersOnCPU: expertLayersOnCPU,
                         numLayers: numLayers)
    }
}

extension DeviceMapper {
    /// The map for the model, scheme, engine and workload of `e`, over `gpus`. The KV cache per
    /// layer is `e`'s cache spread evenly over the layers (sliding-window models hold less in
    /// their windowed layers, so this over-reserves there: the safe side); every GPU keeps the
    /// largest transient peak of `e`'s devices (activations, logits, allocator reserve) free,
    /// because each GPU runs the prefill of the layers it holds.
    public static func map(for e: Estimate, gpus: [GPU], hostMemory: ByteCount? = nil) -> DeviceMap {
        let kvPerLayer = ByteCount((e.bytes(.kvCache).value + e.model.numLayers - 1) / max(e.model.numLayers, 1))
        let transient = e.accelerators.map { d in
            d.bytes(.activation) + d.bytes(.output) + max(.zero, d.bytes(.overhead) - e.gpu.contextOverhead)
        }.max() ?? .zero
        return map(model: e.model, scheme: e.scheme, engine: e.engine, gpus: gpus, kvPerLayer: kvPerLayer,
                   activation: transient, hostMemory: hostMemory)
    }
}
