import VramfitCore
import Yams

/// `gpus:` entries. Sizes in bytes (or `_mib`/`_gib`/`_gb`), bandwidth in GB/s (10⁹ B/s, the
/// spec-sheet unit), rates in dense TFLOPS/TOPS.
enum GPUDecoder {
    static func decode(_ r: inout YAMLReader, id: String) throws -> GPU {
        let kindName = try r.optionalString("kind") ?? "gpu"
        guard let kind = GPU.Kind(rawValue: kindName) else { throw r.error(r.raw("kind"), "'kind' must be gpu, unified or cpu") }
        let memory = try r.bytes("memory")
        let usable = try r.optionalBytes("usable_memory") ?? memory
        if usable > memory { throw r.error(r.raw("usable_memory_bytes") ?? r.raw("usable_memory_mib") ?? r.raw("usable_memory_gib"), "usable_memory exceeds memory") }
        let bw = try r.double("bandwidth_gbps")
        guard bw > 0 else { throw r.error(r.raw("bandwidth_gbps"), "'bandwidth_gbps' must be positive") }
        var cc: Int?
        if let node = r.optionalNode("compute_capability") {
            guard let s = node.scalar?.string, let parsed = parseCC(s) else {
                throw r.error(node, "'compute_capability' must look like \"8.9\"")
            }
            cc = parsed
        }
        let link = try r.optionalDouble("interconnect_gbps")
        return GPU(
            id: id, name: try r.optionalString("name") ?? id, aliases: try r.strings("aliases"),
            vendor: try r.optionalString("vendor") ?? "", kind: kind,
            architecture: try r.optionalString("architecture") ?? "", computeCapability: cc,
            memory: ByteCount(memory), usableMemory: ByteCount(usable),
            bandwidthBytesPerSecond: Int64(bw * 1e9),
            fp16TFLOPS: try r.optionalDouble("fp16_tflops"), bf16TFLOPS: try r.optionalDouble("bf16_tflops"),
            int8TOPS: try r.optionalDouble("int8_tops"), fp8TFLOPS: try r.optionalDouble("fp8_tflops"),
            supportsBF16: try r.bool("bf16", default: false), supportsFP8: try r.bool("fp8", default: false),
            interconnect: try r.optionalString("interconnect") ?? "PCIe",
            interconnectBytesPerSecond: link.map { Int64($0 * 1e9) },
            contextOverhead: ByteCount(try r.optionalBytes("context_overhead") ?? (kind == .gpu ? 500 << 20 : 0)),
            hourlyUSD: try r.optionalDouble("hourly_usd"),
            source: try CatalogDecoder.sources(&r), notes: try r.optionalString("notes"))
    }

    /// "8.9" → 89, "10.0" → 100, "12.0" → 120.
    static func parseCC(_ s: String) -> Int? {
        let parts = s.split(separator: ".")
        guard parts.count == 2, let major = Int(parts[0]), let minor = Int(parts[1]), minor < 10, major < 100 else { return nil }
        return major * 10 + minor
    }
}
