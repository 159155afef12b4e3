import Testing
import VramfitCore
@testable import VramfitCatalog

/// The built-in GPU catalog: required entries, what typed names resolve to (shared aliases pick the
/// most common variant by catalog order across files), and facts that must agree with each other.
@Suite struct GPUCatalogTests {
    /// Empty when the built-in files do not decode (SchemeCatalogTests.builtInCatalogDecodes reports why).
    static let catalog: Catalog = (try? CatalogLoader.builtIn()) ?? Catalog()

    struct Missing: Error, CustomStringConvertible { var description: String }

    static func gpu(_ id: String) throws -> GPU {
        guard let g = catalog.gpus.first(where: { $0.id == id }) else { throw Missing(description: "no GPU \(id)") }
        return g
    }

    static let required = ["rtx-4090", "rtx-3090", "rtx-3060", "t4", "v100-16gb", "v100-32gb", "a10", "a100-40gb", "a100-80gb",
                           "a100-80gb-pcie", "l4", "l40s", "h100-sxm", "h100-pcie", "h200", "b200", "mi300x"]

    @Test func requiredGPUsPresent() {
        let ids = Set(Self.catalog.gpus.map(\.id))
        for id in Self.required { #expect(ids.contains(id), "missing GPU \(id)") }
        #expect(Self.catalog.gpus.contains { $0.kind == .unified && $0.id == "apple-m2-ultra-192gb" })
        #expect(Self.catalog.gpus.contains { $0.kind == .unified && $0.id == "apple-m3-max-128gb" })
        #expect(Self.catalog.gpus.contains { $0.kind == .cpu && $0.id == "cpu-64gb-ddr5" })
    }

    /// Unambiguous names resolve without an assumption.
    @Test(arguments: [
        ("4090", "rtx-4090"), ("RTX 4090", "rtx-4090"), ("rtx4090", "rtx-4090"), ("3090", "rtx-3090"), ("RTX 3060", "rtx-3060"),
        ("T4", "t4"), ("Tesla T4", "t4"), ("L4", "l4"), ("L40S", "l40s"), ("48GB", "l40s"), ("H200", "h200"),
        ("B200", "b200"), ("MI300X", "mi300x"), ("192GB", "mi300x"), ("a100-80gb", "a100-80gb"), ("A100 80GB", "a100-80gb"),
        ("A100 80GB PCIe", "a100-80gb-pcie"), ("h100 pcie", "h100-pcie"), ("H100-SXM", "h100-sxm"), ("V100 32GB", "v100-32gb"),
        ("m2 ultra", "apple-m2-ultra-192gb"), ("M3 Max", "apple-m3-max-128gb"), ("cpu", "cpu-64gb-ddr5"),
    ])
    func uniqueNames(typed: String, id: String) throws {
        let r = try Self.catalog.gpu(typed)
        #expect(r.value.id == id, "'\(typed)' resolved to \(r.value.id)")
        #expect(r.assumption == nil, "'\(typed)': \(r.assumption ?? "")")
    }

    /// Shared aliases resolve to the most common variant and say what else they could mean.
    @Test(arguments: [
        ("a100", "a100-80gb", "a100-40gb"), ("A100", "a100-80gb", "a100-80gb-pcie"),
        ("h100", "h100-sxm", "h100-pcie"), ("H100", "h100-sxm", "h100-pcie"),
        ("24GB", "rtx-4090", "rtx-3090"), ("24 GB", "rtx-4090", "a10"),
        ("80GB", "h100-sxm", "a100-80gb"), ("16GB", "t4", "v100-16gb"), ("40GB", "a100-40gb", "a100-40gb-pcie"),
        ("v100", "v100-16gb", "v100-32gb"),
    ])
    func ambiguousNames(typed: String, id: String, alsoMeans: String) throws {
        let r = try Self.catalog.gpu(typed)
        #expect(r.value.id == id, "'\(typed)' resolved to \(r.value.id)")
        #expect(r.alternatives.contains(alsoMeans), "'\(typed)' alternatives \(r.alternatives)")
        let note = try #require(r.assumption)
        #expect(note.contains(id) && note.contains(alsoMeans), "\(note)")
    }

    /// 24GB lists the RTX 3090 before the A10: files load in path order (nvidia-ada,
    /// nvidia-ampere-geforce, …, nvidia-pre-hopper-datacenter).
    @Test func catalogOrderAcrossFiles() throws {
        let r = try Self.catalog.gpu("24GB")
        #expect(r.value.id == "rtx-4090")
        let i3090 = try #require(r.alternatives.firstIndex(of: "rtx-3090"))
        let iA10 = try #require(r.alternatives.firstIndex(of: "a10"))
        #expect(i3090 < iA10)
        let eighty = try Self.catalog.gpu("80GB")
        #expect(eighty.alternatives.first == "h100-pcie")
    }

    /// Compute capability, bf16 and fp8 agree: NVIDIA fp8 needs CC 8.9+, bf16 needs 8.0+; usable
    /// memory never exceeds memory; every entry names a source.
    @Test func factsAgree() {
        for g in Self.catalog.gpus {
            #expect(g.usableMemory <= g.memory, "\(g.id)")
            #expect(g.usableMemory.value > 0 && g.bandwidthBytesPerSecond > 0, "\(g.id)")
            #expect(!g.source.isEmpty, "\(g.id)")
            if g.vendor == "NVIDIA" {
                let cc = g.computeCapability ?? 0
                #expect(cc > 0, "\(g.id) has no compute capability")
                #expect(g.supportsFP8 == (cc >= 89), "\(g.id): fp8 \(g.supportsFP8) at CC \(cc)")
                #expect(g.supportsBF16 == (cc >= 80), "\(g.id): bf16 \(g.supportsBF16) at CC \(cc)")
                if !g.supportsFP8 { #expect(g.fp8TFLOPS == nil, "\(g.id)") }
                if !g.supportsBF16 { #expect(g.bf16TFLOPS == nil, "\(g.id)") }
            } else {
                #expect(g.computeCapability == nil, "\(g.id)")
            }
            if g.kind != .gpu { #expect(g.contextOverhead == .zero, "\(g.id)") }
        }
        let problems = CatalogChecks.problems(in: Self.catalog).filter { $0.hasPrefix("gpu") }
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test func spotChecks() throws {
        // CUDA's total, not nvidia-smi's: 23.64 GiB × 1024 = 24,207.4 MiB (PyTorch's OOM message);
        // 81,079 MiB = cuDeviceTotalMem measured on the lent H100 (nvidia-smi: 81,559).
        #expect(try Self.gpu("rtx-4090").usableMemory == .mib(24207))
        #expect(try Self.gpu("h100-sxm").usableMemory == .mib(81079))
        // 79.15 GiB × 1024 = 81,049.6 → 81,050 MiB (vllm#8903); nvidia-smi: 81,920.
        #expect(try Self.gpu("a100-80gb").usableMemory == .mib(81050))
        // 14.75 GiB × 1024 = 15,104 MiB (Colab T4 logs); nvidia-smi with ECC on: 15,360.
        #expect(try Self.gpu("t4").usableMemory == .mib(15104))
        // Where nothing measured or logged names the GPU, nvidia-smi's total stays (and says so).
        #expect(try Self.gpu("h100-pcie").usableMemory == .mib(81559))
        #expect(try Self.gpu("a100-80gb").computeCapability == 80)
        #expect(try Self.gpu("b200").computeCapability == 100)
        #expect(try Self.gpu("h100-sxm").interconnectBytesPerSecond == 450_000_000_000)
        #expect(try Self.gpu("rtx-4090").interconnectBytesPerSecond == nil)
        #expect(try Self.gpu("h200").bandwidthBytesPerSecond == 4_800_000_000_000)
        // Apple: Metal's default working-set limit is 3/4 of RAM on machines over 36 GB.
        for id in ["apple-m2-ultra-192gb", "apple-m3-max-128gb"] {
            let g = try Self.gpu(id)
            #expect(g.usableMemory.value * 4 == g.memory.value * 3, "\(id)")
        }
        // Dual-channel DDR5-5600: 2 × 8 B × 5.6e9/s.
        #expect(abs(Double(try Self.gpu("cpu-64gb-ddr5").bandwidthBytesPerSecond) - 2 * 8 * 5.6e9) < 1e3)
    }
}
