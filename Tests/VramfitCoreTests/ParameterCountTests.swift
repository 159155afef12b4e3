import Testing
@testable import VramfitCore

@Suite struct ParameterCountTests {
    /// Qwen2.5-7B by hand: embed 152064·3584 ×2 (untied) + 28 layers × (q 3584² + k,v 2·512·3584
    /// + o 3584² + qkv bias 3584+2·512 + MLP 3·3584·18944 + 2 norms·3584) + final norm 3584.
    @Test func qwen25_7bMatchesHandArithmetic() {
        let m = Model(id: "q", name: "q", family: "qwen2.5", vocabSize: 152064, hiddenSize: 3584, intermediateSize: 18944,
                      numLayers: 28, numAttentionHeads: 28, numKVHeads: 4, qkvBias: true, maxContext: 32768, publishedParams: 7615616512)
        let perLayer: Int64 = 3584 * 3584 + 2 * 512 * 3584 + 3584 * 3584 + (3584 + 2 * 512) + 3 * 3584 * 18944 + 2 * 3584
        let total: Int64 = 2 * 152064 * 3584 + 28 * perLayer + 3584
        #expect(total == 7_615_616_512)
        #expect(ParameterCount.total(m) == total)
    }
}
