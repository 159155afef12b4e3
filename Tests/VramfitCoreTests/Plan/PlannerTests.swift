import Testing
@testable import VramfitCore

@Suite struct PlannerTests {
    typealias F = RuleFixtures

    func plan(_ g: GPU, model m: Model = Fixtures.llama31_8b, gpus: Int64 = 1, nodes: Int64 = 1, context: Int64? = 4096,
              engine: String? = nil, quant: String? = nil, goal: PlanGoal) throws -> Plan {
        try Planner.plan(PlanQuery(model: m, gpu: g, gpusPerNode: gpus, nodes: nodes, context: context, engine: engine,
                                   quant: quant, goal: goal), catalog: F.catalog)
    }

    @Test func everyCandidateFitsAndNoneIsForbidden() throws {
        let p = try plan(F.t4, gpus: 4, goal: .fit)
        #expect(!p.candidates.isEmpty)
        for c in p.candidates {
            #expect(c.estimate.fits)
            #expect(c.verdicts.allSatisfy { $0.level != .forbid })
            #expect(c.estimate.tensorParallel * c.estimate.pipelineParallel <= 4)
        }
    }

    @Test func qualityGoalPutsTheHighestRankFirst() throws {
        let p = try plan(F.a100, goal: .quality)
        #expect(p.best?.scheme.id == "bf16")
        let ranks = p.candidates.map(\.qualityRank)
        #expect(ranks == ranks.sorted(by: >))
        #expect(p.candidates.dropFirst().allSatisfy { $0.lostBecause != nil })
        #expect(p.best?.lostBecause == nil)
    }

    /// On a T4, bf16 8B (16 GB of weights) does not fit in 15 GiB; the fit goal then prefers the
    /// best quality that fits on one GPU, and says why each runner-up lost.
    @Test func fitGoalPrefersOneGPUThenQuality() throws {
        let p = try plan(F.t4, gpus: 2, goal: .fit)
        let best = try #require(p.best)
        #expect(best.gpus == 1)
        #expect(best.scheme.id == "fp8")
        #expect(best.verdicts.map(\.ruleId) == ["fp8-w8a8-needs-sm89"])
        let loser = try #require(p.candidates.first { $0.scheme.id == "q4_0" })
        #expect(loser.lostBecause?.contains("lower quality rank") == true)
        // bf16 needs both T4s; it is a candidate, ranked below the one-GPU ones because of its GPU count.
        let bf16 = try #require(p.candidates.first { $0.scheme.id == "bf16" && $0.engine.id == "vllm" })
        #expect(bf16.gpus == 2)
        #expect(bf16.verdicts.contains { $0.ruleId == "bf16-needs-sm80" })
    }

    @Test func throughputGoalRanksByRooflineSpeed() throws {
        let p = try plan(F.a100, gpus: 4, goal: .throughput)
        let speeds = p.candidates.map(\.tokensPerSecond)
        for (a, b) in zip(speeds, speeds.dropFirst()) { #expect(a >= b * 0.99) }
        // More tensor-parallel ranks read weights in parallel: the fastest uses all four GPUs.
        #expect(p.best?.estimate.tensorParallel == 4)
        #expect(p.candidates.dropFirst().first?.lostBecause?.contains("slower decode") == true)
    }

    @Test func costGoalUsesHourlyPrice() throws {
        let p = try plan(F.h100, gpus: 2, goal: .cost)
        let costs = p.candidates.compactMap(\.hourlyUSD)
        #expect(costs == costs.sorted())
        #expect(p.best?.hourlyUSD == 2.5)
    }

    @Test func tensorParallelIsSearchedInPowersOfTwo() throws {
        let p = try plan(F.a100, gpus: 3, engine: "vllm", quant: "bf16", goal: .throughput)
        #expect(p.dropped.contains { $0.tensorParallel == 3 } == false)  // TP is searched in powers of two only
        #expect(p.candidates.allSatisfy { [1, 2].contains($0.estimate.tensorParallel) })
    }

    /// Llama-3.1-405B in bf16 (~810 GB) cannot fit on one node of 8 × 80 GiB: the plan says it
    /// needs two nodes, with tensor parallel inside a node and pipeline parallel across them.
    @Test func multiNodeWhenOneNodeIsNotEnough() throws {
        let p = try plan(F.h100, model: Fixtures.llama31_405b, gpus: 8, context: 8192, engine: "vllm", quant: "bf16", goal: .fit)
        #expect(p.nodes == 2)
        let best = try #require(p.best)
        #expect(best.nodes == 2)
        #expect(best.estimate.tensorParallel <= 8)
        #expect(best.estimate.tensorParallel * best.estimate.pipelineParallel > 8)
        #expect(p.notes.contains { $0.contains("needs 2 nodes") })
        // Every node runs the same whole tensor-parallel groups: 16 GPUs as TP 8 × PP 2, 8 per node.
        #expect(best.gpus % best.nodes == 0)
        #expect((best.gpus / best.nodes) % best.estimate.tensorParallel == 0)
        #expect(best.layout.hasSuffix("/ 2 nodes"))
    }

    /// Across nodes: one pod per node with the same GPU count, TP groups never split by the network,
    /// and nothing that would fit on fewer nodes. Hand-listed for 2 nodes of 4 GPUs, 32 layers.
    @Test func multiNodeLayoutsKeepTensorParallelInsideANode() {
        let all = Planner.layouts(engine: Fixtures.vllm, gpusPerNode: 4, nodes: 2, numLayers: 32)
        let multi = all.filter { $0.nodes == 2 }.map { "\($0.tp)x\($0.pp)" }
        // GPUs per node 4 (3 on two nodes would be 6: not a power of two and not the node), so 8 GPUs: TP 4×PP 2, 2×4, 1×8.
        #expect(Set(multi) == ["4x2", "2x4", "1x8"])
        #expect(all.filter { $0.nodes == 1 }.allSatisfy { $0.gpus <= 4 })
        let gpus = all.map(\.gpus)
        #expect(gpus == gpus.sorted())
        // Engines that split layers stay on one host.
        #expect(Planner.layouts(engine: Fixtures.llamaCpp, gpusPerNode: 4, nodes: 2, numLayers: 32).allSatisfy { $0.nodes == 1 && $0.tp == 1 })
    }

    @Test func engineFilterKeepsOnlyThatEngine() throws {
        let p = try plan(F.a100, engine: "transformers", goal: .quality)
        #expect(!p.candidates.isEmpty)
        #expect(p.candidates.allSatisfy { $0.engine.id == "transformers" })
    }

    @Test func badInputThrows() throws {
        #expect(throws: EstimateError.self) { try plan(F.a100, gpus: 0, goal: .fit) }
        #expect(throws: EstimateError.self) { try plan(F.a100, context: 0, goal: .fit) }
        #expect(throws: LookupError.self) { try plan(F.a100, quant: "q9_9", goal: .fit) }
    }
}
