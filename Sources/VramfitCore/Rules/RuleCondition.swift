/// The `when:` part of a rule: every field that is set must match (AND); a list matches when
/// any of its entries does (OR). An empty condition matches everything.
public struct RuleCondition: Sendable, Equatable {
    /// Engine ids or memory models (`vllm`, `llama.cpp`, `ollama`, …).
    public var engines: [String]?
    /// Engine releases (`v0`); `current` names the catalog's default release.
    public var engineVersions: [String]?
    public var schemes: [String]?
    /// Scheme families (`RuleSubject.family`): gguf, bnb, fp8, awq, gptq, mxfp4, int8, float.
    public var schemeFamilies: [String]?
    public var kvCaches: [String]?
    /// Compute capability ×10 (89 for 8.9). A GPU without one (AMD, Apple, CPU) never matches either bound.
    public var gpuCCBelow: Int?
    public var gpuCCAtLeast: Int?
    public var gpuVendors: [String]?
    /// `gpu`, `unified`, `cpu`.
    public var gpuKinds: [String]?
    /// Features the GPU lacks: `bf16`, `fp8`, `nvlink`.
    public var gpuLacks: [String]?
    public var tensorParallelAbove: Int64?
    public var pipelineParallelAbove: Int64?
    public var nodesAbove: Int64?
    public var moe: Bool?
    public var cpuOffload: Bool?
    public var expertParallel: Bool?
    public var flashAttention: Bool?

    public init(engines: [String]? = nil, engineVersions: [String]? = nil, schemes: [String]? = nil, schemeFamilies: [String]? = nil,
                kvCaches: [String]? = nil, gpuCCBelow: Int? = nil, gpuCCAtLeast: Int? = nil, gpuVendors: [String]? = nil,
                gpuKinds: [String]? = nil, gpuLacks: [String]? = nil, tensorParallelAbove: Int64? = nil,
                pipelineParallelAbove: Int64? = nil, nodesAbove: Int64? = nil, moe: Bool? = nil, cpuOffload: Bool? = nil,
                expertParallel: Bool? = nil, flashAttention: Bool? = nil) {
        self.engines = engines; self.engineVersions = engineVersions; self.schemes = schemes; self.schemeFamilies = schemeFamilies
        self.kvCaches = kvCaches; self.gpuCCBelow = gpuCCBelow; self.gpuCCAtLeast = gpuCCAtLeast; self.gpuVendors = gpuVendors
        self.gpuKinds = gpuKinds; self.gpuLacks = gpuLacks; self.tensorParallelAbove = tensorParallelAbove
        self.pipelineParallelAbove = pipelineParallelAbove; self.nodesAbove = nodesAbove; self.moe = moe
        self.cpuOffload = cpuOffload; self.expertParallel = expertParallel; self.flashAttention = flashAttention
    }

    /// Features `gpu_lacks` understands.
    public static let features = ["bf16", "fp8", "nvlink"]

    public func matches(_ s: RuleSubject) -> Bool {
        // A list matches when one of its entries equals one of the subject's values, ignoring case.
        // Compared in place (no sets, no lowercased copies) and a value only worked out when its
        // list is set: the sweep asks every rule about every configuration.
        func any(_ list: [String]?, _ value: @autoclosure () -> String, _ other: @autoclosure () -> String? = nil) -> Bool {
            guard let list else { return true }
            let v = value(), o = other()
            return list.contains { $0.equalsIgnoringCase(v) || (o.map($0.equalsIgnoringCase) ?? false) }
        }
        guard any(engines, s.engine.id, s.engine.memoryModel.rawValue),
              any(engineVersions, s.engineVersion ?? "current", s.engineVersion == nil ? s.engine.version : ""),
              any(schemes, s.scheme.id), any(schemeFamilies, s.schemeFamily), any(kvCaches, s.kvCache),
              any(gpuVendors, s.gpu.vendor), any(gpuKinds, s.gpu.kind.rawValue)
        else { return false }
        if let b = gpuCCBelow { guard let cc = s.gpu.computeCapability, cc < b else { return false } }
        if let a = gpuCCAtLeast { guard let cc = s.gpu.computeCapability, cc >= a else { return false } }
        if let lacks = gpuLacks, !lacks.contains(where: { !has(s.gpu, $0) }) { return false }
        if let t = tensorParallelAbove, s.tensorParallel <= t { return false }
        if let p = pipelineParallelAbove, s.pipelineParallel <= p { return false }
        if let n = nodesAbove, s.nodes <= n { return false }
        if let m = moe, m != s.model.isMoE { return false }
        if let c = cpuOffload, c != s.cpuOffload { return false }
        if let e = expertParallel, e != s.expertParallel { return false }
        if let f = flashAttention, f != s.flashAttention { return false }
        return true
    }

    func has(_ gpu: GPU, _ feature: String) -> Bool {
        switch feature.lowercased() {
        case "bf16": gpu.supportsBF16
        case "fp8": gpu.supportsFP8
        case "nvlink": gpu.interconnectBytesPerSecond != nil
        default: true
        }
    }
}
