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
