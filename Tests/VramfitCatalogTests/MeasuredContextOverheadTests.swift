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

    /// The H200 (driver 580.159.04, docs/validation/h200/): NVML free before cuInit 150,109,880,320 B,
    /// which is also cuDeviceTotalMem — the capacity — and 149,557,477,376 B free after the context.
    @Test func h200CapacityAndContextAreTheMeasuredFigures() throws {
        let g = try #require(Self.catalog.gpus.first { $0.id == "h200" })
        let total: Int64 = 150_109_880_320, afterContext: Int64 = 149_557_477_376
        #expect(g.usableMemory == ByteCount(total))
        #expect(g.contextOverhead == ByteCount(total - afterContext))
        #expect(g.contextOverhead == ByteCount(552_402_944))
        // nvidia-smi's total, 143,771 MiB = 150,754,820,096 B, is 615.06 MiB more than any process gets.
        #expect(ByteCount.mib(143_771) - g.usableMemory == ByteCount(644_939_776))
        #expect(g.source.contains { $0.hasPrefix("measured on a lent NVIDIA H200") })
    }

    /// The device's own name (what cuDeviceGetName and nvidia-smi print) finds the entry, so
    /// `vramfit validate --target cuda` compares with it.
    @Test func cudaDeviceNameResolvesToTheH100Entry() throws {
        #expect(try Self.catalog.gpu("NVIDIA H100 80GB HBM3").value.id == "h100-sxm")
    }
}
