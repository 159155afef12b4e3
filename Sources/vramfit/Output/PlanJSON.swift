import VramfitCore

/// The `plan --json` contract (schema_version 1). Fields may be added; none renamed or dropped
/// without bumping `schema_version`. Candidates are best first; each `estimate` is the same
/// object `estimate --json` prints.
struct PlanJSON: Encodable {
    struct VerdictJSON: Encodable {
        var level: String
        var rule: String
        var reason: String
        var advice: String?
        var source: [String]
        init(_ v: Verdict) { level = v.level.rawValue; rule = v.ruleId; reason = v.reason; advice = v.advice; source = v.source }
    }

    struct CandidateJSON: Encodable {
        var rank: Int
        var quant: String
        var engine: String
        var tensor_parallel: Int64
        var pipeline_parallel: Int64
        var nodes: Int64
        var gpus: Int64
        var quality_rank: Int
        var decode_tokens_per_second: Double
        var hourly_usd: Double?
        var total_bytes: Int64
        var headroom_bytes: Int64
        var max_context: Int64
        var lost_because: String?
        var verdicts: [VerdictJSON]
        var estimate: EstimateJSON
    }

    struct DroppedJSON: Encodable {
        var quant: String
        var engine: String
        var tensor_parallel: Int64
        var pipeline_parallel: Int64
        var nodes: Int64
        var rule: String?
        var reason: String
    }

    var schema_version = 1
    var model: String
    var gpu: String
    var gpus_per_node: Int64
    var nodes: Int64
    var context: Int64
    var concurrency: Int64
    var goal: String
    var candidates: [CandidateJSON]
    var dropped: [DroppedJSON]
    var notes: [String]
    var device_map: DeviceMapJSON?

    struct DeviceMapJSON: Encodable {
        struct DeviceJSON: Encodable {
            var device: String
            var gpu: String?
            var layers: Int64
            var weights_bytes: Int64
            var reserve_bytes: Int64
            var capacity_bytes: Int64
            var max_memory_bytes: Int64
        }
        var candidate_rank: Int?
        var quant: String
        var engine: String
        var devices: [DeviceJSON]
        var placements: [[String]]
        var accelerate_device_map: String
        var max_memory: String
        var llama_cpp_args: [String]
        var expert_layers_on_cpu: [Int64]
        var offloaded_bytes: Int64
        var verdicts: [VerdictJSON]

        init(_ m: PlannedDeviceMap) {
            candidate_rank = m.candidateRank; quant = m.estimate.scheme.id; engine = m.estimate.engine.id
            devices = m.map.devices.map {
                DeviceJSON(device: $0.name, gpu: $0.gpu?.id, layers: $0.layers, weights_bytes: $0.weights.value, reserve_bytes: $0.reserve.value,
                           capacity_bytes: $0.capacity.value, max_memory_bytes: $0.gpu == nil ? $0.capacity.value : $0.maxMemory.value)
            }
            placements = m.map.placements.map { [$0.module, $0.device] }
            accelerate_device_map = m.map.accelerateDeviceMap; max_memory = m.map.maxMemory
            llama_cpp_args = m.map.llamaCppArguments; expert_layers_on_cpu = m.map.expertLayersOnCPU
            offloaded_bytes = m.map.offloaded.value; verdicts = m.verdicts.map(VerdictJSON.init)
        }
    }

    init(_ p: Plan, top: Int, assumptions: [String], deviceMap: PlannedDeviceMap? = nil) {
        device_map = deviceMap.map(DeviceMapJSON.init)
        model = p.query.model.id; gpu = p.query.gpu.id; gpus_per_node = p.query.gpusPerNode; nodes = p.nodes
        context = p.context; concurrency = p.query.concurrency; goal = p.query.goal.rawValue
        candidates = p.candidates.prefix(top).enumerated().map { i, c in
            CandidateJSON(rank: i + 1, quant: c.scheme.id, engine: c.engine.id, tensor_parallel: c.estimate.tensorParallel,
                          pipeline_parallel: c.estimate.pipelineParallel, nodes: c.nodes, gpus: c.gpus, quality_rank: c.qualityRank,
                          decode_tokens_per_second: c.tokensPerSecond, hourly_usd: c.hourlyUSD, total_bytes: c.estimate.total.value,
                          headroom_bytes: c.estimate.headroom.value, max_context: c.estimate.maxContext, lost_because: c.lostBecause,
                          verdicts: c.verdicts.map(VerdictJSON.init), estimate: EstimateJSON(c.estimate, assumptions: []))
        }
        dropped = p.dropped.map {
            DroppedJSON(quant: $0.scheme, engine: $0.engine, tensor_parallel: $0.tensorParallel, pipeline_parallel: $0.pipelineParallel,
                        nodes: $0.nodes, rule: $0.verdict?.ruleId, reason: $0.reason)
        }
        notes = assumptions + p.notes
    }
}
