import Foundation
import Testing

/// `vramfit sweep` run as a user runs it: filters, both pivots, the JSON contract, exit codes.
@Suite struct SweepCommandTests {
    @Test func whatFitsOnA4090() throws {
        let r = try CLI.run(["sweep", "--gpu", "rtx-4090", "--model", "llama-3.1-8b,llama-3.1-405b", "--context", "4k,128k"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("NVIDIA GeForce RTX 4090 (rtx-4090, 23.64 GiB usable each)"))
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let header = try #require(lines.first { $0.hasPrefix("  model") })
        #expect(header.contains("4k") && header.contains("128k"))
        // 8B: bf16 fits a 24 GB card at 4k; the 405B fits nowhere on one.
        let small = try #require(lines.first { $0.hasPrefix("  llama-3.1-8b ") })
        #expect(small.contains("bf16 · vllm"))
        let big = try #require(lines.first { $0.hasPrefix("  llama-3.1-405b ") })
        #expect(big.components(separatedBy: "✘").count == 3)
        #expect(r.stdout.contains("models that fit: 1 of 2 at 4k"))
        #expect(!r.stdout.contains("\u{1B}["))
    }

    @Test func bySchemeShowsTheLargestContext() throws {
        let r = try CLI.run(["sweep", "-g", "t4", "-m", "llama-3.1-8b", "-q", "bf16,q4_k_m,fp8", "-e", "all", "-c", "4k,32k", "--by", "scheme"])
        #expect(r.status == 0, "\(r.stderr)")
        let row = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("  llama-3.1-8b") })
        let cells = row.split(separator: " ", omittingEmptySubsequences: true).dropFirst().map(String.init)
        // bf16: 16 GB of weights on a 15 GiB T4 → ✘; q4_k_m fits at 32k; fp8 runs on vLLM/SGLang (Marlin) but TGI's is forbidden — some engine fits.
        #expect(cells.count == 3)
        #expect(cells[0] == "✘")
        #expect(cells[1] == "32k")
        #expect(cells[2] != "✘" && cells[2] != "⊘")
    }

    @Test func jsonCellsAreTheEstimate() throws {
        let r = try CLI.run(["sweep", "-g", "rtx-4090", "-m", "qwen2.5-7b", "-q", "awq", "-c", "16k", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(obj["schema_version"] as? Int == 1)
        #expect(obj["contexts"] as? [Int] == [16384])
        let cells = try #require(obj["cells"] as? [[String: Any]])
        #expect(cells.count == 1)
        let cell = cells[0]
        for k in ["model", "gpu", "quant", "engine", "engine_version", "status"] { #expect(cell[k] is String, "\(k)") }
        for k in ["context", "gpus", "tensor_parallel", "pipeline_parallel", "weights_bytes", "kv_cache_bytes", "total_bytes", "capacity_bytes", "headroom_bytes"] {
            #expect(cell[k] is Int, "\(k)")
        }
        // The same configuration through `estimate --json`: identical bytes and verdict.
        let e = try CLI.run(["estimate", "-m", "qwen2.5-7b", "-g", "rtx-4090", "-q", "awq", "-c", "16k", "--json"])
        let est = try #require(try JSONSerialization.jsonObject(with: Data(e.stdout.utf8)) as? [String: Any])
        for k in ["weights_bytes", "kv_cache_bytes", "activation_bytes", "overhead_bytes", "total_bytes", "capacity_bytes", "headroom_bytes", "kv_cache_tokens"] {
            #expect(cell[k] as? Int == est[k] as? Int, "\(k)")
        }
        #expect(cell["fits"] as? Bool == est["fits"] as? Bool)
        #expect(cell["engine"] as? String == est["engine"] as? String)
        let best = try #require(obj["best"] as? [[String: Any]])
        #expect(best.first?["quant"] as? String == "awq")
    }

    @Test func nothingFitsExitsThree() throws {
        let r = try CLI.run(["sweep", "-g", "t4", "-m", "llama-3.1-405b", "-q", "bf16"])
        #expect(r.status == 3, "\(r.stderr)")
        #expect(r.stdout.contains("✘"))
        let j = try CLI.run(["sweep", "-g", "t4", "-m", "llama-3.1-405b", "-q", "bf16", "--json", "--fits-only"])
        #expect(j.status == 3)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(j.stdout.utf8)) as? [String: Any])
        #expect((obj["cells"] as? [Any])?.isEmpty == true)
    }

    @Test func partOfAnIdSelectsAFamily() throws {
        let r = try CLI.run(["sweep", "-g", "h100-sxm", "-m", "qwen2.5", "-q", "bf16", "-c", "4k", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let models = try #require(obj["models"] as? [String])
        #expect(models.count >= 5 && models.allSatisfy { $0.hasPrefix("qwen2.5") })
    }

    @Test(arguments: [
        ["--gpu", "rtx-4900"], ["--model", "nope-7b"], ["--quant", "q9"], ["--engine", "vlm"], ["--context", "0"],
        ["--context", "lots"], ["--gpus", "0"], ["--concurrency", "0"], ["--by", "gpu"],
    ])
    func badInputExitsTwo(_ args: [String]) throws {
        let r = try CLI.run(["sweep"] + args)
        #expect(r.status == 2, "\(args): \(r.status) \(r.stderr)")
        #expect(!r.stderr.isEmpty)
    }

    @Test func unknownGPUSuggests() throws {
        let r = try CLI.run(["sweep", "--gpu", "rtx-4900"])
        #expect(r.stderr.contains("did you mean"), "\(r.stderr)")
    }
}
