import Testing
import VramfitCore
@testable import VramfitRunner

@Suite struct BackendRegistryTests {
    let registry = BackendRegistry(entries: [.init(target: "cpu", summary: "CPU") { RunnerFixtures.cpu() }],
                                   absent: ["cuda": "this build has no CUDA backend"])

    @Test func makesKnownTargetsCaseInsensitively() throws {
        #expect(try registry.make("CPU").target == "cpu")
    }

    @Test func absentTargetSaysWhy() {
        #expect(throws: RunnerError.backendUnavailable(target: "cuda", reason: "this build has no CUDA backend")) { try registry.make("cuda") }
    }

    @Test func unknownTargetListsKnownOnes() {
        #expect(throws: RunnerError.unknownTarget("tpu", known: ["cpu", "cuda"])) { try registry.make("tpu") }
    }
}
