import Testing
@testable import VramfitCore

/// `FlagAudit` reads each launch format the way the engine does. These cases are written by hand
/// with a mistake each, so the audit is shown to catch what it must (the exporters' own output is
/// audited against the built-in tables in VramfitCatalogTests/ExporterFlagTableTests).
@Suite struct FlagAuditTests {
    static let vllm = FlagTable(id: "vllm-serve", program: "vllm serve", version: "0.11", source: ["t"], positionals: 1, flags: [
        .init(name: "--tensor-parallel-size", aliases: ["-tp"], value: .int), .init(name: "--max-model-len", value: .int),
        .init(name: "--kv-cache-dtype", values: ["auto", "fp8"]), .init(name: "--model", value: .text), .init(name: "--port", value: .int),
        .init(name: "--kv-cache-memory-bytes", value: .int),
    ])
    static let script = FlagTable(id: "vllm-multi-node-serving", program: "bash /x/multi-node-serving.sh", version: "0.11", source: ["t"],
                                  positionals: 1, flags: [.init(name: "--ray_cluster_size", value: .text), .init(name: "--ray_address", value: .text)])
    static let k8s = FlagTable(id: "kubernetes", program: "kubectl", version: "1", source: ["t"], flags: [
        .init(name: "Deployment", kind: .key, scope: "apiVersion", values: ["apps/v1"]),
        .init(name: "LWS_GROUP_SIZE", kind: .env, value: .int),
    ])
    static let sglang = FlagTable(id: "sglang-launch-server", program: "python -m sglang.launch_server", version: "0.5", source: ["t"],
                                  flags: [.init(name: "--tp-size", value: .int), .init(name: "--model-path", value: .text)])
    static let ollama = FlagTable(id: "ollama", program: "Modelfile", version: "0.12", source: ["t"], flags: [
        .init(name: "FROM", kind: .instruction, value: .text), .init(name: "PARAMETER", kind: .instruction, value: .text),
        .init(name: "num_ctx", kind: .key, scope: "PARAMETER", value: .int),
        .init(name: "OLLAMA_KV_CACHE_TYPE", kind: .env, values: ["f16", "q8_0"]),
    ])
    static let transformers = FlagTable(id: "transformers", program: "python", version: "5", source: ["t"], flags: [
        .init(name: "AutoModelForCausalLM", kind: .instruction, value: .text), .init(name: "BitsAndBytesConfig", kind: .instruction, value: .text),
        .init(name: "dtype", kind: .key, scope: "from_pretrained", value: .text),
        .init(name: "quantization_config", kind: .key, scope: "from_pretrained", value: .text),
        .init(name: "load_in_4bit", kind: .key, scope: "BitsAndBytesConfig", values: ["True", "False"]),
    ])
    static let tables = [vllm, script, k8s, sglang, ollama, transformers]

    func problems(_ c: LaunchConfig) throws -> [String] { try FlagAudit.problems(in: c, tables: Self.tables).map(\.token) }

    @Test func vllmCommandConfigAndCompose() throws {
        let c = LaunchConfig(target: .vllm, command: ["vllm", "serve", "m", "--tp", "2", "--max-model-len", "32k"], files: [
            .init("vllm-config.yaml", "model: m\ntensor-parallel-size: 2\nkv-cache-dtype: fp16\n# kv-cache-memory: 123\n"),
            .init("docker-compose.yaml", "services:\n  vllm:\n    command:\n      - \"--model\"\n      - \"m\"\n      - \"--max-num-seqs\"\n      - \"4\"\n    deploy:\n"),
        ])
        // --tp is not a spelling of vLLM's (an argparse prefix at best), 32k is not an int,
        // fp16 is not a cache dtype, --kv-cache-memory is the prefix of the real name, --max-num-seqs is missing from this table.
        let pc = try problems(c)
        #expect(pc == ["--tp", "--max-model-len 32k", "--kv-cache-dtype fp16", "--kv-cache-memory", "--max-num-seqs"], "\(pc)")
    }

    @Test func kubernetesShellCommandsAndKinds() throws {
        let manifest = """
            apiVersion: apps/v1
            kind: Deployment
            spec:
              containers:
                - name: leader
                  args:
                    - "bash /x/multi-node-serving.sh leader --ray_cluster_size=$(LWS_GROUP_SIZE) && vllm serve '<a b>' -tp 8 --pp 2"
            ---
            apiVersion: apps/v2
            kind: Deployment
            spec:
              containers:
                - name: worker
                  args:
                    - "bash /x/multi-node-serving.sh worker --ray_address=$(LWS_LEADER)"
            """
        let c = LaunchConfig(target: .kubernetes, command: ["kubectl"], files: [.init("m.yaml", manifest)])
        let pc = try problems(c)
        #expect(pc == ["--pp", "Deployment apps/v2", "LWS_LEADER"], "\(pc)")
    }

    @Test func sglangOllamaAndPython() throws {
        let s = LaunchConfig(target: .sglang, command: ["python", "-m", "sglang.launch_server", "--model-path", "m", "--tp", "2"])
        let ps = try problems(s)
        #expect(ps == ["--tp"], "\(ps)")
        let o = LaunchConfig(target: .ollama, command: ["ollama"], environment: [.init("OLLAMA_KV_CACHE_TYPE", "q4_k")],
                             files: [.init("Modelfile", "# c\nFROM ./m.gguf\nPARAMETER num_ctx 8192\nPARAMETER n_ctx 8192\nPARAMS x\n")])
        let po = try problems(o)
        #expect(po == ["PARAMETER.n_ctx", "PARAMS", "OLLAMA_KV_CACHE_TYPE q4_k"], "\(po)")
        let py = """
            from transformers import AutoModelForCausalLM, BitsAndBytesConfig, AutoProcessor
            model = AutoModelForCausalLM.from_pretrained(
                repo,
                torch_dtype=torch.float16,
                quantization_config=BitsAndBytesConfig(load_in_4bit=true, bnb_4bit_quant_type="nf4"),
            )
            """
        let t = LaunchConfig(target: .transformers, command: ["python"], files: [.init("load.py", py)])
        let pt = try problems(t)
        #expect(pt == ["AutoProcessor", "from_pretrained.torch_dtype", "load_in_4bit true", "BitsAndBytesConfig.bnb_4bit_quant_type"], "\(pt)")
    }

    @Test func aMissingTableIsAnError() {
        let c = LaunchConfig(target: .llamaCpp, command: ["llama-server"])
        #expect(throws: FlagAudit.MissingTable.self) { try FlagAudit.problems(in: c, tables: Self.tables) }
    }
}
