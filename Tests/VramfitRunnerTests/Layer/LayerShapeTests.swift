import Testing
import VramfitCatalog
import VramfitCore
@testable import VramfitRunner

@Suite struct LayerShapeTests {
    let catalog = try! CatalogLoader.builtIn()

    /// Qwen2.5-7B-Instruct config.json: hidden 3584, 28/4 heads (head dim 128), intermediate 18944,
    /// attention bias, rope_theta 1e6, rms_norm_eps 1e-6.
    @Test func qwen25_7b() throws {
        let s = try LayerShape(model: catalog.model("qwen2.5-7b").value, layer: 3)
        #expect(s.hidden == 3584 && s.heads == 28 && s.kvHeads == 4 && s.headDim == 128 && s.intermediate == 18944)
        #expect(s.qkvBias && !s.outputBias && !s.qkNorm && s.moe == nil && s.slidingWindow == nil)
        #expect(s.ropeTheta == 1e6 && s.rmsEps == 1e-6 && s.groupSize == 7 && s.layerIndex == 3)
        // 3584·(3584 + 512·2 + 3584) + 3·3584·18944 = 29,360,128 + 203,685,888 = 233,046,016 weights per token, by hand.
        #expect(s.activeParameters == 233_046_016)
    }

    @Test func qwen3MoE() throws {
        let s = try LayerShape(model: catalog.model("qwen3-30b-a3b").value, layer: 0)
        #expect(s.moe == LayerShape.MoE(experts: 128, topK: 8, expertIntermediate: 768, normalizeTopK: true))
        #expect(s.qkNorm && s.intermediate == 0)
    }

    @Test func unsupportedArchitecturesAreRefusedWithTheReason() {
        for id in ["deepseek-v3", "gpt-oss-20b", "gemma-2-9b-it"] {
            #expect(throws: RunnerError.self) { try LayerShape(model: catalog.model(id).value, layer: 0) }
        }
        do {
            _ = try LayerShape(model: catalog.model("deepseek-v3").value, layer: 0)
        } catch let e as RunnerError {
            #expect(e.description.contains("MLA"))
        } catch { Issue.record("\(error)") }
    }

    @Test func layerOutOfRange() {
        #expect(throws: RunnerError.self) { try LayerShape(model: catalog.model("qwen2.5-7b").value, layer: 28) }
    }

    @Test func slidingLayersFollowThePattern() throws {
        let m = RunnerFixtures.model(sliding: .init(window: 16, pattern: [true, false]))
        #expect(try LayerShape(model: m, layer: 0).slidingWindow == 16)
        #expect(try LayerShape(model: m, layer: 1).slidingWindow == nil)
    }
}
