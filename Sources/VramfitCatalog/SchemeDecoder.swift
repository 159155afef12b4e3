import VramfitCore
import Yams

/// `schemes:` and `kv_cache_types:` entries.
enum SchemeDecoder {
    static func decode(_ r: inout YAMLReader, id: String) throws -> QuantScheme {
        guard var st = try r.mapping("storage") else { throw r.error(nil, "missing required key 'storage'") }
        let storage = try decodeStorage(&st)
        try st.rejectUnknownKeys()
        var engineKeep: [String: Set<TensorRole>] = [:]
        if var m = try r.mapping("engine_keep_unquantized"), let map = m.node.mapping {
            for (k, _) in map {
                guard let engine = k.string else { continue }
                engineKeep[engine] = try CatalogDecoder.roles(&m, engine) ?? []
            }
        }
        var cc: Int?
        if let node = r.optionalNode("min_compute_capability") {
            guard let s = node.scalar?.string, let v = GPUDecoder.parseCC(s) else { throw r.error(node, "'min_compute_capability' must look like \"8.0\"") }
            cc = v
        }
        var dtype: DType?
        if let s = try r.optionalString("unquantized_dtype") {
            guard let d = DType(loose: s) else { throw r.error(r.raw("unquantized_dtype"), "unknown dtype '\(s)'") }
            dtype = d
        }
        return QuantScheme(
            id: id, name: try r.optionalString("name") ?? id, aliases: try r.strings("aliases"), storage: storage,
            keepUnquantized: try CatalogDecoder.roles(&r, "keep_unquantized") ?? [],
            unquantizedDType: dtype, engineKeepUnquantized: engineKeep, engines: try r.strings("engines"),
            minComputeCapability: cc, qualityRank: Int(try r.optionalInt("quality_rank") ?? 0),
            source: try CatalogDecoder.sources(&r), notes: try r.optionalString("notes"))
    }

    static func ggmlType(_ r: inout YAMLReader, _ key: String) throws -> GGMLType {
        let s = try r.string(key)
        guard let t = GGMLType(rawValue: s.uppercased()) ?? GGMLType.allCases.first(where: { $0.rawValue.lowercased() == s.lowercased() }) else {
            throw r.error(r.raw(key), "unknown ggml type '\(s)' (known: \(GGMLType.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return t
    }

    static func decodeStorage(_ r: inout YAMLReader) throws -> WeightStorage {
        let kind = try r.string("kind")
        switch kind {
        case "dense":
            return .dense(bytesPerElement: try r.positiveInt("bytes_per_element"), scaleBytesPerTensor: try r.optionalInt("scale_bytes_per_tensor") ?? 0)
        case "per_row":
            return .perRow(bitsPerWeight: try r.positiveInt("bits"), scaleBytesPerRow: try r.positiveInt("scale_bytes"))
        case "groupwise":
            let bits = try r.positiveInt("bits")
            guard [2, 3, 4, 8].contains(bits) else { throw r.error(r.raw("bits"), "'bits' must be 2, 3, 4 or 8") }
            return .groupwise(bits: bits, groupSize: try r.int("group_size"), scaleBytes: try r.positiveInt("scale_bytes"),
                              zeroBits: try r.optionalInt("zero_bits") ?? bits, gIdx: try r.bool("g_idx", default: false))
        case "blockwise4bit":
            return .blockwise4bit(blockSize: try r.optionalPositiveInt("block_size") ?? 64, doubleQuant: try r.bool("double_quant", default: false))
        case "fp8_block":
            return .fp8Block(block: try r.optionalPositiveInt("block") ?? 128)
        case "ggml":
            return .ggml(try ggmlType(&r, "type"))
        case "gguf_mix":
            let def = try ggmlType(&r, "default")
            let rulesNode = try r.node("rules", "a list of per-tensor rules")
            guard let items = rulesNode.sequence else { throw r.error(rulesNode, "'rules' must be a list") }
            var rules: [GGUFMix.Rule] = []
            for item in items {
                var rr = try YAMLReader(item, file: r.file)
                let tensor = try rr.string("tensor")
                guard let role = TensorRole(rawValue: tensor) else { throw rr.error(rr.raw("tensor"), "unknown tensor '\(tensor)'") }
                let type = try ggmlType(&rr, "type")
                let when = try condition(&rr)
                try rr.rejectUnknownKeys()
                rules.append(.init(role: role, type: type, when: when))
            }
            return .ggufMix(GGUFMix(defaultType: def, rules: rules))
        default:
            throw r.error(r.raw("kind"), "unknown storage kind '\(kind)' (dense, per_row, groupwise, blockwise4bit, fp8_block, ggml, gguf_mix)")
        }
    }

    /// `when: always | more_bits | tied_embeddings | {first_layers: N} | {layer_fraction_below: D} | {experts: N} | {layers: N}`
    static func condition(_ r: inout YAMLReader) throws -> GGUFMix.Condition {
        guard let n = r.optionalNode("when") else { return .always }
        if let s = n.scalar?.string {
            switch s {
            case "always": return .always
            case "more_bits": return .moreBits
            case "tied_embeddings": return .tiedEmbeddings
            default: throw r.error(n, "unknown condition '\(s)' (always, more_bits, tied_embeddings, or a mapping)")
            }
        }
        var m = try YAMLReader(n, file: r.file)
        var result: GGUFMix.Condition?
        if let v = try m.optionalInt("first_layers") { result = .firstLayers(v) }
        if let v = try m.optionalPositiveInt("layer_fraction_below") { result = .layerFractionBelow(v) }
        if let v = try m.optionalInt("experts") { result = .experts(v) }
        if let v = try m.optionalInt("layers") { result = .layers(v) }
        try m.rejectUnknownKeys()
        guard let result else { throw r.error(n, "a condition mapping needs one of first_layers, layer_fraction_below, experts, layers") }
        return result
    }

    static func decodeKV(_ r: inout YAMLReader, id: String) throws -> KVCacheType {
        var cc: Int?
        if let node = r.optionalNode("min_compute_capability") {
            guard let s = node.scalar?.string, let v = GPUDecoder.parseCC(s) else { throw r.error(node, "'min_compute_capability' must look like \"8.9\"") }
            cc = v
        }
        return KVCacheType(
            id: id, name: try r.optionalString("name") ?? id, aliases: try r.strings("aliases"),
            blockBytes: try r.positiveInt("block_bytes"), blockSize: try r.optionalPositiveInt("block_size") ?? 1,
            engines: try r.strings("engines"), minComputeCapability: cc, source: try CatalogDecoder.sources(&r))
    }
}
