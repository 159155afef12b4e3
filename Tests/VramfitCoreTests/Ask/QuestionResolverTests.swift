import Testing
@testable import VramfitCore

/// From words to catalog entries, with what was assumed said out loud.
@Suite struct QuestionResolverTests {
    let resolve = AskTestCatalog.resolve

    @Test func bareSizeAndBareMemory() throws {
        let r = try resolve("will 14B AWQ fit on 24GB")
        #expect(r.model.id == "qwen2.5-14b-instruct")
        #expect(r.alternatives == ["qwen3-14b", "phi-4"])
        #expect(r.scheme?.id == "awq")
        #expect(r.gpu?.id == "rtx-4090")
        #expect(r.gpuCount == 1)
        #expect(r.asksHowMuch == false)
        #expect(r.assumptions.contains("assumed Qwen2.5-14B-Instruct for '14B' (also: Qwen3-14B, Phi-4)"))
        #expect(r.assumptions.contains { $0.hasPrefix("assumed rtx-4090 for '24GB'") })
    }

    @Test func multiGPUWithContext() throws {
        let r = try resolve("can I run llama 3.1 70b q4_k_m on 2x 4090 with 32k context")
        #expect(r.model.id == "llama-3.1-70b-instruct")
        #expect(r.scheme?.id == "q4_k_m")
        #expect(r.gpu?.id == "rtx-4090")
        #expect(r.gpuCount == 2)
        #expect(r.context == 32768)
        #expect(r.workload == Workload(context: 32768, batch: 1, tensorParallel: 2))
        #expect(r.assumptions.isEmpty)
    }

    @Test func modelSchemeGPU() throws {
        let r = try resolve("qwen2.5-7b fp16 on a T4?")
        #expect(r.model.id == "qwen2.5-7b-instruct")
        #expect(r.scheme?.id == "fp16")
        #expect(r.gpu?.id == "t4")
    }

    @Test func howMuchLeavesGPUOpen() throws {
        let r = try resolve("how much VRAM for mixtral at 8k")
        #expect(r.model.id == "mixtral-8x7b-instruct-v0.1")
        #expect(r.alternatives == ["mixtral-8x22b-instruct-v0.1"])
        #expect(r.gpu == nil)
        #expect(r.asksHowMuch)
        #expect(r.context == 8192)
        #expect(r.scheme == nil)
        #expect(r.assumptions.contains { $0.hasPrefix("assumed Mixtral-8x7B-Instruct-v0.1 for 'mixtral'") })
    }

    @Test func engineBatchKV() throws {
        let r = try resolve("llama-3.1-8b on h100 with vllm, batch 16, fp8 kv cache")
        #expect(r.model.id == "llama-3.1-8b-instruct")
        #expect(r.gpu?.id == "h100-sxm")
        #expect(r.engine?.id == "vllm")
        #expect(r.batch == 16)
        #expect(r.kvCacheType?.id == "fp8")
        #expect(r.scheme == nil)
        #expect(r.workload.kvCacheType == "fp8")
    }

    @Test func repoIdWithSpacedMemory() throws {
        let r = try resolve("Qwen/Qwen2.5-14B-Instruct awq 24 GB")
        #expect(r.model.id == "qwen2.5-14b-instruct")
        #expect(r.alternatives.isEmpty)
        #expect(r.scheme?.id == "awq")
        #expect(r.gpu?.id == "rtx-4090")
        #expect(r.assumptions.contains { $0.hasPrefix("assumed rtx-4090 for '24 GB'") })
    }

    @Test func nonsenseHasNoModel() {
        #expect(throws: QuestionError.noModel(suggestions: [])) { try resolve("hello") }
        #expect(throws: QuestionError.noModel(suggestions: [])) { try resolve("") }
    }

    @Test func misspelledModelGetsSuggestions() {
        do {
            _ = try resolve("lama 3.1 8b")
            Issue.record("expected an unknown model")
        } catch let QuestionError.unknownModel(text, suggestions) {
            #expect(text == "lama 3.1 8b")
            #expect(suggestions.first == "llama-3.1-8b-instruct")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func modelInsideLongerUnknownNameIsNotAssumed() {
        do {
            _ = try resolve("phi-4-mini on a 4090")
            Issue.record("expected an unknown model")
        } catch let QuestionError.unknownModel(text, suggestions) {
            #expect(text == "phi-4-mini")
            #expect(suggestions.contains("phi-4"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func familyAndSizeWithoutAlias() throws {
        let r = try resolve("qwen 14b on a 4090")
        #expect(r.model.id == "qwen2.5-14b-instruct")
        #expect(r.alternatives == ["qwen3-14b"])
        #expect(r.assumptions.contains("assumed Qwen2.5-14B-Instruct for 'qwen 14b' (also: Qwen3-14B)"))
        #expect(throws: QuestionError.self) { try resolve("qwen 14b coder on a 4090") }
        let l = try resolve("llama 3 70b on 2 h100")
        #expect(l.model.id == "llama-3.1-70b-instruct")
        #expect(l.gpuCount == 2)
    }

    @Test func sizeAliasOutranksParameterCount() throws {
        // Qwen2.5-7B (7.6B) is within 10% of 8B, but the Llama says 8B in its name.
        #expect(try resolve("8B on a 4090").model.id == "llama-3.1-8b-instruct")
        #expect(try resolve("70b on 4x a100").model.id == "llama-3.1-70b-instruct")
    }

    @Test func sizeNobodyHas() {
        #expect(throws: QuestionError.noModelOfSize("300B", nearest: ["mixtral-8x22b-instruct-v0.1", "llama-3.1-70b-instruct", "mixtral-8x7b-instruct-v0.1"])) {
            try resolve("300B on 8x h100")
        }
    }

    @Test func sharedGPUAliasIsAssumed() throws {
        let r = try resolve("llama 3.1 70b on 4 x A100")
        #expect(r.gpu?.id == "a100-80gb")
        #expect(r.gpuAlternatives == ["a100-40gb"])
        #expect(r.gpuCount == 4)
        #expect(r.assumptions.contains("assumed a100-80gb for 'A100' (also: a100-40gb)"))
    }

    @Test func memoryWithoutAliasTakesSmallestBigEnough() throws {
        let r = try resolve("qwen2.5-7b in 48GB")
        #expect(r.gpu?.id == "a100-80gb")
        #expect(r.assumptions.contains { $0.hasPrefix("assumed a100-80gb for '48GB': the smallest GPU") })
        #expect(try resolve("qwen2.5-7b in 16gb vram").gpu?.id == "t4")
    }

    @Test func memoryBeyondEveryGPU() {
        #expect(throws: QuestionError.noGPUWithMemory("512GB")) { try resolve("llama 3.1 70b in 512GB") }
    }

    @Test func fitWithoutTarget() {
        #expect(throws: QuestionError.noTarget) { try resolve("will llama 3.1 8b fit?") }
    }

    @Test func unknownGPUGetsSuggestions() {
        do {
            _ = try resolve("will llama 3.1 8b fit on my 3080")
            Issue.record("expected an unknown GPU")
        } catch let QuestionError.unknownGPU(text, suggestions) {
            #expect(text == "3080")
            #expect(suggestions.contains("rtx-3090"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(arguments: [
        ("4-bit", nil, "awq"), ("4-bit", "ollama", "q4_k_m"), ("int4", "llama.cpp", "q4_k_m"), ("4bit", "transformers", "awq"),
        ("nf4", nil, "bnb-nf4"), ("8bit", nil, "bnb-int8"), ("8-bit", "ollama", "q8_0"), ("16-bit", nil, "bf16"), ("Q4", nil, "q4_k_m"),
    ] as [(String, String?, String)])
    func precisionWords(_ words: String, _ engine: String?, _ scheme: String) throws {
        let r = try resolve("qwen2.5-7b \(words) on a 4090" + (engine.map { " with \($0)" } ?? ""))
        #expect(r.scheme?.id == scheme, "\(words) \(engine ?? "")")
        #expect(r.assumptions.contains { $0.hasPrefix("assumed \(scheme) for '\(words)'") })
    }

    @Test func unknownKVCacheType() {
        #expect(throws: QuestionError.unknownKVCacheType("e5m2", suggestions: [])) { try resolve("llama 3.1 8b e5m2 kv cache on a 4090") }
    }

    @Test func ignoredAndUnrecognizedAreSaid() throws {
        let r = try resolve("llama 3.1 8b and qwen2.5-7b on a 4090 zorblax")
        #expect(r.model.id == "llama-3.1-8b-instruct")
        #expect(r.assumptions.contains("ignored model 'qwen2.5-7b': answered for 'llama 3.1 8b'"))
        #expect(r.assumptions.contains("ignored 'zorblax': not understood"))
    }

    @Test func errorsDescribeThemselves() {
        #expect(QuestionError.unknownModel("lama", suggestions: ["llama-3.1-8b-instruct"]).description
            == "unknown model 'lama'; did you mean 'llama-3.1-8b-instruct'?")
        #expect(QuestionError.noTarget.description.contains("how much VRAM"))
    }
}
