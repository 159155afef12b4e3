@testable import VramfitCore

/// Hand-made GPUs, schemes and rules for rule and planner tests, independent of catalogs/.
enum RuleFixtures {
    static let t4 = GPU(id: "t4", name: "T4", vendor: "NVIDIA", architecture: "Turing", computeCapability: 75,
                        memory: .gib(Int64(16)), usableMemory: .gib(Int64(15)), bandwidthBytesPerSecond: 320_000_000_000,
                        supportsBF16: false, supportsFP8: false, contextOverhead: .mib(300), hourlyUSD: 0.5)
    static let a100 = GPU(id: "a100", name: "A100", vendor: "NVIDIA", architecture: "Ampere", computeCapability: 80,
                          memory: .gib(Int64(80)), usableMemory: .gib(Int64(80)), bandwidthBytesPerSecond: 2_039_000_000_000,
                          supportsBF16: true, supportsFP8: false, interconnectBytesPerSecond: 300_000_000_000,
                          contextOverhead: .mib(400), hourlyUSD: 1.5)
    static let h100 = GPU(id: "h100", name: "H100", vendor: "NVIDIA", architecture: "Hopper", computeCapability: 90,
                          memory: .gib(Int64(80)), usableMemory: .gib(Int64(80)), bandwidthBytesPerSecond: 3_350_000_000_000,
                          supportsBF16: true, supportsFP8: true, interconnectBytesPerSecond: 450_000_000_000,
                          contextOverhead: .mib(400), hourlyUSD: 2.5)

    static let fp16 = QuantScheme(id: "fp16", name: "fp16", storage: .dense(bytesPerElement: 2), keepUnquantized: [],
                                  unquantizedDType: .fp16, engines: ["vllm", "transformers"], qualityRank: 99)
    static let bf16 = QuantScheme(id: "bf16", name: "bf16", storage: .dense(bytesPerElement: 2), keepUnquantized: [],
                                  unquantizedDType: .bf16, engines: ["vllm", "transformers"], qualityRank: 100)
    static let fp8 = QuantScheme(id: "fp8", name: "fp8", storage: .dense(bytesPerElement: 1, scaleBytesPerTensor: 4),
                                 keepUnquantized: [.tokenEmbedding, .output], unquantizedDType: .bf16, engines: ["vllm"], qualityRank: 95)
    static let q4 = QuantScheme(id: "q4_0", name: "Q4_0", storage: .ggml(.q4_0), keepUnquantized: [], engines: ["llama.cpp"], qualityRank: 70)

    static let bf16OnOldGPU = Rule(id: "bf16-needs-sm80", level: .warn,
                                   when: RuleCondition(schemes: ["bf16"], gpuKinds: ["gpu"], gpuLacks: ["bf16"]),
                                   reason: "{gpu} ({cc}) has no bfloat16", advice: "runs as fp16", source: ["test"])
    static let fp8Marlin = Rule(id: "fp8-w8a8-needs-sm89", level: .warn,
                                when: RuleCondition(engines: ["vllm"], schemeFamilies: ["fp8"], gpuCCBelow: 89, gpuCCAtLeast: 75),
                                reason: "W8A16 Marlin on {gpu}", source: ["test"])
    static let fp8KV = Rule(id: "fp8-kv-sglang", level: .forbid,
                            when: RuleCondition(engines: ["sglang"], kvCaches: ["fp8"], gpuCCBelow: 89),
                            reason: "fp8 KV needs 8.9+", source: ["test"])
    static let tpKV = Rule(id: "tp-divides-kv-heads", level: .forbid,
                           when: RuleCondition(engines: ["vllm"], tensorParallelAbove: 1), check: .tpDividesKVHeads,
                           reason: "TP {tp} does not split {kv_heads} KV heads", source: ["test"])
    static let tpHeads = Rule(id: "tp-divides-attention-heads", level: .forbid,
                              when: RuleCondition(engines: ["vllm"], tensorParallelAbove: 1), check: .tpDividesAttentionHeads,
                              reason: "TP {tp} does not divide {heads} heads", source: ["test"])
    static let tpNode = Rule(id: "tp-within-node", level: .forbid, when: RuleCondition(nodesAbove: 1), check: .tpWithinNode,
                             reason: "TP {tp} spans nodes", source: ["test"])

    static var rules: [Rule] { [bf16OnOldGPU, fp8Marlin, fp8KV, tpKV, tpHeads, tpNode] }

    static var catalog: Catalog {
        var c = Catalog()
        c.models = [Fixtures.llama31_8b, Fixtures.llama31_405b]
        c.gpus = [t4, a100, h100]
        c.schemes = [bf16, fp16, fp8, q4]
        c.kvCacheTypes = Fixtures.kvTypes
        c.engines = [Fixtures.vllm, Fixtures.transformers, Fixtures.llamaCpp]
        c.rules = rules
        return c
    }

    static func subject(_ s: QuantScheme, _ g: GPU, engine: Engine = Fixtures.vllm, model: Model = Fixtures.llama31_8b,
                        kv: String = "auto", tp: Int64 = 1, pp: Int64 = 1, nodes: Int64 = 1, perNode: Int64? = nil) -> RuleSubject {
        RuleSubject(model: model, scheme: s, engine: engine, gpu: g, kvCache: kv, tensorParallel: tp, pipelineParallel: pp,
                    nodes: nodes, gpusPerNode: perNode)
    }
}
