import Foundation
import Testing

/// `plan --report`, the terminal chart, and the exit code when nothing fits.
@Suite struct PlanReportCommandTests {
    @Test func reportIsWrittenAndSelfContained() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("plan.html")
        let r = try CLI.run(["plan", "-m", "llama-3.1-8b", "-g", "rtx-4090", "--gpus", "2", "-c", "8k", "--report", file.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("report: \(file.path)"))
        let html = try String(contentsOf: file, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<svg") && html.contains("data-part=\"weights\""))
        #expect(html.contains("Ranked candidates"))
        for bad in ["<script", "<link", "src="] { #expect(!html.contains(bad)) }
    }

    @Test func chartIsPlainInAPipeAndCanBeTurnedOff() throws {
        let args = ["plan", "-m", "llama-3.1-8b", "-g", "rtx-4090", "-q", "q4_k_m", "-e", "llama.cpp", "-c", "8k"]
        let r = try CLI.run(args)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("█ weights  ▓ KV cache  ▒ activations  ░ overhead  · free  │ capacity"))
        #expect(!r.stdout.contains("\u{1B}["))
        let off = try CLI.run(args + ["--no-chart"])
        #expect(!off.stdout.contains("▓ KV cache"))
        let est = try CLI.run(["estimate", "-m", "llama-3.1-8b", "-g", "rtx-4090", "-q", "q4_k_m", "-c", "8k", "--no-chart"])
        #expect(!est.stdout.contains("│ capacity"))
    }

    @Test func nothingFitsExitsThreeAndSaysWhy() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("none.html")
        let r = try CLI.run(["plan", "-m", "llama-3.1-405b", "-g", "t4", "-q", "bf16", "-e", "transformers", "--report", file.path])
        #expect(r.status == 3, "\(r.stderr)")
        #expect(r.stdout.contains("Nothing fits"))
        #expect(try String(contentsOf: file, encoding: .utf8).contains("Nothing fits"))
        let j = try CLI.run(["plan", "-m", "llama-3.1-405b", "-g", "t4", "-q", "bf16", "-e", "transformers", "--json"])
        #expect(j.status == 3)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
        #expect((obj["candidates"] as? [Any])?.isEmpty == true)
    }

    /// CPU offload is a plan only when --host-memory says the host holds the rest.
    @Test func offloadWithoutHostMemoryIsNothingFits() throws {
        let args = ["plan", "-m", "mixtral-8x7b", "-g", "rtx-4090", "-q", "q4_k_m", "-e", "llama.cpp"]
        #expect(try CLI.run(args).status == 3)
        #expect(try CLI.run(args + ["--host-memory", "64"]).status == 0)
        #expect(try CLI.run(args + ["--host-memory", "4"]).status == 3)
    }

    /// A scheme the engine does not load: reported with the rule, exit 3 (valid input, no plan).
    @Test func anEngineThatCannotLoadTheSchemeNamesTheRule() throws {
        let r = try CLI.run(["plan", "-m", "llama-3.1-8b", "-g", "rtx-4090", "-q", "q4_k_m", "-e", "vllm"])
        #expect(r.status == 3, "\(r.stderr)")
        #expect(r.stdout.contains("rule engine-loads-scheme — vLLM does not load q4_k_m checkpoints"))
        let j = try CLI.run(["plan", "-m", "llama-3.1-8b", "-g", "rtx-4090", "-q", "q4_k_m", "-e", "vllm", "--json"])
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
        let dropped = try #require(obj["dropped"] as? [[String: Any]])
        #expect(dropped.first?["rule"] as? String == "engine-loads-scheme")
    }

    @Test func unwritableReportIsExitTwo() throws {
        let r = try CLI.run(["plan", "-m", "llama-3.1-8b", "-g", "rtx-4090", "--report", "/nonexistent-dir/x/plan.html"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("cannot write the report"))
    }

    @Test func catalogValidateCountsAndChecksRules() throws {
        let ok = try CLI.run(["catalog", "validate"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.range(of: #"\d+ rules"#, options: .regularExpression) != nil, "\(ok.stdout)")
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("rules.yaml")
        try """
        rules:
          - id: typo-rule
            level: warn
            when: {engine: vllmm}
            reason: "{gpu} is slow"
            source: me
        """.write(to: file, atomically: true, encoding: .utf8)
        let bad = try CLI.run(["catalog", "validate", file.path])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("rule typo-rule: 'engine' names 'vllmm'") && bad.stderr.contains("did you mean 'vllm'"), "\(bad.stderr)")
    }
}
