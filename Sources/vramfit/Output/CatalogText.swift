import VramfitCore

/// `catalog show` text for each kind of entry: the facts, what vramfit derives from them, the sources.
enum CatalogText {
    static func model(_ m: Model) -> String {
        let derived = ParameterCount.total(m)
        let kv = KVCacheSize(model: m, type: KVCacheType(id: "fp16", name: "fp16", blockBytes: 2, blockSize: 1, engines: []), latentMLA: true)
        var lines = [
            "\(m.id) — \(m.name)",
            "  hf repo            \(m.hfRepo ?? "—")",
            "  aliases            \(m.aliases.joined(separator: ", "))",
            "  layers × hidden    \(m.numLayers) × \(m.hiddenSize) (intermediate \(m.intermediateSize), vocab \(m.vocabSize))",
            "  attention          \(m.numAttentionHeads) heads, \(m.numKVHeads) KV heads, head dim \(m.headDim)\(m.mla != nil ? " (MLA)" : "")",
            "  parameters         \(derived) derived, \(m.publishedParams) published",
            "  KV per token       \(ByteFormat.binary(kv.bytesPerToken(layers: Array(0..<m.numLayers)))) at 16 bits, all layers",
            "  max context        \(m.maxContext) tokens · dtype \(m.dtype.rawValue)",
        ]
        if let moe = m.moe {
            lines.append("  MoE                \(moe.numExperts) experts, top-\(moe.expertsPerToken), expert width \(moe.expertIntermediateSize); active \(ParameterCount.active(m))")
        }
        if let sw = m.slidingWindow { lines.append("  sliding window     \(sw.window) tokens, pattern \(sw.pattern.isEmpty ? "all layers" : sw.pattern.map { $0 ? "sliding" : "full" }.joined(separator: ","))") }
        if let n = m.notes { lines.append("  notes              \(n)") }
        lines.append("  source             " + m.source.joined(separator: "\n                     "))
        return lines.joined(separator: "\n")
    }

    static func gpu(_ g: GPU) -> String {
        let cc = g.computeCapability.map { "\($0 / 10).\($0 % 10)" } ?? "—"
        var lines = [
            "\(g.id) — \(g.name)",
            "  aliases            \(g.aliases.joined(separator: ", "))",
            "  memory             \(ByteFormat.binary(g.memory)) (\(ByteFormat.decimal(g.memory))); usable \(ByteFormat.binary(g.usableMemory))",
            "  bandwidth          \(String(format2: Double(g.bandwidthBytesPerSecond) / 1e9)) GB/s",
            "  architecture       \(g.architecture), compute capability \(cc), bf16 \(g.supportsBF16 ? "yes" : "no"), fp8 \(g.supportsFP8 ? "yes" : "no")",
            "  dense rates        fp16 \(g.fp16TFLOPS.map { String(format2: $0) } ?? "—") TFLOPS, bf16 \(g.bf16TFLOPS.map { String(format2: $0) } ?? "—"), int8 \(g.int8TOPS.map { String(format2: $0) } ?? "—") TOPS, fp8 \(g.fp8TFLOPS.map { String(format2: $0) } ?? "—")",
            "  interconnect       \(g.interconnect)",
        ]
        if let n = g.notes { lines.append("  notes              \(n)") }
        lines.append("  source             " + g.source.joined(separator: "\n                     "))
        return lines.joined(separator: "\n")
    }

    static func scheme(_ s: QuantScheme) -> String {
        var lines = [
            "\(s.id) — \(s.name)",
            "  aliases            \(s.aliases.joined(separator: ", "))",
            "  storage            \(s.storage)",
            "  unquantized        \(s.keepUnquantized.map(\.rawValue).sorted().joined(separator: ", ")) (+ norms and biases)",
            "  engines            \(s.engines.joined(separator: ", "))",
        ]
        if let n = s.notes { lines.append("  notes              \(n)") }
        lines.append("  source             " + s.source.joined(separator: "\n                     "))
        return lines.joined(separator: "\n")
    }

    static func engine(_ e: Engine) -> String {
        var lines = ["\(e.id) — \(e.name) \(e.version) (memory model: \(e.memoryModel.rawValue))"]
        for (k, v) in e.settings.values.sorted(by: { $0.key < $1.key }) { lines.append("  \(k) = \(v)") }
        for v in e.versions { lines.append("  version \(v.id): \(v.description)") }
        lines.append("  source             " + e.source.joined(separator: "\n                     "))
        return lines.joined(separator: "\n")
    }
}
