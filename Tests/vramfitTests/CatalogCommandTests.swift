import Foundation
import Testing

@Suite struct CatalogCommandTests {
    @Test func malformedYAMLGivesFileLineColumn() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("bad.yaml")
        try "models:\n  - id: x\n    hidden_size: [1, 2\n".write(to: file, atomically: true, encoding: .utf8)
        let r = try CLI.run(["estimate", "-m", "x", "-g", "4090", "--catalog", dir.path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("bad.yaml:"), "\(r.stderr)")
        #expect(r.stderr.range(of: #"bad\.yaml:\d+:\d+: error"#, options: .regularExpression) != nil, "\(r.stderr)")
    }

    @Test func wrongTypeIsLocated() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("m.yaml")
        try """
        models:
          - id: tiny
            vocab_size: 1000
            hidden_size: sixty-four
        """.write(to: file, atomically: true, encoding: .utf8)
        let r = try CLI.run(["catalog", "validate", file.path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("m.yaml:4:"), "\(r.stderr)")
        #expect(r.stderr.contains("hidden_size"))
    }

    /// A user catalog adds a model and overrides a built-in GPU by id; the environment variable works too.
    @Test func userCatalogExtendsAndOverrides() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try """
        models:
          - id: tiny-test-model
            vocab_size: 32000
            hidden_size: 1024
            intermediate_size: 2816
            num_hidden_layers: 8
            num_attention_heads: 16
            num_key_value_heads: 4
            max_context: 4096
            published_params: 170000000
            source: [test fixture]
        gpus:
          - id: rtx-4090
            name: My modded 4090
            memory_gib: 48
            bandwidth_gbps: 1008
            compute_capability: "8.9"
            bf16: true
            fp8: true
            source: [test fixture]
        """.write(to: dir.appendingPathComponent("mine.yaml"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["estimate", "-m", "tiny-test-model", "-g", "rtx-4090", "-e", "transformers", "--catalog", dir.path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\"capacity_bytes\" : \(48 << 30)"))
        let e = try CLI.run(["estimate", "-m", "tiny-test-model", "-g", "rtx-4090", "-e", "transformers", "--json"], env: ["VRAMFIT_CATALOG_PATH": dir.path])
        #expect(e.status == 0, "\(e.stderr)")
    }

    @Test func builtInCatalogValidates() throws {
        let r = try CLI.run(["catalog", "validate"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("ok"))
    }

    @Test func listAndShow() throws {
        let l = try CLI.run(["catalog", "list", "gpus"])
        #expect(l.status == 0)
        #expect(l.stdout.contains("rtx-4090"))
        let s = try CLI.run(["catalog", "show", "Qwen/Qwen2.5-7B-Instruct"])
        #expect(s.status == 0)
        #expect(s.stdout.contains("7615616512"))
        let u = try CLI.run(["catalog", "show", "qwen2.5-7bx"])
        #expect(u.status == 2)
        #expect(u.stderr.contains("did you mean"))
    }

    /// Impossible architecture values and typos are caught with their position.
    @Test(arguments: [
        ("hidden_size: 1000\n    num_attention_heads: 7", "does not divide", 7),
        ("hidden_size: 1024\n    num_attention_heads: 16\n    num_key_value_heads: 5", "must divide", 8),
        ("hidden_size: 1024\n    num_attention_heads: 16\n    hiden_size: 3", "did you mean 'hidden_size'", 8),
        ("hidden_size: 1024\n    hidden_size: 2048\n    num_attention_heads: 16", "duplicate key", 0),
        ("hidden_size: -1024\n    num_attention_heads: 16", "must be positive", 6),
    ])
    func impossibleValuesAreLocated(_ body: String, _ message: String, _ line: Int) throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("m.yaml")
        try """
        models:
          - id: tiny
            vocab_size: 1000
            intermediate_size: 2816
            num_hidden_layers: 2
            \(body)
            max_context: 4096
            published_params: 1000
            source: [test]
        """.write(to: file, atomically: true, encoding: .utf8)
        let r = try CLI.run(["catalog", "validate", file.path])
        #expect(r.status == 2)
        #expect(r.stderr.contains(message), "\(r.stderr)")
        if line > 0 { #expect(r.stderr.contains("m.yaml:\(line):"), "\(r.stderr)") }
    }

    @Test func unknownEngineVersionExitsTwo() throws {
        let r = try CLI.run(["estimate", "-m", "llama-3.1-8b", "-g", "h100", "--engine-version", "v9"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("v0"), "\(r.stderr)")
    }
}
