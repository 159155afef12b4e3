import Testing
import VramfitCore
@testable import VramfitCatalog

/// The CUDA context overhead of the H100 entry is a measurement, not an estimate: the lent H100
/// 80GB HBM3 (driver 580.159.04, CUDA 13.0) read 85,017,493,504 B free in NVML before `cuInit`
/// and 84,465,090,560 B free in cuMemGetInfo once the primary context existed, the same in three
/// fresh processes (`vramfit cuda info`, docs/validation/h100.md). PyTorch 2.11 on the same card
/// lost 554,500,096 B to its context plus its first 2 MiB block: the same figure + 2,097,152 B.
@Suite struct MeasuredContextOverheadTests {
    static let catalog: Catalog = (try? CatalogLoader.builtIn()) ?? Catalog()

    @Test func h100ContextOverheadIsTheMeasuredDrop() throws {
        let g = try #require(Self.catalog.gpus.first { $0.id == "h100-sxm" })
        let freeBeforeCuInit: Int64 = 85_017_493_504, freeAfterContext: Int64 = 84_465_090_560
        #expect(g.contextOverhead == ByteCount(freeBeforeCuInit - freeAfterContext))
        #expect(g.contextOverhead == ByteCount(552_402_944))
        // PyTorch's reading on the same card, less its first 2 MiB allocation.
        #expect(g.contextOverhead == ByteCount(554_500_096 - 2_097_152))
        #expect(g.source.contains { $0.hasPrefix("measured:") })
    }

    /// The device's own name (what cuDeviceGetName and nvidia-smi print) finds the entry, so
    /// `vramfit validate --target cuda` compares with it.
    @Test func cudaDeviceNameResolvesToTheH100Entry() throws {
        #expect(try Self.catalog.gpu("NVIDIA H100 80GB HBM3").value.id == "h100-sxm")
    }
}
