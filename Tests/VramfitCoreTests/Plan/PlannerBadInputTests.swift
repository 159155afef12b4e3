import Testing
@testable import VramfitCore

/// Plans that cannot exist are reported with the rule that forbids them, not silently empty.
@Suite struct PlannerBadInputTests {
    typealias F = RuleFixtures

    static let loads = Rule(id: "engine-loads-scheme", level: .forbid, check: .engineLoadsScheme,
                            reason: "{engine} does not load {scheme} checkpoints", advice: "run {scheme} with {scheme_engines}", source: ["test"])

    var catalog: Catalog {
        var c = F.catalog
        c.rules.append(Self.loads)
        return c
    }

    @Test func anEngineThatDoesNotLoadTheSchemeIsDroppedByTheRule() throws {
        let p = try Planner.plan(PlanQuery(model: Fixtures.llama31_8b, gpu: F.a100, context: 4096, engine: "vllm", quant: "q4_0"), catalog: catalog)
        #expect(p.candidates.isEmpty)
        let d = try #require(p.dropped.first)
        #expect(d.verdict?.ruleId == "engine-loads-scheme")
        #expect(d.reason == "vLLM does not load q4_0 checkpoints")
        #expect(d.verdict?.advice == "run q4_0 with llama.cpp")
    }

    @Test func withAnyScheme() throws {
        let p = try Planner.plan(PlanQuery(model: Fixtures.llama31_8b, gpu: F.a100, context: 4096, engine: "llama.cpp"), catalog: catalog)
        #expect(p.candidates.map(\.scheme.id) == ["q4_0"])
        // bf16, fp16 and fp8 are not llama.cpp schemes in the fixture catalog.
        #expect(Set(p.dropped.filter { $0.verdict?.ruleId == "engine-loads-scheme" }.map(\.scheme)) == ["bf16", "fp16", "fp8"])
    }

    @Test func theCheckHoldsForListedEngines() {
        let s = RuleSubject(model: Fixtures.llama31_8b, scheme: F.bf16, engine: Fixtures.vllm, gpu: F.a100)
        #expect(RuleCheck.engineLoadsScheme.holds(s))
        let q = RuleSubject(model: Fixtures.llama31_8b, scheme: F.q4, engine: Fixtures.vllm, gpu: F.a100)
        #expect(!RuleCheck.engineLoadsScheme.holds(q))
        #expect(Self.loads.evaluate(q)?.description == "forbid [engine-loads-scheme]: vLLM does not load q4_0 checkpoints — run q4_0 with llama.cpp")
    }
}
