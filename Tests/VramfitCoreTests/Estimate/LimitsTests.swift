import Testing
@testable import VramfitCore

@Suite struct LimitsTests {
    /// max_context is the boundary: it fits there and not one token beyond (below the model's maximum).
    @Test func maxContextIsTheBoundary() throws {
        let gpu = Fixtures.gpu24
        let e = try Fixtures.estimate(Fixtures.llama31_8b, gpu: gpu, Workload(context: 4096))
        #expect(e.maxContext > 4096 && e.maxContext < 131072)
        #expect(try Fixtures.estimate(Fixtures.llama31_8b, gpu: gpu, Workload(context: e.maxContext)).fits)
        #expect(try !Fixtures.estimate(Fixtures.llama31_8b, gpu: gpu, Workload(context: e.maxContext + 1)).fits)
        #expect(try Fixtures.estimate(Fixtures.llama31_8b, gpu: gpu, Workload(context: 4096, batch: e.maxBatch)).fits)
        #expect(try !Fixtures.estimate(Fixtures.llama31_8b, gpu: gpu, Workload(context: 4096, batch: e.maxBatch + 1)).fits)
    }

    /// 405B at 1M tokens × 256 sequences: 126 layers × 8 × 128 × 2 × 2 B = 516,096 B per token;
    /// × 2²⁰ × 256 = 1.385 × 10¹⁷ B — within Int64, computed exactly, and it does not fit.
    @Test func hugeWorkloadsDoNotOverflow() throws {
        let e = try Fixtures.estimate(Fixtures.llama31_405b, Workload(context: 1 << 20, batch: 256))
        #expect(e.bytes(.kvCache).value == Int64(516_096) * (1 << 20) * 256)
        #expect(!e.fits)
        #expect(e.maxBatch == 0)
    }

    /// Arithmetic saturates instead of trapping.
    @Test func byteCountSaturates() {
        let big = ByteCount(Int64.max / 2)
        #expect((big * 3).isSaturated)
        #expect((big + big + big).isSaturated)
    }

    @Test func invalidInputIsRejected() {
        #expect(throws: EstimateError.self) { try Fixtures.estimate(Fixtures.llama31_8b, Workload(context: 0)) }
        #expect(throws: EstimateError.self) { try Fixtures.estimate(Fixtures.llama31_8b, Workload(batch: -1)) }
        #expect(throws: EstimateError.self) { try Fixtures.estimate(Fixtures.llama31_8b, Workload(gpuMemoryUtilization: 1.5)) }
        #expect(throws: EstimateError.self) { try Fixtures.estimate(Fixtures.llama31_8b, Workload(pipelineParallel: 33)) }
        #expect(throws: EstimateError.self) { try Fixtures.estimate(Fixtures.llama31_8b, Workload(kvCacheType: "fp4")) }
    }

    /// Tensor parallel 2: each device holds half of the split tensors (norms replicated).
    @Test func tensorParallelHalvesWeights() throws {
        let one = try Fixtures.estimate(Fixtures.llama31_8b, engine: Fixtures.vllm, Workload(context: 8192))
        let two = try Fixtures.estimate(Fixtures.llama31_8b, engine: Fixtures.vllm, Workload(context: 8192, tensorParallel: 2))
        #expect(two.devices.count == 2)
        let half = Double(one.bytes(.weights).value) / 2
        let per = Double(two.devices[0].bytes(.weights).value)
        #expect(abs(per - half) / half < 0.001)
    }
}
