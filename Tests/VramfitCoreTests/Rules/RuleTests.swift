import Testing
@testable import VramfitCore

@Suite struct RuleTests {
    typealias F = RuleFixtures

    @Test func bf16OnT4WarnsAndFallsBackToFP16() {
        let v = F.rules.evaluate(F.subject(F.bf16, F.t4))
        #expect(v.count == 1)
        #expect(v.first?.level == .warn)
        #expect(v.first?.ruleId == "bf16-needs-sm80")
        #expect(v.first?.reason == "T4 (7.5) has no bfloat16")
        #expect(v.first?.advice == "runs as fp16")
        #expect(F.rules.evaluate(F.subject(F.bf16, F.a100)).isEmpty)
        #expect(F.rules.evaluate(F.subject(F.fp16, F.t4)).isEmpty)
    }

    @Test func fp8WeightsOnA100AreAllowedWithAWarning() {
        let v = F.rules.evaluate(F.subject(F.fp8, F.a100))
        #expect(v.map(\.ruleId) == ["fp8-w8a8-needs-sm89"])
        #expect(v.forbidding == nil)
        #expect(F.rules.evaluate(F.subject(F.fp8, F.h100)).isEmpty)
    }

    @Test func fp8KVCacheForbiddenOnA100ForSGLangOnly() {
        let sglang = Engine(id: "sglang", name: "SGLang", memoryModel: .sglang, version: "t", settings: EngineSettings())
        let bad = F.rules.evaluate(F.subject(F.bf16, F.a100, engine: sglang, kv: "fp8"))
        #expect(bad.forbidding?.ruleId == "fp8-kv-sglang")
        #expect(F.rules.evaluate(F.subject(F.bf16, F.h100, engine: sglang, kv: "fp8")).forbidding == nil)
        #expect(F.rules.evaluate(F.subject(F.bf16, F.a100, engine: sglang, kv: "fp16")).forbidding == nil)
    }

    @Test func tp3OnEightKVHeadsIsForbidden() {
        let v = F.rules.evaluate(F.subject(F.bf16, F.a100, tp: 3))
        #expect(v.forbidding?.ruleId == "tp-divides-kv-heads")
        #expect(v.forbidding?.reason == "TP 3 does not split 8 KV heads")
        // 32 heads are not divisible by 3 either: both rules fire, both forbid.
        #expect(Set(v.map(\.ruleId)) == ["tp-divides-kv-heads", "tp-divides-attention-heads"])
    }

    @Test(arguments: [(Int64(2), true), (4, true), (8, true), (16, true), (6, false), (12, false)])
    func kvHeadsSplitOrReplicate(tp: Int64, ok: Bool) {
        // 8 KV heads: TP 16 replicates each head twice (vLLM), TP 12 neither splits nor replicates.
        #expect(RuleCheck.tpDividesKVHeads.holds(F.subject(F.bf16, F.a100, model: Fixtures.llama31_405b, tp: tp)) == ok)
    }

    @Test func tensorParallelAcrossNodesIsForbidden() {
        let across = F.rules.evaluate(F.subject(F.bf16, F.h100, tp: 16, pp: 1, nodes: 2, perNode: 8))
        #expect(across.forbidding?.ruleId == "tp-within-node")
        let inside = F.rules.evaluate(F.subject(F.bf16, F.h100, tp: 8, pp: 2, nodes: 2, perNode: 8))
        #expect(inside.forbidding == nil)
    }

    @Test func conditionListsAreOrAndFieldsAreAnd() {
        let c = RuleCondition(engines: ["llama.cpp", "vllm"], schemeFamilies: ["float"])
        #expect(c.matches(F.subject(F.bf16, F.a100)))
        #expect(!c.matches(F.subject(F.fp8, F.a100)))
        #expect(!c.matches(F.subject(F.bf16, F.a100, engine: Fixtures.transformers)))
        // An engine condition also matches the memory model's name.
        #expect(RuleCondition(engines: ["VLLM"]).matches(F.subject(F.bf16, F.a100)))
    }

    @Test func gpusWithoutComputeCapabilityNeverMatchCCBounds() {
        var apple = F.a100
        apple.computeCapability = nil
        #expect(!RuleCondition(gpuCCBelow: 89).matches(F.subject(F.fp8, apple)))
        #expect(!RuleCondition(gpuCCAtLeast: 10).matches(F.subject(F.fp8, apple)))
    }

    @Test func schemeFamilies() {
        #expect(RuleSubject.family(of: F.fp8) == "fp8")
        #expect(RuleSubject.family(of: F.q4) == "gguf")
        #expect(RuleSubject.family(of: F.bf16) == "float")
    }

    @Test func verdictsAreMostSevereFirst() {
        let rules = [F.fp8Marlin, Rule(id: "x", level: .forbid, reason: "always", source: ["t"])]
        #expect(rules.evaluate(F.subject(F.fp8, F.a100)).map(\.ruleId) == ["x", "fp8-w8a8-needs-sm89"])
    }

    @Test func catalogMergeReplacesRulesById() {
        var c = Catalog()
        c.rules = [F.bf16OnOldGPU, F.tpKV]
        var user = Catalog()
        user.rules = [Rule(id: "BF16-needs-sm80", level: .forbid, reason: "mine", source: ["me"]), F.tpNode]
        c.merge(user)
        #expect(c.rules.map(\.id) == ["BF16-needs-sm80", "tp-divides-kv-heads", "tp-within-node"])
        #expect(c.rules[0].level == .forbid)
    }
}
