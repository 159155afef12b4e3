import Foundation
import Testing
@testable import VramfitCore

/// Whole exports compared with files beside this test. A change in a flag, a default or a
/// formula that feeds a flag shows up as a diff to review; regenerate on purpose with
/// `VRAMFIT_UPDATE_GOLDEN=1 swift test --filter ExportGoldenTests`.
@Suite struct ExportGoldenTests {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    typealias F = ExportFixtures

    static let cases: [String: @Sendable () throws -> (ExportPlan, ExportTarget)] = [
        "vllm-llama8b-bf16-tp2-fp8kv.txt": {
            (try F.plan(engine: F.vllm, Workload(context: 32768, batch: 8, kvCacheType: "fp8", gpuMemoryUtilization: 0.85, tensorParallel: 2,
                                                 engineSettings: ["max_num_batched_tokens": 4096])), .vllm)
        },
        "vllm-llama8b-awq-placeholder.txt": { (try F.plan(scheme: F.awq, gpu: Fixtures.gpu24, engine: F.vllm, Workload(context: 16384)), .vllm) },
        "sglang-llama8b-fp8.txt": { (try F.plan(scheme: F.fp8, engine: F.sglang, Workload(context: 16384, batch: 16)), .sglang) },
        "tgi-llama8b-bf16.txt": { (try F.plan(engine: F.tgi, Workload(context: 8192, batch: 4, newTokens: 1024)), .tgi) },
        "llamacpp-llama8b-q8-2gpu.txt": {
            (try F.plan(scheme: F.q8_0, gpu: Fixtures.gpu24, engine: F.llamaCpp, Workload(context: 16384, batch: 2, kvCacheType: "q8_0", pipelineParallel: 2)), .llamaCpp)
        },
        "ollama-llama8b-q8.txt": { (try F.plan(scheme: F.q8_0, gpu: Fixtures.gpu24, engine: F.ollama, Workload(context: 8192, batch: 2)), .ollama) },
        "transformers-llama8b-nf4.txt": {
            (try F.plan(scheme: F.bnbNF4, gpu: Fixtures.gpu24, engine: Fixtures.transformers, Workload(context: 8192, batch: 2)), .transformers)
        },
        "accelerate-llama8b-bf16-2gpu.txt": {
            (try F.plan(gpu: Fixtures.gpu24, engine: Fixtures.transformers, Workload(context: 4096, pipelineParallel: 2)), .accelerate)
        },
    ]

    @Test(arguments: cases.keys.sorted())
    func matchesGolden(_ name: String) throws {
        let (plan, target) = try Self.cases[name]!()
        let text = F.render(try Export.launchConfig(plan, to: target))
        let file = Self.dir.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["VRAMFIT_UPDATE_GOLDEN"] == "1" {
            try text.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(text == expected, "export \(name) differs from its golden file")
    }
}
