import Foundation
import Testing

@Suite struct EstimateCommandTests {
    /// The `--json` contract: every documented key is present with the documented type.
    @Test func jsonHasEveryContractKey() throws {
        let r = try CLI.run(["estimate", "--model", "qwen2.5-7b", "--gpu", "rtx-4090", "--quant", "awq", "--context", "8192", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let ints = ["gpus", "tensor_parallel", "pipeline_parallel", "context", "batch", "weights_bytes", "kv_cache_bytes",
                    "activation_bytes", "output_bytes", "overhead_bytes", "total_bytes", "total_low_bytes", "total_high_bytes",
                    "capacity_bytes", "headroom_bytes", "max_context", "max_batch"]
        for k in ints { #expect(obj[k] is Int, "\(k) should be an integer") }
        for k in ["model", "quant", "engine", "gpu"] { #expect(obj[k] is String, "\(k)") }
        #expect(obj["fits"] is Bool)
        #expect(obj.keys.contains("kv_cache_tokens") && obj.keys.contains("max_concurrency"))
        #expect(obj["notes"] is [String])
        let devices = try #require(obj["devices"] as? [[String: Any]])
        #expect(!devices.isEmpty)
        for k in ["device", "weights_bytes", "kv_cache_bytes", "activation_bytes", "output_bytes", "overhead_bytes", "total_bytes", "capacity_bytes"] {
            #expect(devices[0].keys.contains(k), "devices[].\(k)")
        }
        let comps = try #require(obj["components"] as? [[String: Any]])
        #expect(comps.allSatisfy { $0["name"] is String && $0["bytes"] is Int && $0["device"] is String })
        // Top-level figures are sums over the accelerators.
        let sum = devices.filter { ($0["is_accelerator"] as? Bool) ?? true }.reduce(0) { $0 + ($1["total_bytes"] as! Int) }
        #expect(sum == obj["total_bytes"] as! Int)
        #expect(obj["model"] as? String == "qwen2.5-7b-instruct")
        #expect(obj["engine"] as? String == "vllm")
    }

    @Test func worksFromAnyDirectory() throws {
        let r = try CLI.run(["estimate", "-m", "qwen2.5-7b", "-g", "4090", "-q", "awq", "-c", "4096"], cwd: "/")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("fits"))
        #expect(r.stdout.contains("GiB"))
    }

    /// The catalogs are compiled in: a copy of the binary elsewhere still answers.
    @Test func worksAfterBeingCopiedElsewhere() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let copy = dir.appendingPathComponent("vramfit")
        try FileManager.default.copyItem(at: CLI.binary, to: copy)
        let p = Process()
        p.executableURL = copy
        p.arguments = ["estimate", "-m", "llama-3.1-8b", "-g", "h100", "--json"]
        p.currentDirectoryURL = dir
        let out = Pipe()
        p.standardOutput = out
        p.standardError = Pipe()
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(String(decoding: data, as: UTF8.self).contains("\"model\" : \"llama-3.1-8b\""))
    }

    @Test func unknownModelSuggests() throws {
        let r = try CLI.run(["estimate", "--model", "qwen2.5-7bb", "--gpu", "rtx-4090"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("did you mean"))
        #expect(r.stderr.contains("qwen2.5-7b-instruct"))
        #expect(r.stdout.isEmpty)
    }

    @Test func unknownGPUSuggests() throws {
        let r = try CLI.run(["estimate", "--model", "qwen2.5-7b", "--gpu", "rtx-4009"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("rtx-4090"))
    }

    @Test(arguments: [
        ["--context", "0"], ["--batch", "-1"], ["--gpu-memory-utilization", "1.5"], ["--context", "abc"],
        ["--gpus", "3", "--tensor-parallel", "2", "--pipeline-parallel", "2"], ["--kv-cache-dtype", "fp3"], ["--bogus"],
    ])
    func invalidValuesExitTwo(_ extra: [String]) throws {
        let r = try CLI.run(["estimate", "--model", "qwen2.5-7b", "--gpu", "rtx-4090"] + extra)
        #expect(r.status == 2, "\(extra): status \(r.status), stderr \(r.stderr)")
        #expect(!r.stderr.isEmpty)
    }

    /// `--check` turns "does not fit" into exit 1 for scripts; the answer is still printed.
    @Test func checkExitsOneWhenItDoesNotFit() throws {
        let r = try CLI.run(["estimate", "--model", "qwen2.5-7b", "--gpu", "rtx-4090", "--quant", "fp16", "-c", "32768", "--batch", "64", "-e", "transformers", "--check"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stdout.contains("does not fit"))
        let ok = try CLI.run(["estimate", "--model", "qwen2.5-7b", "--gpu", "rtx-4090", "--quant", "awq", "-c", "4096", "--check"])
        #expect(ok.status == 0)
    }

    /// Huge inputs give an answer, not a crash.
    @Test func hugeInputsDoNotCrash() throws {
        let r = try CLI.run(["estimate", "--model", "qwen2.5-7b", "--gpu", "rtx-4090", "-c", "1m", "--batch", "1024", "-e", "transformers", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("\"fits\" : false"))
    }
}
