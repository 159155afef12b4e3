import Testing
import VramfitCore
@testable import VramfitRunner

/// Storage layouts checked bit by bit against hand-built buffers: each expected value below is
/// worked out by hand from the reference decoder's formula (AutoAWQ `dequantize_gemm`, GPTQ v1,
/// bitsandbytes `dequantize_4bit`, ggml `dequantize_row_*`), so a packing order or offset that
/// drifted from what those readers expect fails here even if quantize/dequantize agree.
@Suite struct LayoutTests {
    static func le32(_ v: [UInt32]) -> [UInt8] { v.flatMap { w in (0..<4).map { UInt8(truncatingIfNeeded: w >> (8 * $0)) } } }
    static func le16(_ v: [UInt16]) -> [UInt8] { v.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] } }
    static func f32(_ v: [Float]) -> [UInt8] { le32(v.map(\.bitPattern)) }

    static func row(_ w: any QuantizedWeight, _ r: Int) -> [Float] {
        var out = [Float](repeating: .nan, count: w.cols)
        out.withUnsafeMutableBufferPointer { w.dequantizeRow(r, into: $0) }
        return out
    }

    // MARK: AWQ

    /// qweight word 0x76543210 holds nibble i = i; AutoAWQ puts column order[i] = [0,2,4,6,1,3,5,7][i]
    /// in nibble i, so column n reads nibble [0,4,1,5,2,6,3,7][n]. Zeros all 1 (0x11111111),
    /// scales 1.0 except column 3 (2.0).
    @Test func awqInterleavedNibbles() {
        let k = 128
        var qweight = [UInt32](repeating: 0, count: k)
        qweight[0] = 0x7654_3210
        var scales = [UInt16](repeating: 0x3C00, count: 8)
        scales[3] = 0x4000
        let w = AWQWeight(rows: 8, cols: k, groupSize: 128, qweight: Self.le32(qweight), qzeros: Self.le32([0x1111_1111]), scales: Self.le16(scales))
        let expected: [Float] = [-1, 3, 0, 8, 1, 5, 2, 6]  // (nibble − 1) · scale
        for n in 0..<8 {
            let r = Self.row(w, n)
            #expect(r[0] == expected[n], "W[\(n), 0]")
            #expect(r[1] == -(n == 3 ? 2 : 1), "W[\(n), 1]: q 0 − zero 1")
        }
        #expect(AWQWeight.order == [0, 2, 4, 6, 1, 3, 5, 7])
    }

    /// Quantizing puts column n's code in nibble [0,4,1,5,2,6,3,7][n % 8] of word n / 8.
    @Test func awqQuantizerPacksInAutoAWQOrder() throws {
        // Column n: constant-free ramp so its codes differ per column: W[n, k] = n·0.01 + k·1e-4.
        let rows = 8, cols = 128
        var v = [Float](repeating: 0, count: rows * cols)
        for n in 0..<rows { for kk in 0..<cols { v[n * cols + kk] = Float(n) * 0.01 + Float(kk) * 1e-4 - 0.02 } }
        let w = try AWQQuantizer().quantize(v, rows: rows, cols: cols)
        let qw = try #require(w.buffers.first { $0.name == "qweight" }).bytes
        let sc = try #require(w.buffers.first { $0.name == "scales" }).bytes
        let qz = try #require(w.buffers.first { $0.name == "qzeros" }).bytes
        let zeroWord = UInt32(qz[0]) | UInt32(qz[1]) << 8 | UInt32(qz[2]) << 16 | UInt32(qz[3]) << 24
        for kk in [0, 77, 127] {
            let word = UInt32(qw[4 * kk]) | UInt32(qw[4 * kk + 1]) << 8 | UInt32(qw[4 * kk + 2]) << 16 | UInt32(qw[4 * kk + 3]) << 24
            let r = (0..<rows).map { Self.row(w, $0)[kk] }
            for n in 0..<rows {
                let nib = [0, 4, 1, 5, 2, 6, 3, 7][n]
                let q = Float((word >> UInt32(4 * nib)) & 0xF), z = Float((zeroWord >> UInt32(4 * nib)) & 0xF)
                let s = FloatBits.halfToFloat(UInt16(sc[2 * n]) | UInt16(sc[2 * n + 1]) << 8)
                #expect((q - z) * s == r[n], "k \(kk) column \(n)")
            }
        }
    }

    // MARK: GPTQ

    /// qweight [K/8, N]: word (0, 1) = 0x76543210 → W[1, k] = k for k < 8 before zero/scale;
    /// qzeros [G, 1]: g 0 stores zero − 1 = 2 for column 1 (nibble 1); scales g 0 col 1 = 0.5.
    @Test(arguments: [false, true])
    func gptqPackingAndGIdx(_ actOrder: Bool) {
        let n = 3, k = 16, g = 8
        var qweight = [UInt32](repeating: 0, count: 2 * n)
        qweight[0 * n + 1] = 0x7654_3210
        qweight[1 * n + 1] = 0x0000_000F            // W[1, 8] code 15
        let qzeros: [UInt32] = [0x0000_0020, 0x0000_0000]  // g0: col 1 stored 2 (zero 3); g1: zero 1
        var scales = [UInt16](repeating: 0x3C00, count: 2 * n)
        scales[0 * n + 1] = 0x3800                  // 0.5
        // act-order: channels 0..<8 in group 1, 8..<16 in group 0.
        let gIdx: [UInt32] = (0..<k).map { actOrder ? UInt32(1 - $0 / g) : UInt32($0 / g) }
        let w = GPTQWeight(rows: n, cols: k, bits: 4, groupSize: g, actOrder: actOrder, qweight: Self.le32(qweight),
                           qzeros: Self.le32(qzeros), scales: Self.le16(scales), gIdx: Self.le32(gIdx))
        let r = Self.row(w, 1)
        for kk in 0..<8 {
            let expected: Float = actOrder ? Float(kk - 1) * 1.0 : Float(kk - 3) * 0.5
            #expect(r[kk] == expected, "W[1, \(kk)]")
        }
        #expect(r[8] == (actOrder ? (15 - 3) * 0.5 : 14), "W[1, 8]")
        #expect(r[9] == (actOrder ? -1.5 : -1), "W[1, 9]")
        #expect(w.format == (actOrder ? "int4-g8-gptq-actorder" : "int4-g8-gptq"))
    }

    /// The act-order quantizer stores g_idx as the group of each channel's position in the
    /// descending-importance order.
    @Test func gptqActOrderGIdx() throws {
        let importance: [Float] = [1, 5, 3, 8, 2, 7, 6, 4]   // order: 3, 5, 6, 1, 7, 2, 4, 0
        let q = GPTQQuantizer(bits: 4, groupSize: 2, actOrder: true, channelImportance: importance)
        let w = try q.quantize(QuantFixtures.gaussian(rows: 8, cols: 8, seed: 3), rows: 8, cols: 8)
        let b = try #require(w.buffers.first { $0.name == "g_idx" }).bytes
        let gIdx = (0..<8).map { Int(b[4 * $0]) }
        #expect(gIdx == [3, 1, 2, 0, 3, 0, 1, 2])
    }

    // MARK: bitsandbytes 4-bit

    @Test func nf4HighNibbleFirst() {
        var packed = [UInt8](repeating: 0x77, count: 32)     // code 7 = 0.0
        packed[0] = 0xF0                                      // e0: code 15 (1.0), e1: code 0 (−1.0)
        packed[1] = 0x78                                      // e2: 0.0, e3: code 8 (0.0796…)
        let w = Bnb4bitWeight(rows: 1, cols: 64, dataType: .nf4, doubleQuant: false, packed: packed,
                              absmax: Self.f32([2]), nestedAbsmax: [], offset: 0)
        let r = Self.row(w, 0)
        #expect(r[0] == 2 && r[1] == -2 && r[2] == 0 && r[3] == 2 * Float(0.07958029955625534) && r[63] == 0)
        #expect(w.buffers.map(\.name) == ["weight", "absmax", "quant_map"])
    }

    @Test func nf4DoubleQuantAbsmax() {
        // absmax code 255 → dynamic[255] = 1.0; × nested 0.5 + offset 0.25 = 0.75.
        let w = Bnb4bitWeight(rows: 1, cols: 64, dataType: .nf4, doubleQuant: true, packed: [UInt8](repeating: 0xF0, count: 32),
                              absmax: [255], nestedAbsmax: Self.f32([0.5]), offset: 0.25)
        let r = Self.row(w, 0)
        #expect(r[0] == 0.75 && r[1] == -0.75)
        #expect(w.buffers.map(\.name) == ["weight", "absmax", "quant_map", "nested_absmax", "nested_quant_map", "nested_offset"])
    }

    /// bitsandbytes `create_dynamic_map(signed=True)`: 127 negative values, 0, 127 positive, 1.0;
    /// the smallest positive is 1e-6 · 0.55 (midpoint of linspace(0.1, 1, 2)), the largest below
    /// 1 is 0.99296875 (midpoint of the last two of linspace(0.1, 1, 65)).
    @Test func dynamicMap() {
        let d = BnbCodebooks.dynamic
        #expect(d.count == 256 && d == d.sorted())
        #expect(d[127] == 0 && d[255] == 1 && d[0] == -d[254])
        #expect(abs(d[128] - 0.55e-6) < 1e-12)
        #expect(d[254] == 0.99296875)
    }

    @Test func bnbQuantizerCodes() throws {
        var v = [Float](repeating: 0, count: 64)
        v[0] = 1; v[1] = -1; v[2] = 0.001; v[3] = 0.08; v[4] = 0.5; v[5] = -0.3
        let nf4 = try Bnb4bitQuantizer(dataType: .nf4, doubleQuant: false).quantize(v, rows: 1, cols: 64)
        let p = try #require(nf4.buffers.first { $0.name == "weight" }).bytes
        // 1 → 15, −1 → 0, 0.001 → 7 (0.0), 0.08 → 8, 0.5 → 12 (0.4407; the 12|13 midpoint is 0.5017), −0.3 → 4 (−0.2844)
        #expect(Array(p[0..<3]) == [0xF0, 0x78, 0xC4])
        let fp4 = try Bnb4bitQuantizer(dataType: .fp4, doubleQuant: false).quantize(v, rows: 1, cols: 64)
        let f = try #require(fp4.buffers.first { $0.name == "weight" }).bytes
        // FP4: 1 → 0b0011 (12/12), −1 → 0b1011, 0.001 → 0b0000, 0.08 → 0b0001 (0.0625/12: below the
        // 0.0859375 threshold), 0.5 → 0b0101 (6/12), −0.3 → 0b1100 (sign | 4/12).
        #expect(Array(f[0..<3]) == [0x3B, 0x01, 0x5C])
    }

    // MARK: ggml blocks

    static func ggml(_ type: GGMLType, _ block: [UInt8]) -> [Float] {
        row(GGMLWeight(rows: 1, cols: Int(type.blockSize), type: type, blocks: block), 0)
    }

    @Test func q8_0Block() {
        var b = Self.le16([0x3800])                       // d = 0.5
        b += (0..<32).map { UInt8(bitPattern: Int8($0 - 16)) }
        let y = Self.ggml(.q8_0, b)
        #expect(y == (0..<32).map { Float($0 - 16) * 0.5 })
    }

    @Test func q4_0Block() {
        var b = Self.le16([0x4000])                       // d = 2
        b += [0x3F] + [UInt8](repeating: 0x88, count: 15)
        let y = Self.ggml(.q4_0, b)
        #expect(y[0] == 14 && y[16] == -10 && y[1] == 0 && y[17] == 0)   // (15 − 8)·2, (3 − 8)·2
    }

    @Test func q5_0Block() {
        var b = Self.le16([0x3C00])                       // d = 1
        b += Self.le32([0x0001_0001])                     // fifth bits of elements 0 and 16
        b += [0x21] + [UInt8](repeating: 0, count: 15)
        let y = Self.ggml(.q5_0, b)
        #expect(y[0] == 1 && y[16] == 2 && y[1] == -16 && y[17] == -16)
    }

    /// block_q4_K: d = 1, dmin = 0.5; sub-block scales/mins from the 12 packed bytes
    /// (get_scale_min_k4): sc0 = 2, m0 = 3; sc1 = 5, m1 = 7; sc5 = (scales[9] & 0xF) |
    /// (scales[1] >> 6) << 4 = 1 | 16 = 17, m5 = (scales[9] >> 4) | (scales[5] >> 6) << 4 = 2;
    /// sc4 = m4 = 0.
    @Test func q4_KBlock() {
        var b = Self.le16([0x3C00, 0x3800])
        var scales = [UInt8](repeating: 0, count: 12)
        scales[0] = 2; scales[4] = 3; scales[1] = 5 | 1 << 6; scales[5] = 7; scales[9] = 0x21
        b += scales
        var qs = [UInt8](repeating: 0, count: 128)
        qs[0] = 0x4A; qs[64] = 0x30
        b += qs
        let y = Self.ggml(.q4_K, b)
        #expect(y[0] == 18.5)    // 1·2·10 − 0.5·3
        #expect(y[32] == 16.5)   // 1·5·4 − 0.5·7
        #expect(y[1] == -1.5 && y[33] == -3.5)
        #expect(y[128] == 0)     // sub-block 4: sc 0, m 0
        #expect(y[160] == 50)    // 1·17·3 − 0.5·2
    }

    /// block_q5_K: as Q4_K plus qh: element l of sub-block pair c gets +16 when qh[l] bit 2c is set
    /// (low nibble) or bit 2c + 1 (high nibble).
    @Test func q5_KBlock() {
        var b = Self.le16([0x3C00, 0x0000])               // d = 1, dmin = 0
        b += [1, 1, 1, 1, 0, 0, 0, 0, 0x11, 0x11, 0x11, 0x11]  // every sub-block scale 1, min 0
        var qh = [UInt8](repeating: 0, count: 32)
        qh[0] = 0b0000_0110                               // element 0 of sub-block 1 (+16) and of sub-block 2 (+16)
        b += qh
        var qs = [UInt8](repeating: 0, count: 128)
        qs[0] = 0x21; qs[32] = 0x03
        b += qs
        let y = Self.ggml(.q5_K, b)
        #expect(y[0] == 1 && y[32] == 18 && y[64] == 19 && y[96] == 0)
    }

    /// block_q6_K: d = 0.25 @208; scales[0, 2, 4, 6] = 4, −2, 8, 1; ql[0] = 0x21, ql[32] = 0x43,
    /// qh[0] = 0b11_10_01_00 → q1 = 1 − 32, q2 = (3 | 16) − 32, q3 = (2 | 32) − 32, q4 = (4 | 48) − 32.
    @Test func q6_KBlock() {
        var b = [UInt8](repeating: 0, count: 210)
        b[0] = 0x21; b[32] = 0x43; b[128] = 0xE4
        b[192] = 4; b[194] = UInt8(bitPattern: -2); b[196] = 8; b[198] = 1
        b[208] = 0x00; b[209] = 0x34                      // 0x3400 = 0.25
        let y = Self.ggml(.q6_K, b)
        #expect(y[0] == -31 && y[32] == 6.5 && y[64] == 4 && y[96] == 5)
        #expect(y[1] == 0.25 * 4 * -32)                   // ql 0, qh 0 → −32
    }

    // MARK: FP8 and int8

    /// Scale exactly 1 (absmax 448): the codes are E4M3 of the inputs, round-to-nearest-even.
    @Test func fp8Codes() throws {
        let v: [Float] = [448, 1, 1.0625, 1.1875, 0x1p-9, 0x1p-10, 3 * 0x1p-10, -448, 0, 0x1p-6, 240, 0.001]
        let w = try FP8Quantizer(granularity: .perTensor).quantize(v, rows: 1, cols: v.count)
        let codes = try #require(w.buffers.first { $0.name == "weight" }).bytes
        #expect(codes == [0x7E, 0x38, 0x38, 0x3A, 0x01, 0x00, 0x02, 0xFE, 0x00, 0x08, 0x77, 0x01])
        #expect(try #require(w.buffers.first { $0.name == "weight_scale" }).bytes == Self.f32([1]))
        #expect(Self.row(w, 0) == [448, 1, 1, 1.25, 0x1p-9, 0, 0x1p-8, -448, 0, 0x1p-6, 240, 0x1p-9])
    }

    @Test func everyE4M3CodeRoundTrips() {
        for c in 0..<256 where c & 0x7F != 0x7F {
            #expect(FloatBits.floatToE4M3(FloatBits.e4m3ToFloat(UInt8(c))) == UInt8(c), "code \(c)")
        }
        #expect(FloatBits.e4m3ToFloat(0x7F).isNaN && FloatBits.floatToE4M3(1000) == 0x7E)
    }

    @Test func int8Rows() throws {
        let w8 = try RowInt8Quantizer(flavor: .w8a16).quantize([255, -1, 0.5], rows: 1, cols: 3)
        // scale 255 / 127.5 = 2 (fp16 0x4000); 127.5 → 128 (half-even) → clamp 127; −0.5 → 0; 0.25 → 0
        #expect(w8.buffers.map(\.bytes) == [[127, 0, 0], [0x00, 0x40]])
        let bnb = try RowInt8Quantizer(flavor: .llmInt8).quantize([127, -64, 0.5], rows: 1, cols: 3)
        // SCB = absmax 127; CB = round(127 · x / 127)
        #expect(bnb.buffers.map(\.name) == ["CB", "SCB"])
        #expect(bnb.buffers[0].bytes == [127, UInt8(bitPattern: -64), 0] && bnb.buffers[1].bytes == Self.f32([127]))
        #expect(Self.row(bnb, 0) == [127, -64, 0])
    }
}
