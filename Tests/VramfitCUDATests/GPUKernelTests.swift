import CUDADriver
import Testing
import VramfitCore
import VramfitRunner
@testable import VramfitCUDA

/// On a machine with an NVIDIA GPU: every format's kernels against the CPU's on the same
/// quantized weights (the CPU is the oracle), and a whole layer against the CPU backend.
/// Skipped elsewhere with the reason.
@Suite(.enabled(if: TestDevice.hasGPU, "no CUDA device with NVRTC on this machine: GPU tests need libcuda.so.1 and libnvrtc"))
struct GPUKernelTests {
    static var quantizers: [any WeightQuantizer] {
        [DenseQuantizer(storage: .fp16), DenseQuantizer(storage: .bf16), DenseQuantizer(storage: .fp32),
         RowInt8Quantizer(flavor: .w8a16), RowInt8Quantizer(flavor: .llmInt8), AWQQuantizer(groupSize: 128),
         GPTQQuantizer(bits: 4, groupSize: 128, actOrder: false), GPTQQuantizer(bits: 4, groupSize: 128, actOrder: true),
         Bnb4bitQuantizer(dataType: .nf4, doubleQuant: false), Bnb4bitQuantizer(dataType: .nf4, doubleQuant: true),
         Bnb4bitQuantizer(dataType: .fp4, doubleQuant: true), FP8Quantizer(granularity: .perTensor),
         FP8Quantizer(granularity: .perChannel), FP8Quantizer(granularity: .block(128))]
            + [GGMLType.q4_0, .q4_1, .q5_0, .q5_1, .q8_0, .q4_K, .q5_K, .q6_K].map { GGMLQuantizer(type: $0) }
    }

    @Test(arguments: 0..<24)
    func formatMatchesTheCPU(_ i: Int) throws {
        let qs = Self.quantizers
        guard i < qs.count else { return }
        let rt = try #require(TestDevice.runtime)
        // 200 rows (not a multiple of the 128-row tile or of 8 warps' rows), 512 columns.
        let rows = 200, cols = 512
        let w = try qs[i].quantize(GaussianFill.values(rows * cols, seed: UInt64(100 + i), std: 0.02), rows: rows, cols: cols)
        if CUDABackend(runtime: rt).unsupportedReason(weightFormat: w.format) != nil { return }
        let c = try CUDAKernelCheck.check(rt, weight: w, tokens: 130)
        #expect(c.dequantError <= 1e-6, "\(w.format) dequantize")
        #expect(c.gemvError <= 5e-3, "\(w.format) gemv")
        #expect(c.gemmError <= 5e-3, "\(w.format) gemm")
    }

    @Test(arguments: KVCacheStorage.allCases)
    func layerMatchesTheCPUBackend(_ kv: KVCacheStorage) throws {
        let rt = try #require(TestDevice.runtime)
        let backend = CUDABackend(runtime: rt)
        if backend.unsupportedReason(kvCache: kv) != nil { return }  // q8_0/q4_0: served only if the device store check passes (CUDABackend.storeCheckFailure)
        let shape = LayerShape(hidden: 256, heads: 8, kvHeads: 2, headDim: 32, intermediate: 512, qkvBias: true, qkNorm: true)
        func m(_ r: Int, _ c: Int, _ s: UInt64) throws -> any QuantizedWeight {
            try AWQQuantizer(groupSize: 64).quantize(GaussianFill.values(r * c, seed: s, std: 0.05), rows: r, cols: c)
        }
        func vec(_ n: Int, _ s: UInt64, mean: Float = 0) throws -> DenseWeight {
            try DenseWeight(rows: 1, cols: n, storage: .bf16, values: GaussianFill.values(n, seed: s, mean: mean, std: 0.05))
        }
        let w = LayerWeights(inputNorm: try vec(256, 1, mean: 1), postAttentionNorm: try vec(256, 2, mean: 1),
                             q: try m(256, 256, 3), k: try m(64, 256, 4), v: try m(64, 256, 5), o: try m(256, 256, 6),
                             qBias: try vec(256, 7), kBias: try vec(64, 8), vBias: try vec(64, 9),
                             qNorm: try vec(32, 10, mean: 1), kNorm: try vec(32, 11, mean: 1),
                             mlp: .dense(.init(gate: try m(512, 256, 12), up: try m(512, 256, 13), down: try m(256, 512, 14))))
        let layer = Layer(shape: shape, weights: w)
        let t = 37, n = t + 3
        let input = GaussianFill.values(n * 256, seed: 99, std: 1)
        func run(_ b: any RunnerBackend) throws -> [Float] {
            let s = try b.load(layer).makeSession(kvCache: kv, capacity: n)
            var out = try s.prefill(Array(input[0..<(t * 256)]), tokens: t).output
            for i in t..<n { out += try s.decode(Array(input[(i * 256)..<((i + 1) * 256)])).output }
            return out
        }
        let gpu = try run(backend), cpu = try run(CPUBackend(availableMemory: { .zero }))
        let e = OutputError.compare(zip(gpu, input).map { Double($0 - $1) }, zip(cpu, input).map { Double($0 - $1) })
        #expect(e.relativeL2 <= 5e-3 * CUDAKVCheck.layerToleranceFactor(kv), "layer update vs CPU with a \(kv) cache: \(e.relativeL2)")
    }
}
