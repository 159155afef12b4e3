import Testing
@testable import VramfitCore

/// `catalog validate`'s rule checks: names that exist nowhere, bounds that exclude each other,
/// placeholders nothing fills, a forbid rule with no condition.
@Suite struct RuleChecksTests {
    typealias F = RuleFixtures

    func problems(_ r: Rule) -> [String] { CatalogChecks.ruleProblems([r], reference: F.catalog) }

    @Test func fixtureRulesAreClean() {
        #expect(CatalogChecks.ruleProblems(F.rules, reference: F.catalog).isEmpty)
    }

    @Test func unknownNamesNeverFire() {
        let r = Rule(id: "r", level: .warn, when: RuleCondition(engines: ["vllmm"], schemes: ["bf61"], kvCaches: ["fp9"], gpuKinds: ["tpu"]),
                     reason: "x", source: ["s"])
        let p = problems(r)
        #expect(p.count == 4)
        #expect(p.contains { $0.contains("'vllmm'") && $0.contains("did you mean 'vllm'") })
        #expect(p.contains { $0.contains("'bf61'") })
        #expect(p.contains { $0.contains("'fp9'") })
        #expect(p.contains { $0.contains("'tpu'") })
        // Engine memory models and families are valid names too.
        #expect(problems(Rule(id: "ok", level: .warn, when: RuleCondition(engines: ["llama.cpp"], schemeFamilies: ["gguf", "bnb"]),
                              reason: "x", source: ["s"])).isEmpty)
    }

    @Test func excludingBoundsPlaceholdersAndForbidEverything() {
        #expect(problems(Rule(id: "b", level: .warn, when: RuleCondition(gpuCCBelow: 80, gpuCCAtLeast: 89), reason: "x", source: ["s"]))
            .first?.contains("can never fire") == true)
        #expect(problems(Rule(id: "p", level: .warn, reason: "{gpu} and {colour}", advice: "{tp}", source: ["s"]))
            == ["rule p: unknown placeholder {colour} (known: cc, engine, experts, gpu, heads, kv_cache, kv_heads, model, nodes, pp, scheme, scheme_engines, tp)"])
        #expect(problems(Rule(id: "all", level: .forbid, reason: "x", source: ["s"])).first?.contains("forbids every configuration") == true)
        // A forbid with only a check is fine: the check limits it.
        #expect(problems(Rule(id: "c", level: .forbid, check: .engineLoadsScheme, reason: "x", source: ["s"])).isEmpty)
    }

    @Test func placeholderScanner() {
        #expect(CatalogChecks.placeholders(in: "{gpu} is {cc}; {not a placeholder} {kv_heads}") == ["gpu", "cc", "kv_heads"])
    }
}
