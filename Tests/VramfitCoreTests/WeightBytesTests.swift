import Testing
@testable import VramfitCore

/// Byte formulas of every storage layout, against hand arithmetic written out here (not computed
/// by the code under test). Layout facts: catalogs/quant/*.yaml and /work/shared/reference/quant.yaml.
@Suite struct WeightBytesTests {
    /// A small dense model: only its dtype and layer count matter to per-matrix arithmetic.
    static let model = Model(id: "m", name: "m", family: "t", vocabSize: 32000, hiddenSize: 4096, intermediateSize: 14336,
                             numLayers: 32, numAttentionHeads: 32, numKVHeads: 8, maxContext: 8192, dtype: .bf16,
                             publishedParams: 1)

    static func scheme(_ storage: WeightStorage, keep: Set<TensorRole> = [], dtype: DType? = nil) -> QuantScheme {
        QuantScheme(id: "s", name: "s", storage: storage, keepUnquantized: keep, unquantizedDType: dtype, engines: [])
    }

    /// One 4096 x 4096 attn_q matrix in decoder layer 5.
    static func bytes(_ storage: WeightStorage, rows: Int64 = 4096, rowLength: Int64 = 4096, role: TensorRole = .attnQ,
                      layer: Int64? = 5) -> (bytes: ByteCount, type: String) {
        WeightBytes.bytes(of: TensorSpec(name: "t", role: role, layer: layer, rows: rows, rowLength: rowLength),
                          scheme: scheme(storage), model: model, engine: nil)
    }

    // MARK: integer group-wise (AWQ, GPTQ)

    /// AWQ GEMM, 4-bit, group 128: qweight int32 [in, out/8] = 4096·4096/2 bytes, qzeros int32
    /// [in/128, out/8] = 32·4096/2 bytes, scales fp16 [in/128, out] = 32·4096·2 bytes.
    @Test func awqOneMatrix() {
        let qweight: Int64 = 4096 * 4096 / 2        // 8,388,608
        let qzeros: Int64 = 32 * 4096 / 2           // 65,536
        let scales: Int64 = 32 * 4096 * 2           // 262,144
        #expect(qweight + qzeros + scales == 8_716_288)
        let r = Self.bytes(.groupwise(bits: 4, groupSize: 128, scaleBytes: 2, zeroBits: 4, gIdx: false))
        #expect(r.bytes.value == 8_716_288)
        // 4 + 16/128 + 4/128 = 4.15625 bits per weight.
        #expect(Double(r.bytes.value) * 8 / Double(4096 * 4096) == 4.15625)
    }

    /// GPTQ 4-bit g128 stores the same three tensors plus g_idx int32 [in] = 4096·4 bytes.
    @Test func gptqWithGIdx() {
        let expected: Int64 = 4096 * 4096 / 2 + 32 * 4096 / 2 + 32 * 4096 * 2 + 4096 * 4
        #expect(expected == 8_732_672)
        #expect(Self.bytes(.groupwise(bits: 4, groupSize: 128, scaleBytes: 2, zeroBits: 4, gIdx: true)).bytes.value == expected)
        // 8-bit: qweight 4096·4096, qzeros 32·4096 (8 bits each), scales 32·4096·2, g_idx 4096·4.
        let int8: Int64 = 4096 * 4096 + 32 * 4096 + 32 * 4096 * 2 + 4096 * 4
        #expect(Self.bytes(.groupwise(bits: 8, groupSize: 128, scaleBytes: 2, zeroBits: 8, gIdx: true)).bytes.value == int8)
    }

    /// group_size -1 (one group over the whole row): 1 group.
    @Test func gptqWholeRowGroup() {
        let expected: Int64 = 4096 * 4096 / 2 + 1 * 4096 / 2 + 1 * 4096 * 2 + 4096 * 4
        #expect(Self.bytes(.groupwise(bits: 4, groupSize: -1, scaleBytes: 2, zeroBits: 4, gIdx: true)).bytes.value == expected)
    }

    /// MXFP4 written as group-wise 4-bit, group 32, a 1-byte E8M0 scale and no zeros: 17 bytes per 32.
    @Test func mxfp4AsGroupwise() {
        let r = Self.bytes(.groupwise(bits: 4, groupSize: 32, scaleBytes: 1, zeroBits: 0, gIdx: false), rows: 5760, rowLength: 2880)
        #expect(r.bytes.value == 5760 * (2880 / 32) * 17)
    }

    // MARK: bitsandbytes

    /// NF4 without double quant: n/2 packed bytes + an fp32 absmax per 64 weights + the 16-entry
    /// fp32 quant map (64 bytes).
    @Test func nf4() {
        let n: Int64 = 4096 * 4096
        let expected = n / 2 + (n / 64) * 4 + 16 * 4
        #expect(expected == 9_437_248)
        #expect(Self.bytes(.blockwise4bit(blockSize: 64, doubleQuant: false)).bytes.value == expected)
    }

    /// NF4 with double quant: absmax becomes uint8 (n/64 bytes), plus an fp32 scale per 256 absmax
    /// values, the fp32 offset, the 256-entry fp32 nested code and the 16-entry quant map.
    @Test func nf4DoubleQuant() {
        let n: Int64 = 4096 * 4096
        let blocks = n / 64                                   // 262,144
        let expected = n / 2 + blocks + (blocks / 256) * 4 + 4 + 256 * 4 + 16 * 4
        #expect(expected == 8_655_940)
        let r = Self.bytes(.blockwise4bit(blockSize: 64, doubleQuant: true))
        #expect(r.bytes.value == expected)
        // QLoRA: 4 + 8/64 + 32/(64·256) ≈ 4.127 bits per weight.
        #expect(abs(Double(r.bytes.value) * 8 / Double(n) - 4.127) < 0.001)
    }

    /// LLM.int8: int8 CB [out, in] + fp32 SCB [out].
    @Test func llmInt8() {
        #expect(Self.bytes(.perRow(bitsPerWeight: 8, scaleBytesPerRow: 4)).bytes.value == 4096 * 4096 + 4 * 4096)
        // Weight-only int8 with fp16 scales.
        #expect(Self.bytes(.perRow(bitsPerWeight: 8, scaleBytesPerRow: 2)).bytes.value == 4096 * 4096 + 2 * 4096)
    }

    // MARK: fp8

    /// 128x128 blocks: one fp32 scale per tile, partial tiles counted whole.
    @Test func fp8Block() {
        #expect(Self.bytes(.fp8Block(block: 128)).bytes.value == 4096 * 4096 + (32 * 32) * 4)
        // 1000 x 300: ceil(1000/128) = 8 row tiles, ceil(300/128) = 3 column tiles.
        #expect(Self.bytes(.fp8Block(block: 128), rows: 1000, rowLength: 300).bytes.value == 1000 * 300 + 8 * 3 * 4)
    }

    @Test func fp8PerTensor() {
        #expect(Self.bytes(.dense(bytesPerElement: 1, scaleBytesPerTensor: 4)).bytes.value == 4096 * 4096 + 4)
    }

    // MARK: ggml blocks

    @Test func ggmlBlockMath() {
        // Q4_K: 144 bytes per 256 weights; 16 blocks per 4096-wide row.
        let q4k = Self.bytes(.ggml(.q4_K))
        #expect(q4k.bytes.value == 4096 * 16 * 144)
        #expect(q4k.type == "Q4_K")
        // Q6_K: 210 bytes per 256.
        #expect(Self.bytes(.ggml(.q6_K)).bytes.value == 4096 * 16 * 210)
        // Q8_0: 34 bytes per 32; 128 blocks per row.
        #expect(Self.bytes(.ggml(.q8_0)).bytes.value == 4096 * 128 * 34)
        // Q4_0 18 / 32, Q5_K 176 / 256, Q3_K 110 / 256, Q2_K 84 / 256, IQ4_XS 136 / 256.
        #expect(Self.bytes(.ggml(.q4_0)).bytes.value == 4096 * 128 * 18)
        #expect(Self.bytes(.ggml(.q5_K)).bytes.value == 4096 * 16 * 176)
        #expect(Self.bytes(.ggml(.q3_K)).bytes.value == 4096 * 16 * 110)
        #expect(Self.bytes(.ggml(.q2_K)).bytes.value == 4096 * 16 * 84)
        #expect(Self.bytes(.ggml(.iq4_xs)).bytes.value == 4096 * 16 * 136)
        #expect(GGMLType.q4_K.bitsPerWeight == 4.5)
        #expect(GGMLType.q6_K.bitsPerWeight == 6.5625)
        #expect(GGMLType.q8_0.bitsPerWeight == 8.5)
    }

    /// Rows of 896 (Qwen2.5-0.5B's hidden size) are not a multiple of 256: llama.cpp's
    /// tensor_type_fallback stores Q4_K as Q5_0 (22 bytes / 32), Q6_K as Q8_0, IQ4_XS as IQ4_NL.
    @Test func kQuantFallbackOn896WideRows() {
        let q = Self.bytes(.ggml(.q4_K), rows: 4864, rowLength: 896)
        #expect(q.type == "Q5_0")
        #expect(q.bytes.value == 4864 * (896 / 32) * 22)
        let q6 = Self.bytes(.ggml(.q6_K), rows: 151936, rowLength: 896)
        #expect(q6.type == "Q8_0")
        #expect(q6.bytes.value == 151936 * 28 * 34)
        let iq = Self.bytes(.ggml(.iq4_xs), rows: 4864, rowLength: 896)
        #expect(iq.type == "IQ4_NL")
        #expect(iq.bytes.value == 4864 * 28 * 18)
        // Not a multiple of 32 either: F16.
        let odd = Self.bytes(.ggml(.q4_K), rows: 10, rowLength: 100)
        #expect(odd.type == "F16")
        #expect(odd.bytes.value == 10 * 100 * 2)
        // 2880 (gpt-oss) is a multiple of 32 but not of 256.
        #expect(Self.bytes(.ggml(.q4_K), rows: 2880, rowLength: 2880).type == "Q5_0")
    }

    // MARK: what stays unquantized

    @Test func vectorsAndKeptRoles() {
        let awq = Self.scheme(.groupwise(bits: 4, groupSize: 128, scaleBytes: 2, zeroBits: 4, gIdx: false),
                              keep: [.tokenEmbedding, .output], dtype: .fp16)
        let embd = TensorSpec(name: "e", role: .tokenEmbedding, layer: nil, rows: 32000, rowLength: 4096)
        #expect(WeightBytes.bytes(of: embd, scheme: awq, model: Self.model, engine: nil).bytes.value == 32000 * 4096 * 2)
        let norm = TensorSpec(name: "n", role: .norm, layer: 0, rows: 1, rowLength: 4096, count: 2)
        #expect(WeightBytes.bytes(of: norm, scheme: awq, model: Self.model, engine: nil).bytes.value == 2 * 4096 * 2)
        // GGUF: 1-D tensors and the MoE router are F32.
        let gguf = Self.scheme(.ggml(.q4_K))
        #expect(WeightBytes.bytes(of: norm, scheme: gguf, model: Self.model, engine: nil).bytes.value == 2 * 4096 * 4)
        let router = TensorSpec(name: "r", role: .router, layer: 0, rows: 8, rowLength: 4096)
        let r = WeightBytes.bytes(of: router, scheme: gguf, model: Self.model, engine: nil)
        #expect(r.bytes.value == 8 * 4096 * 4)
        #expect(r.type == "F32")
    }

    /// Engine-specific unquantized sets replace the scheme's set for that engine only.
    @Test func engineKeepUnquantized() {
        var s = Self.scheme(.perRow(bitsPerWeight: 8, scaleBytesPerRow: 4), keep: [.tokenEmbedding, .output])
        s.engineKeepUnquantized = ["vllm": [.tokenEmbedding, .output, .router]]
        let router = TensorSpec(name: "r", role: .router, layer: 0, rows: 8, rowLength: 4096)
        #expect(WeightBytes.bytes(of: router, scheme: s, model: Self.model, engine: "transformers").bytes.value == 8 * 4096 + 8 * 4)
        #expect(WeightBytes.bytes(of: router, scheme: s, model: Self.model, engine: "vllm").bytes.value == 8 * 4096 * 2)
    }

    // MARK: llama.cpp mix conditions

    /// use_more_bits(i, 32): i < 4 || i >= 28 || (i - 4) % 3 == 2 → 0-3, 6, 9, …, 27, 28-31 (16 layers).
    @Test func moreBitsLayersOf32() {
        let mix = GGUFMix(defaultType: .q4_K, rules: [.init(role: .attnV, type: .q6_K, when: .moreBits)])
        let bumped = (0..<32).filter { mix.type(for: .attnV, layer: Int64($0), model: Self.model) == .q6_K }
        #expect(bumped == [0, 1, 2, 3, 6, 9, 12, 15, 18, 21, 24, 27, 28, 29, 30, 31])
        #expect(mix.type(for: .attnV, layer: nil, model: Self.model) == .q4_K)
    }

    @Test func mixConditions() {
        let mix = GGUFMix(defaultType: .q3_K, rules: [
            .init(role: .attnV, type: .q8_0, when: .experts(8)),
            .init(role: .attnV, type: .q5_K, when: .firstLayers(2)),
            .init(role: .attnV, type: .q4_K),
            .init(role: .ffnDown, type: .q5_K, when: .layerFractionBelow(16)),
            .init(role: .tokenEmbedding, type: .q6_K, when: .tiedEmbeddings),
            .init(role: .attnOutput, type: .q5_K, when: .layers(80)),
        ])
        let m = Self.model
        #expect(mix.type(for: .attnV, layer: 1, model: m) == .q5_K)
        #expect(mix.type(for: .attnV, layer: 2, model: m) == .q4_K)
        #expect(mix.type(for: .ffnDown, layer: 1, model: m) == .q5_K)   // 1 < 32/16
        #expect(mix.type(for: .ffnDown, layer: 2, model: m) == .q3_K)
        #expect(mix.type(for: .tokenEmbedding, layer: nil, model: m) == .q3_K)
        #expect(mix.type(for: .attnOutput, layer: 3, model: m) == .q3_K)
        var tied = m; tied.tieWordEmbeddings = true
        #expect(mix.type(for: .tokenEmbedding, layer: nil, model: tied) == .q6_K)
        var moe = m; moe.moe = .init(numExperts: 8, expertsPerToken: 2, expertIntermediateSize: 14336)
        #expect(mix.type(for: .attnV, layer: 1, model: moe) == .q8_0)
        var big = m; big.numLayers = 80
        #expect(mix.type(for: .attnOutput, layer: 3, model: big) == .q5_K)
        #expect(mix.type(for: .ffnDown, layer: 4, model: big) == .q5_K)  // 4 < 80/16
        #expect(mix.type(for: .ffnDown, layer: 5, model: big) == .q3_K)
    }

    // MARK: whole model

    /// Llama-3.1-8B's tensors add up to its exact parameter count (so the whole-model byte tests in
    /// SchemeCatalogTests sum the right shapes): embed + head 2·128256·4096, 32 layers of
    /// q 4096² + k,v 2·1024·4096 + o 4096² + MLP 3·4096·14336 + 2 norms, final norm.
    @Test func llama31_8bParameterCount() {
        let perLayer: Int64 = 4096 * 4096 + 2 * 1024 * 4096 + 4096 * 4096 + 3 * 4096 * 14336 + 2 * 4096
        let total: Int64 = 2 * 128256 * 4096 + 32 * perLayer + 4096
        #expect(total == 8_030_261_248)
        #expect(ParameterCount.total(Self.llama31_8b) == total)
    }

    static let llama31_8b = Model(id: "llama-3.1-8b", name: "Llama-3.1-8B", family: "llama-3.1", vocabSize: 128256,
                                  hiddenSize: 4096, intermediateSize: 14336, numLayers: 32, numAttentionHeads: 32,
                                  numKVHeads: 8, maxContext: 131072, publishedParams: 8_030_261_248)

    /// bf16: 2 bytes per parameter; a GGUF F16 file: 2 bytes, except 65 norm vectors at 4.
    @Test func llama31_8bFloat() {
        let bf16 = WeightBreakdown(model: Self.llama31_8b, scheme: Self.scheme(.dense(bytesPerElement: 2), dtype: .bf16), engine: nil)
        #expect(bf16.total.value == 8_030_261_248 * 2)
        let f16 = WeightBreakdown(model: Self.llama31_8b, scheme: Self.scheme(.ggml(.f16)), engine: nil)
        #expect(f16.total.value == 8_030_261_248 * 2 + 65 * 4096 * 2)
    }
}
