import Foundation
import Testing

@Suite struct PlanCommandTests {
    @Test func humanTableRanksAndExplains() throws {
        let r = try CLI.run(["plan", "--model", "llama-3.1-8b", "--gpu", "t4", "--goal", "quality", "--context", "4096"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("Plan for Llama-3.1-8B"))
        #expect(r.stdout.contains("↳ below:"))
        #expect(r.stdout.contains("#1 in detail:"))
        #expect(r.stdout.contains("fp8-w8a8-needs-sm89"))
    }

    @Test func jsonContract() throws {
        let r = try CLI.run(["plan", "-m", "llama-3.1-8b", "-g", "rtx-4090", "--gpus", "2", "--goal", "throughput", "--json", "--top", "3"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(obj["schema_version"] as? Int == 1)
        #expect(obj["goal"] as? String == "throughput")
        #expect(obj["gpus_per_node"] as? Int == 2)
        let cands = try #require(obj["candidates"] as? [[String: Any]])
        #expect(cands.count == 3)
        #expect(cands.map { $0["rank"] as? Int } == [1, 2, 3])
        for k in ["quant", "engine"] { #expect(cands[0][k] is String, "\(k)") }
        for k in ["tensor_parallel", "pipeline_parallel", "nodes", "gpus", "quality_rank", "total_bytes", "headroom_bytes", "max_context"] {
            #expect(cands[0][k] is Int, "\(k)")
        }
        #expect(cands[0]["lost_because"] is NSNull || cands[0]["lost_because"] == nil)
        #expect(cands[1]["lost_because"] is String)
        let speeds = cands.compactMap { $0["decode_tokens_per_second"] as? Double }
        #expect(speeds.count == 3 && speeds[0] >= speeds[1] * 0.99)
        #expect((cands[0]["estimate"] as? [String: Any])?["fits"] as? Bool == true)
        #expect(obj["dropped"] is [[String: Any]])
    }

    @Test func multiNodeSaysHowManyNodes() throws {
        let r = try CLI.run(["plan", "-m", "llama-3.1-405b", "-g", "h100-sxm", "--gpus", "8", "-q", "bf16", "-e", "vllm", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect((obj["nodes"] as? Int ?? 0) >= 2)
        #expect((obj["notes"] as? [String])?.contains { $0.contains("nodes") } == true)
    }

    @Test(arguments: [
        ["--model", "nope-7b", "--gpu", "t4"], ["--model", "llama-3.1-8b", "--gpu", "t4", "--goal", "speed"],
        ["--model", "llama-3.1-8b", "--gpu", "t4", "--gpus", "0"], ["--model", "llama-3.1-8b", "--gpu", "t4", "--engine", "vlm"],
        ["--model", "llama-3.1-8b", "--gpu", "t4", "--quant", "q9"],
    ])
    func badInputExitsTwo(_ args: [String]) throws {
        let r = try CLI.run(["plan"] + args)
        #expect(r.status == 2, "\(args): \(r.status) \(r.stderr)")
        #expect(!r.stderr.isEmpty)
    }
}

@Suite struct PlanDeviceMapCommandTests {
    @Test func mixedGPUsGetAnUnevenSplit() throws {
        let r = try CLI.run(["plan", "-m", "llama-3.1-8b", "-g", "rtx-3090", "--with", "rtx-3060", "-e", "transformers", "-q", "bf16", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let map = try #require(obj["device_map"] as? [String: Any])
        let devices = try #require(map["devices"] as? [[String: Any]])
        #expect(devices.map { $0["gpu"] as? String } == ["rtx-3090", "rtx-3060"])
        let layers = devices.compactMap { $0["layers"] as? Int }
        #expect(layers.count == 2 && layers[0] > layers[1] && layers.reduce(0, +) == 32)
        #expect((map["accelerate_device_map"] as? String)?.contains("\"lm_head\": 1") == true)
    }

    @Test func moeOffloadShowsOverrideTensor() throws {
        let r = try CLI.run(["plan", "-m", "mixtral-8x7b", "-g", "rtx-4090", "-q", "q4_k_m", "-e", "llama.cpp", "--host-memory", "64"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("--override-tensor"))
        #expect(r.stdout.contains("ffn_.*_exps"))
        #expect(r.stdout.contains("cpu-offload-offline-only"))
    }
}
