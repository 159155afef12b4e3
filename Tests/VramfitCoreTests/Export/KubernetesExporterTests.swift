import Testing
@testable import VramfitCore

/// `export --to kubernetes`: a Deployment + Service for one node, a LeaderWorkerSet for several,
/// with the GPUs, /dev/shm and model cache each pod needs.
@Suite struct KubernetesExporterTests {
    typealias F = ExportFixtures

    func plan(tp: Int64, pp: Int64, nodes: Int64) throws -> ExportPlan {
        var p = try F.plan(engine: F.vllm, Workload(context: 8192, batch: 4, tensorParallel: tp, pipelineParallel: pp))
        p.nodes = nodes
        return p
    }

    @Test func oneNodeIsADeploymentWithAService() throws {
        let c = try Export.launchConfig(plan(tp: 2, pp: 1, nodes: 1), to: .kubernetes)
        #expect(c.command == ["kubectl", "apply", "-f", "vllm-k8s.yaml"])
        let m = try #require(c.files.first { $0.name == "vllm-k8s.yaml" }).text
        for needle in ["kind: Deployment", "apiVersion: apps/v1", "kind: Service", "kind: PersistentVolumeClaim", "ReadWriteOnce",
                       "nvidia.com/gpu: \"2\"", "mountPath: /dev/shm", "medium: Memory", "sizeLimit: 4Gi",
                       "mountPath: /root/.cache/huggingface", "path: /health",
                       "vllm serve meta-llama/Llama-3.1-8B-Instruct --dtype bfloat16 --tensor-parallel-size 2 --max-model-len 8192 --max-num-seqs 4"] {
            #expect(m.contains(needle), "missing \(needle)")
        }
        #expect(!m.contains("LeaderWorkerSet"))
        #expect(!m.contains("--distributed-executor-backend"))
    }

    /// Two nodes of two GPUs: TP 2 inside each node, PP 2 across; one pod per node.
    @Test func severalNodesAreALeaderWorkerSet() throws {
        let c = try Export.launchConfig(plan(tp: 2, pp: 2, nodes: 2), to: .kubernetes)
        let m = try #require(c.files.first { $0.name == "vllm-lws.yaml" }).text
        for needle in ["apiVersion: leaderworkerset.x-k8s.io/v1", "kind: LeaderWorkerSet", "size: 2 ", "restartPolicy: RecreateGroupOnPodRestart",
                       "multi-node-serving.sh leader --ray_cluster_size=$(LWS_GROUP_SIZE) && vllm serve",
                       "--tensor-parallel-size 2 --pipeline-parallel-size 2 --distributed-executor-backend ray",
                       "multi-node-serving.sh worker --ray_address=$(LWS_LEADER_ADDRESS)", "ReadWriteMany",
                       "leaderworkerset.sigs.k8s.io/name: vllm-llama-3-1-8b", "role: leader"] {
            #expect(m.contains(needle), "missing \(needle)")
        }
        // Each pod asks for its node's GPUs, not the total.
        #expect(m.ranges(of: "nvidia.com/gpu: \"2\"").count == 2)
        #expect(c.notes.contains { $0.contains("LeaderWorkerSet controller") })
    }

    /// The cache holds the checkpoint with 20 % to spare: Llama-3.1-8B in bf16 is 14.96 GiB → 17.96 → 20 GiB.
    @Test func modelCacheIsSizedFromTheCheckpoint() throws {
        #expect(KubernetesExporter.cacheSize(try plan(tp: 1, pp: 1, nodes: 1)) == 20)
    }

    @Test func namesAreDNSLabels() throws {
        var p = try plan(tp: 1, pp: 1, nodes: 1)
        p.model.id = "Qwen2.5__72B.Instruct-"
        #expect(KubernetesExporter.name(p) == "vllm-qwen2-5-72b-instruct")
    }

    @Test func refusesWhatCannotRunAcrossNodes() throws {
        #expect(throws: ExportError.self) { try Export.launchConfig(plan(tp: 2, pp: 2, nodes: 3), to: .kubernetes) }
        var s = try F.plan(engine: F.sglang, Workload(context: 8192, tensorParallel: 2, pipelineParallel: 2))
        s.nodes = 2
        #expect(throws: ExportError.self) { try Export.launchConfig(s, to: .sglang) }
        #expect(ExportTarget(loose: "k8s") == .kubernetes)
        #expect(ExportTarget.kubernetes.engineId == "vllm")
    }
}
