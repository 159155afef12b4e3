import Testing
import VramfitCore
@testable import VramfitCatalog

/// `rules:` decoding (with located errors) and the built-in rules applied to built-in GPUs.
@Suite struct RuleCatalogTests {
    static let catalog: Catalog = (try? CatalogLoader.builtIn()) ?? Catalog()

    @Test func decodesConditionsChecksAndSources() throws {
        let yaml = """
            rules:
              - id: my-rule
                level: warn
                when: {engine: [vllm, sglang], scheme_family: fp8, gpu_cc_below: "8.9", tensor_parallel_above: 1, moe: true}
                check: tp_divides_kv_heads
                reason: "{gpu} is {cc}"
                advice: do something else
                source: my notes
            """
        let c = try CatalogDecoder.decode(yaml, file: "r.yaml")
        let r = try #require(c.rules.first)
        #expect(r.id == "my-rule" && r.level == .warn && r.check == .tpDividesKVHeads)
        #expect(r.when.engines == ["vllm", "sglang"] && r.when.schemeFamilies == ["fp8"])
        #expect(r.when.gpuCCBelow == 89 && r.when.tensorParallelAbove == 1 && r.when.moe == true)
        #expect(r.when.gpuCCAtLeast == nil && r.when.kvCaches == nil)
        #expect(r.advice == "do something else" && r.source == ["my notes"])
    }

    @Test(arguments: [
        ("level: block", "unknown level 'block'", 3),
        ("check: tp_divides_everything", "unknown check", 4),
        ("when: {gpu_cc_below: 89}", "must look like", 4),
        ("when: {enigne: vllm}", "did you mean 'engine'", 4),
        ("when: {gpu_lacks: tensor}", "unknown feature 'tensor'", 4),
    ])
    func badRulesAreLocated(_ line: String, _ message: String, _ lineNumber: Int) throws {
        var lines = ["rules:", "  - id: r", "    level: warn", "    reason: x", "    source: s"]
        if line.hasPrefix("level") { lines[2] = "    " + line } else { lines.insert("    " + line, at: 3) }
        do {
            _ = try CatalogDecoder.decode(lines.joined(separator: "\n"), file: "bad.yaml")
            Issue.record("expected an error for \(line)")
        } catch let e as CatalogError {
            #expect(e.message.contains(message), "\(e)")
            #expect(e.line == lineNumber, "\(e)")
        }
    }

    @Test func ruleWithoutSourceIsRejected() {
        #expect(throws: CatalogError.self) {
            try CatalogDecoder.decode("rules:\n  - id: r\n    level: warn\n    reason: x\n", file: "r.yaml")
        }
    }

    @Test func builtInRulesHaveReasonsAndSources() {
        #expect(Self.catalog.rules.count >= 15)
        for r in Self.catalog.rules {
            #expect(!r.reason.isEmpty && !r.source.isEmpty, "\(r.id)")
        }
    }

    func subject(_ model: String, _ scheme: String, _ engine: String, _ gpu: String, tp: Int64 = 1, kv: String = "auto") throws -> RuleSubject {
        let c = Self.catalog
        return RuleSubject(model: try c.model(model).value, scheme: try c.scheme(scheme).value, engine: try c.engine(engine).value,
                           gpu: try c.gpu(gpu).value, kvCache: kv, tensorParallel: tp)
    }

    @Test func builtInBF16OnT4WarnsFP16Fallback() throws {
        let v = Self.catalog.rules.evaluate(try subject("llama-3.1-8b", "bf16", "vllm", "t4"))
        #expect(v.first?.ruleId == "bf16-needs-sm80")
        #expect(v.first?.level == .warn)
        #expect(v.first?.advice?.contains("fp16") == true)
        #expect(Self.catalog.rules.evaluate(try subject("llama-3.1-8b", "bf16", "vllm", "v100-32gb")).first?.ruleId == "bf16-needs-sm80")
        #expect(Self.catalog.rules.evaluate(try subject("llama-3.1-8b", "bf16", "vllm", "a100-80gb")).isEmpty)
    }

    @Test func builtInFP8OnA100IsMarlinWarningNotForbid() throws {
        let v = Self.catalog.rules.evaluate(try subject("llama-3.1-8b", "fp8", "vllm", "a100-80gb"))
        #expect(v.map(\.ruleId).contains("fp8-w8a8-needs-sm89"))
        #expect(v.forbidding == nil)
        #expect(Self.catalog.rules.evaluate(try subject("llama-3.1-8b", "fp8", "vllm", "h100-sxm")).isEmpty)
        #expect(Self.catalog.rules.evaluate(try subject("llama-3.1-8b", "fp8", "vllm", "v100-32gb")).forbidding?.ruleId == "fp8-needs-sm75")
        #expect(Self.catalog.rules.evaluate(try subject("llama-3.1-8b", "fp8", "transformers", "a100-80gb")).forbidding != nil)
    }

    @Test func builtInFP8KVCacheOnA100() throws {
        let vllm = Self.catalog.rules.evaluate(try subject("llama-3.1-8b", "bf16", "vllm", "a100-80gb", kv: "fp8"))
        #expect(vllm.forbidding == nil)
        #expect(vllm.contains { $0.ruleId == "fp8-kv-cache-storage-only" && $0.level == .allow })
        let sglang = Self.catalog.rules.evaluate(try subject("llama-3.1-8b", "bf16", "sglang", "a100-80gb", kv: "fp8"))
        #expect(sglang.forbidding?.ruleId == "fp8-kv-cache-needs-sm89-sglang")
    }

    @Test func builtInTP3OnEightKVHeadsForbidden() throws {
        let v = Self.catalog.rules.evaluate(try subject("llama-3.1-8b", "bf16", "vllm", "a100-80gb", tp: 3))
        #expect(v.forbidding != nil)
        #expect(v.contains { $0.ruleId == "tp-divides-kv-heads" && $0.reason.contains("8 KV heads") })
    }

    @Test func builtInAWQOnV100ForbiddenGPTQAllowed() throws {
        #expect(Self.catalog.rules.evaluate(try subject("qwen2.5-7b", "awq", "vllm", "v100-32gb")).forbidding?.ruleId == "awq-needs-sm75")
        let gptq = Self.catalog.rules.evaluate(try subject("qwen2.5-7b", "gptq-int4", "vllm", "v100-32gb"))
        #expect(gptq.forbidding == nil)
        #expect(gptq.contains { $0.ruleId == "marlin-needs-sm80" })
    }

    @Test func userRuleOverridesBuiltInById() throws {
        var c = Self.catalog
        c.merge(try CatalogDecoder.decode("""
            rules:
              - id: bf16-needs-sm80
                level: forbid
                when: {scheme: bf16, gpu_lacks: bf16}
                reason: no bf16 here
                source: house policy
            """, file: "mine.yaml"))
        #expect(c.rules.count == Self.catalog.rules.count)
        let s = try subject("llama-3.1-8b", "bf16", "vllm", "t4")
        #expect(c.rules.evaluate(s).forbidding?.reason == "no bf16 here")
    }
}
