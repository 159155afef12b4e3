/// Exact weight bytes read from a checkpoint's tensor list, summed by dtype and by role, so the
/// estimate can use the file's real size and say where it differs from the formula.
public struct TensorTotals: Sendable, Equatable {
    public var total: Int64 = 0
    public var tensorCount: Int = 0
    /// Elements (parameters) over all tensors: the checkpoint's exact parameter count when its
    /// tensors are plain 16/32-bit ones (packed quantized tensors hold several per element).
    public var elements: Int64 = 0
    public var byDType: [String: Int64] = [:]
    public var byRole: [String: Int64] = [:]
    /// Bytes per decoder layer index (`layers.N.` / `blk.N.`).
    public var byLayer: [Int64: Int64] = [:]

    public init() {}

    public mutating func add(name: String, dtype: String, bytes: Int64, elements: Int64 = 0) throws {
        total = try Checked.add(total, bytes, "total tensor bytes")
        self.elements = try Checked.add(self.elements, elements, "total tensor elements")
        tensorCount += 1
        byDType[dtype, default: 0] += bytes
        byRole[Self.role(of: name), default: 0] += bytes
        if let l = Self.layer(of: name) { byLayer[l, default: 0] += bytes }
    }

    public mutating func merge(_ o: TensorTotals) throws {
        total = try Checked.add(total, o.total, "total tensor bytes")
        elements = try Checked.add(elements, o.elements, "total tensor elements")
        tensorCount += o.tensorCount
        for (k, v) in o.byDType { byDType[k, default: 0] += v }
        for (k, v) in o.byRole { byRole[k, default: 0] += v }
        for (k, v) in o.byLayer { byLayer[k, default: 0] += v }
    }

    public init(safetensors h: SafetensorsHeader) throws {
        for t in h.tensors { try add(name: t.name, dtype: t.dtype, bytes: t.bytes, elements: try Self.product(t.shape, t.name)) }
    }

    public init(gguf h: GGUFHeader) throws {
        for t in h.tensors { try add(name: t.name, dtype: t.typeName, bytes: t.bytes, elements: try Self.product(t.dims, t.name)) }
    }

    static func product(_ dims: [Int64], _ name: String) throws -> Int64 {
        try dims.reduce(1) { try Checked.mul($0, $1, "element count of '\(name)'") }
    }

    /// Roles by the names Hugging Face and GGUF use. GPTQ/AWQ's packed weights and their
    /// quantization parameters are separate roles, so the split shows what the packing costs.
    public static func role(of name: String) -> String {
        let n = name.lowercased()
        if n.contains("vision") || n.contains("visual") || n.hasPrefix("v.") || n.contains("mm_projector") || n.contains("multi_modal") { return "vision" }
        if n.hasSuffix(".qweight") { return "packed weights (qweight)" }
        if n.hasSuffix(".qzeros") || n.hasSuffix(".scales") || n.hasSuffix(".g_idx") || n.hasSuffix("_scale") || n.hasSuffix("_scale_inv")
            || n.hasSuffix(".absmax") || n.contains("quant_state") || n.hasSuffix(".quant_map") || n.hasSuffix("_scales") { return "quantization parameters" }
        if n.contains("embed_tokens") || n.hasPrefix("token_embd") || n.contains(".wte.") { return "embeddings" }
        if n.hasPrefix("lm_head") || n.hasPrefix("output.") || n == "output.weight" { return "output head" }
        if n.contains("norm") { return "norms" }
        if layer(of: name) != nil { return "layer weights" }
        return "other"
    }

    /// The decoder layer a tensor belongs to: `model.layers.12.…`, `blk.12.…`, `h.12.…`.
    public static func layer(of name: String) -> Int64? {
        let parts = name.split(separator: ".")
        for (k, p) in parts.enumerated() where (p == "layers" || p == "blk" || p == "h") && k + 1 < parts.count {
            if let l = Int64(parts[k + 1]), l >= 0 { return l }
        }
        return nil
    }
}
