import CUDADriver
import Testing
import VramfitRunner
@testable import VramfitCUDA

/// Which kernel and which buffers each quantizer's output is fed to, using the quantizers
/// themselves (so a renamed buffer or format breaks here, not on the GPU).
@Suite struct MatrixPlanTests {
    static let hopper = ComputeCapability(major: 9, minor: 0)
    static let ampere = ComputeCapability(major: 8, minor: 0)

    func values(_ n: Int) -> [Float] { GaussianFill.values(n, seed: 5, std: 0.02) }

    func plan(_ w: any QuantizedWeight, _ cc: ComputeCapability = hopper) throws -> MatrixPlan {
        var raw: [String: [UInt8]] = [:]
        for b in w.buffers { raw[b.name] = b.bytes }
        return try MatrixPlan.plan(format: w.format, rows: w.rows, cols: w.cols, buffers: raw, capability: cc)
    }

    @Test func awqRepacksWithInterleavedZerosAndNoOffset() throws {
        let w = try AWQQuantizer(groupSize: 128).quantize(values(64 * 256), rows: 64, cols: 256)
        let p = try plan(w)
        #expect(p.format == .int4)
        #expect(p.slots == [MatrixPlan.repacked, "scales", "qzeros", nil, nil, nil])
        #expect(p.i0 == 128 && p.i1 == 1 && p.i2 == 0 && p.repackLayout == 1 && p.permutation == nil)
    }

    @Test func gptqAddsOneToTheStoredZeroAndHasNoPermutationWithoutActOrder() throws {
        let w = try GPTQQuantizer(bits: 4, groupSize: 128, actOrder: false).quantize(values(64 * 256), rows: 64, cols: 256)
        let p = try plan(w)
        #expect(p.format == .int4 && p.i1 == 0 && p.i2 == 1 && p.repackLayout == 0)
        #expect(p.permutation == nil && p.slots[3] == nil && p.extraBytes == 0)
    }

    @Test func gptqActOrderSortsColumnsByGroup() throws {
        let w = try GPTQQuantizer(bits: 4, groupSize: 32, actOrder: true).quantize(values(32 * 128), rows: 32, cols: 128)
        let p = try plan(w)
        let perm = try #require(p.permutation)
        #expect(perm.count == 128 && Set(perm).count == 128)
        #expect(p.slots[3] == MatrixPlan.permutationName && p.extraBytes == 512)
        // Each run of 32 sorted columns belongs to one group, in group order.
        let gIdx = w.buffers.first { $0.name == "g_idx" }!.bytes
        func g(_ k: Int32) -> Int { Int(gIdx[4 * Int(k)]) }
        for (kk, k) in perm.enumerated() { #expect(g(k) == kk / 32) }
    }

    @Test func handMadeGIdxPermutation() throws {
        // 8 columns, groups of 4: g_idx = [1,0,1,0,0,1,1,0] → sorted: group 0 = 1,3,4,7; group 1 = 0,2,5,6.
        let g: [Int32] = [1, 0, 1, 0, 0, 1, 1, 0]
        let raw = g.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: UInt32(bitPattern: v) >> (8 * $0)) } }
        #expect(try MatrixPlan.actOrderPermutation(raw, cols: 8, groupSize: 4, format: "x", rows: 1) == [1, 3, 4, 7, 0, 2, 5, 6])
        let plain: [Int32] = [0, 0, 0, 0, 1, 1, 1, 1]
        let rawPlain = plain.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: UInt32(bitPattern: v) >> (8 * $0)) } }
        #expect(try MatrixPlan.actOrderPermutation(rawPlain, cols: 8, groupSize: 4, format: "x", rows: 1) == nil)
        let uneven: [Int32] = [0, 0, 0, 1, 1, 1, 1, 1]
        let rawUneven = uneven.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: UInt32(bitPattern: v) >> (8 * $0)) } }
        #expect(throws: MatrixPlanError.self) { try MatrixPlan.actOrderPermutation(rawUneven, cols: 8, groupSize: 4, format: "x", rows: 1) }
    }

    @Test func int8FlavoursAndDense() throws {
        let w8 = try RowInt8Quantizer(flavor: .w8a16).quantize(values(16 * 64), rows: 16, cols: 64)
        #expect(try plan(w8).slots.prefix(2) == ["weight", "weight_scale"])
        #expect(try plan(w8).i0 == 0)
        let llm = try RowInt8Quantizer(flavor: .llmInt8).quantize(values(16 * 64), rows: 16, cols: 64)
        #expect(try plan(llm).slots.prefix(2) == ["CB", "SCB"])
        #expect(try plan(llm).i0 == 1)
        for s in DenseWeight.Storage.allCases {
            let d = try DenseWeight(rows: 4, cols: 64, storage: s, values: values(256))
            #expect(try plan(d).format == [.fp32: DeviceFormat.f32, .fp16: .f16, .bf16: .bf16][s])
        }
    }

    @Test func bitsandbytesDoubleQuantUsesSixBuffers() throws {
        let dq = try Bnb4bitQuantizer(dataType: .nf4, doubleQuant: true).quantize(values(64 * 256), rows: 64, cols: 256)
        let p = try plan(dq)
        #expect(p.format == .nf4 && p.i0 == 1 && p.i1 == 64 && p.i2 == 256)
        #expect(p.slots == ["weight", "absmax", "quant_map", "nested_absmax", "nested_quant_map", "nested_offset"])
        let plain = try Bnb4bitQuantizer(dataType: .fp4, doubleQuant: false).quantize(values(64 * 256), rows: 64, cols: 256)
        #expect(try plan(plain).slots == ["weight", "absmax", "quant_map", nil, nil, nil])
    }

    @Test func fp8NeedsAda() throws {
        let w = try FP8Quantizer(granularity: .perChannel).quantize(values(16 * 64), rows: 16, cols: 64)
        #expect(try plan(w).i0 == 1)
        #expect(throws: MatrixPlanError.self) { try plan(w, Self.ampere) }
        let blk = try FP8Quantizer(granularity: .block(128)).quantize(values(256 * 256), rows: 256, cols: 256)
        let p = try plan(blk)
        #expect(p.i0 == 2 && p.i1 == 128 && p.slots[1] == "weight_scale_inv")
    }

    @Test func ggmlTypesAndRowMultiples() throws {
        for (t, f) in [("Q4_K", DeviceFormat.q4_k), ("Q6_K", .q6_k), ("Q8_0", .q8_0), ("Q5_0", .q5_0)] {
            #expect(try MatrixPlan.device(forFormat: t, capability: Self.hopper) == f)
        }
        // A K-quant row must hold whole 256-value super-blocks.
        #expect(throws: MatrixPlanError.self) {
            try MatrixPlan.plan(format: "Q4_K", rows: 8, cols: 128, buffers: ["blocks": []], capability: Self.hopper)
        }
    }

    @Test func unsupportedFormatsSayWhy() {
        #expect(throws: MatrixPlanError.self) { try MatrixPlan.device(forFormat: "int8-g128-gptq", capability: nil) }
        #expect(throws: MatrixPlanError.self) { try MatrixPlan.device(forFormat: "IQ4_XS", capability: nil) }
        do { _ = try MatrixPlan.device(forFormat: "int8-g128-gptq", capability: nil) } catch {
            #expect(error.description.contains("8-bit GPTQ"))
        }
    }
}
