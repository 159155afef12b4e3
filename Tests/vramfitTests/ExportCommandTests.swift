import Foundation
import Testing

/// `vramfit export` as a user runs it: the JSON contract, agreement with `estimate`, refusals
/// exiting 2, and --write.
@Suite struct ExportCommandTests {
    @Test func jsonCarriesTheEstimatesFigures() throws {
        let args = ["-m", "qwen2.5-7b", "-g", "rtx-4090", "-q", "awq", "-c", "16k", "-b", "4", "--gpu-memory-utilization", "0.85"]
        let r = try CLI.run(["export", "--to", "vllm"] + args + ["--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(obj["engine"] as? String == "vllm")
        let argv = try #require(obj["command"] as? [String])
        #expect(Array(argv.prefix(2)) == ["vllm", "serve"])
        func flag(_ f: String) -> String? { argv.firstIndex(of: f).map { argv[$0 + 1] } }
        // The same options through estimate give the context and batch the flags carry.
        let e = try CLI.run(["estimate"] + args + ["--engine", "vllm", "--json"])
        let est = try #require(try JSONSerialization.jsonObject(with: Data(e.stdout.utf8)) as? [String: Any])
        #expect(flag("--max-model-len") == "\(est["context"] as! Int)")
        #expect(flag("--max-num-seqs") == "\(est["batch"] as! Int)")
        #expect(flag("--gpu-memory-utilization") == "0.85")
        #expect(flag("--dtype") == "float16")
        let files = try #require(obj["files"] as? [String: String])
        #expect(files["docker-compose.yaml"]?.contains("vllm/vllm-openai:") == true)
        #expect((obj["notes"] as? [String])?.isEmpty == false)
    }

    @Test func refusalsExit2() throws {
        let gguf = try CLI.run(["export", "--to", "vllm", "-m", "llama-3.1-8b", "-g", "rtx-4090", "-q", "q4_k_m"])
        #expect(gguf.status == 2)
        #expect(gguf.stderr.contains("cannot export to vllm"))
        let bnb = try CLI.run(["export", "--to", "llama.cpp", "-m", "llama-3.1-8b", "-g", "rtx-4090", "-q", "bnb-nf4"])
        #expect(bnb.status == 2)
        let mismatch = try CLI.run(["export", "--to", "sglang", "--engine", "vllm", "-m", "llama-3.1-8b", "-g", "h100-sxm"])
        #expect(mismatch.status == 2)
        #expect(mismatch.stderr.contains("--engine sglang"))
        let unknown = try CLI.run(["export", "--to", "tensorrt", "-m", "llama-3.1-8b", "-g", "h100-sxm"])
        #expect(unknown.status == 2)
    }

    @Test func writesFilesIntoTheFolder() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try CLI.run(["export", "--to", "ollama", "-m", "llama-3.1-8b", "-g", "rtx-4090", "-q", "q4_k_m", "-c", "8192",
                             "-b", "2", "--write", dir.path])
        #expect(r.status == 0, "\(r.stderr)")
        let modelfile = try String(contentsOf: dir.appendingPathComponent("Modelfile"), encoding: .utf8)
        #expect(modelfile.contains("PARAMETER num_ctx 8192"))
        let env = try String(contentsOf: dir.appendingPathComponent("ollama.env"), encoding: .utf8)
        #expect(env.contains("OLLAMA_NUM_PARALLEL=2"))
        #expect(r.stdout.contains("ollama create"))
    }
}

/// Planning, nodes, Kubernetes and CPU offload through the CLI.
@Suite struct ExportPlanningCommandTests {
    func json(_ r: CLIResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    }

    /// The issue's headline: only the model and the GPUs given; what launches is a config that fits.
    @Test func unpinnedAndTooBigIsPlanned() throws {
        let r = try CLI.run(["export", "--to", "vllm", "--model", "Qwen/Qwen2.5-72B-Instruct", "--gpu", "a100-40gb", "--gpus", "2", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let obj = try json(r)
        let argv = try #require(obj["command"] as? [String])
        #expect(Array(argv.prefix(3)) == ["vllm", "serve", "Qwen/Qwen2.5-72B-Instruct-AWQ"])
        #expect(argv.firstIndex(of: "--tensor-parallel-size").map { argv[$0 + 1] } == "2")
        let notes = try #require(obj["notes"] as? [String])
        #expect(notes.contains { $0.hasPrefix("chosen by the planner") })
        #expect(!notes.contains { $0.hasPrefix("warning") })
    }

    @Test func kubernetesAcrossNodes() throws {
        let r = try CLI.run(["export", "--to", "k8s", "-m", "llama-3.1-405b", "-g", "h100-sxm", "--gpus", "8", "-q", "bf16", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let files = try #require(try json(r)["files"] as? [String: String])
        let lws = try #require(files["vllm-lws.yaml"])
        #expect(lws.contains("kind: LeaderWorkerSet") && lws.contains("--pipeline-parallel-size 2") && lws.contains("nvidia.com/gpu: \"8\""))
    }

    @Test func planFlagAndNodesForVLLM() throws {
        let r = try CLI.run(["export", "--to", "vllm", "-m", "llama-3.1-405b", "-g", "h100-sxm", "--gpus", "8", "--nodes", "2", "-q", "bf16",
                             "-c", "8k", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let argv = try #require(try json(r)["command"] as? [String])
        func flag(_ f: String) -> String? { argv.firstIndex(of: f).map { argv[$0 + 1] } }
        #expect(flag("--tensor-parallel-size") == "8" && flag("--pipeline-parallel-size") == "2")
        #expect(flag("--distributed-executor-backend") == "ray")
        // --plan picks the best scheme even when the default fits.
        let p = try CLI.run(["export", "--to", "vllm", "-m", "llama-3.1-8b", "-g", "t4", "--plan", "--goal", "fit", "--json"])
        #expect(p.status == 0, "\(p.stderr)")
        #expect((try json(p)["notes"] as? [String])?.contains { $0.hasPrefix("chosen by the planner (goal fit)") } == true)
    }

    @Test func refusalsByRuleAndNodes() throws {
        let tgi = try CLI.run(["export", "--to", "tgi", "-m", "llama-3.1-8b", "-g", "a100-80gb", "-q", "fp8"])
        #expect(tgi.status == 2)
        #expect(tgi.stderr.contains("rule fp8-tgi-needs-sm89"))
        let nodes = try CLI.run(["export", "--to", "llama.cpp", "-m", "llama-3.1-8b", "-g", "rtx-4090", "-q", "q4_k_m", "--nodes", "2"])
        #expect(nodes.status == 2)
        #expect(nodes.stderr.contains("vLLM"))
    }
}
