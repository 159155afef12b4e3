import Testing
@testable import VramfitCore

@Suite struct DeviceMapTests {
    typealias F = RuleFixtures

    static func gpu(_ gib: Int64, _ id: String) -> GPU {
        GPU(id: id, name: id, vendor: "NVIDIA", architecture: "Ampere", computeCapability: 86, memory: .gib(gib), usableMemory: .gib(gib),
            bandwidthBytesPerSecond: 900_000_000_000, supportsBF16: true, supportsFP8: false, contextOverhead: .mib(400))
    }
    static let big = gpu(24, "rtx-3090"), small = gpu(12, "rtx-3060")

    /// Mixtral-8x7B's shapes (config.json): 32 layers, 8 experts of 14336, top-2.
    static let mixtral = Model(id: "mixtral", name: "Mixtral-8x7B", family: "mixtral", vocabSize: 32000, hiddenSize: 4096,
                               intermediateSize: 14336, numLayers: 32, numAttentionHeads: 32, numKVHeads: 8,
                               moe: .init(numExperts: 8, expertsPerToken: 2, expertIntermediateSize: 14336),
                               maxContext: 32768, publishedParams: 46_702_792_704)

    func estimate(_ s: QuantScheme = F.bf16, model m: Model = Fixtures.llama31_8b, engine: Engine = Fixtures.transformers,
                  gpu: GPU = big, context: Int64 = 8192) throws -> Estimate {
        try Estimator.estimate(EstimateRequest(model: m, scheme: s, gpu: gpu, engine: engine, kvCacheTypes: Fixtures.kvTypes,
                                               workload: Workload(context: context)))
    }

    /// A 3090 beside a 3060: layers split in proportion to free memory, about 2 : 1, and each
    /// device keeps its KV share and the activation peak free.
    @Test func mixedGPUsSplitByFreeMemory() throws {
        let e = try estimate()
        let map = DeviceMapper.map(for: e, gpus: [Self.big, Self.small])
        #expect(map.fitsOnGPUs)
        let d0 = map.devices[0], d1 = map.devices[1]
        #expect(d0.layers + d1.layers == 32)
        #expect(d0.layers > d1.layers)
        #expect(Double(d0.layers) / Double(d1.layers) > 1.5)
        for d in [d0, d1] {
            #expect(d.total <= d.capacity, "\(d.name)")
            #expect(d.weights <= d.maxMemory)
        }
        // The KV share is reserved per layer held: the device with more layers reserves more.
        #expect(d0.reserve > d1.reserve)
        #expect(map.accelerateDeviceMap.hasPrefix("{\"model.embed_tokens\": 0, \"model.layers.0\": 0"))
        #expect(map.accelerateDeviceMap.hasSuffix("\"model.norm\": 1, \"lm_head\": 1}"))
        #expect(map.maxMemory.hasPrefix("{0: \""))
    }

    /// bf16 8B (~15 GiB) on one 12 GiB GPU: accelerate keeps the first layers on the GPU and puts
    /// the rest on "cpu"; llama.cpp offloads the LAST layers and says how many with -ngl.
    @Test func partialOffloadOrder() throws {
        let acc = DeviceMapper.map(for: try estimate(gpu: Self.small), gpus: [Self.small], hostMemory: .gib(Int64(64)))
        #expect(!acc.fitsOnGPUs)
        #expect(acc.offloaded > .zero)
        #expect(acc.placements.first?.device == "0")
        #expect(acc.placements.last?.device == "cpu")
        #expect(acc.devices.last?.name == "cpu")
        #expect(acc.devices[0].total <= acc.devices[0].capacity)

        let q8 = QuantScheme(id: "q8_0", name: "Q8_0", storage: .ggml(.q8_0), keepUnquantized: [], engines: ["llama.cpp"])
        let tiny = Self.gpu(6, "tiny")
        let cpp = DeviceMapper.map(for: try estimate(q8, engine: Fixtures.llamaCpp, gpu: tiny), gpus: [tiny])
        let layers = cpp.placements.filter { $0.layer != nil }
        #expect(layers.first?.device == "cpu")
        #expect(layers.last?.device == "0")
        let args = cpp.llamaCppArguments
        #expect(args.first == "--n-gpu-layers")
        #expect(Int64(args[1]) == cpp.gpuLayers)
        #expect(cpp.gpuLayers > 0 && cpp.gpuLayers < 32)
    }

    /// Mixtral at Q4_0 (~25 GiB) on a 24 GiB card: attention fits, not every expert. The map keeps
    /// attention on the GPU and sends the experts of the later layers to the CPU with -ot.
    @Test func moeExpertsToCPUWhenAttentionFits() throws {
        let e = try estimate(F.q4, model: Self.mixtral, engine: Fixtures.llamaCpp, context: 4096)
        let map = DeviceMapper.map(for: e, gpus: [Self.big])
        #expect(map.offloaded > .zero)
        #expect(!map.expertLayersOnCPU.isEmpty)
        #expect(map.expertLayersOnCPU.count < 32)
        #expect(map.gpuLayers == 32)
        #expect(map.devices[0].total <= map.devices[0].capacity)
        let args = map.llamaCppArguments
        #expect(args.prefix(2) == ["--n-gpu-layers", "33"])  // 32 decoder layers + the output layer
        let ot = try #require(args.firstIndex(of: "--override-tensor"))
        #expect(args[ot + 1].hasPrefix("blk\\.("))
        #expect(args[ot + 1].hasSuffix(")\\.ffn_.*_exps\\.=CPU"))
    }

    @Test func everythingFitsMeansNoCPU() throws {
        let map = DeviceMapper.map(for: try estimate(F.q4, engine: Fixtures.llamaCpp), gpus: [Self.big, Self.big])
        #expect(map.fitsOnGPUs)
        #expect(!map.devices.contains { $0.name == "cpu" })
        // Balanced by bytes, not by layer count: the last GPU also holds the output matrix
        // (128256 × 4096 at Q4_0), so it takes fewer layers; the totals differ by under one layer.
        let args = map.llamaCppArguments
        #expect(args.prefix(3) == ["--n-gpu-layers", "33", "--tensor-split"])
        let split = args[3].split(separator: ",").compactMap { Int64($0) }
        #expect(split.count == 2 && split.reduce(0, +) == 32 && split[0] > split[1])
        let layerBytes = try #require(map.placements.first { $0.layer == 0 }).bytes
        let diff = abs(map.devices[0].total.value - map.devices[1].total.value)
        #expect(diff < 2 * layerBytes.value)
    }
}
