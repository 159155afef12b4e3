import Testing
@testable import VramfitCore

/// llama.cpp's placement flags, built in one place for `plan`'s device map and the exporter.
@Suite struct LlamaCppPlacementTests {
    @Test func everythingOnGPUsCountsTheOutputLayer() {
        let one = LlamaCppPlacement.allOnGPUs(numLayers: 80, layersPerGPU: [80])
        #expect(one.arguments == ["--n-gpu-layers", "81"])  // 80 decoder layers + the output layer (layer n_layer)
        let two = LlamaCppPlacement.allOnGPUs(numLayers: 80, layersPerGPU: [41, 39])
        #expect(two.arguments == ["--n-gpu-layers", "81", "--tensor-split", "41,39"])
    }

    /// Fewer layers than the model has: llama.cpp offloads the last ones and keeps the output on the CPU.
    @Test func partialOffloadLeavesTheOutputOnTheCPU() {
        let p = LlamaCppPlacement(numLayers: 32, layersPerGPU: [20], outputOnGPU: false)
        #expect(p.arguments == ["--n-gpu-layers", "20"])
        #expect(LlamaCppPlacement(numLayers: 32, layersPerGPU: [], outputOnGPU: false).arguments == ["--n-gpu-layers", "0"])
    }

    @Test func expertsInCPUBecomeOneOverride() {
        let some = LlamaCppPlacement(numLayers: 32, layersPerGPU: [32], outputOnGPU: true, expertLayersOnCPU: [30, 31])
        #expect(some.arguments == ["--n-gpu-layers", "33", "--override-tensor", "blk\\.(30|31)\\.ffn_.*_exps\\.=CPU"])
        let all = LlamaCppPlacement(numLayers: 2, layersPerGPU: [2], outputOnGPU: true, expertLayersOnCPU: [0, 1])
        #expect(all.arguments.last == "ffn_.*_exps\\.=CPU")
    }

    /// The exporter and the device map use the same builder: a plan carrying the map exports its flags verbatim.
    @Test func exporterWritesTheDeviceMapsFlags() throws {
        let e = try Fixtures.estimate(Fixtures.llama31_8b, scheme: Fixtures.q8_0, gpu: Fixtures.gpu24, engine: ExportFixtures.llamaCpp,
                                      Workload(context: 8192))
        let small = GPU(id: "t6", name: "Test 6 GiB", vendor: "NVIDIA", architecture: "Ada", computeCapability: 89, memory: .gib(Int64(6)),
                        usableMemory: .gib(Int64(6)), bandwidthBytesPerSecond: 300_000_000_000, supportsBF16: true, supportsFP8: true)
        let map = DeviceMapper.map(for: e, gpus: [small])
        #expect(!map.fitsOnGPUs)
        var plan = try ExportFixtures.plan(scheme: Fixtures.q8_0, gpu: Fixtures.gpu24, engine: ExportFixtures.llamaCpp, Workload(context: 8192))
        plan.deviceMap = map
        let argv = try Export.launchConfig(plan, to: .llamaCpp).command
        let i = try #require(argv.firstIndex(of: "--n-gpu-layers"))
        #expect(Array(argv[i..<(i + map.llamaCppArguments.count)]) == map.llamaCppArguments)
    }
}
