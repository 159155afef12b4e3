/// vLLM on Kubernetes, the way its users run it in production: for one node a Deployment with a
/// ClusterIP Service; for several nodes a LeaderWorkerSet (kubernetes-sigs/lws) whose leader pod
/// starts the Ray head and `vllm serve` (tensor parallel inside a node, pipeline parallel across
/// nodes) and whose worker pods join the Ray cluster. Each pod asks for its GPUs as an
/// `nvidia.com/gpu` limit, mounts a memory-backed /dev/shm (NCCL and vLLM's workers communicate
/// through it; the container default of 64 MiB is too small) and a model cache volume so a
/// restart does not download the weights again.
///
/// Sources: https://docs.vllm.ai/en/v0.11.0/deployment/k8s.html (Deployment: `vllm serve` via
/// /bin/sh -c, hf-token-secret, /dev/shm emptyDir, PVC for /root/.cache/huggingface, /health);
/// https://docs.vllm.ai/en/v0.11.0/deployment/frameworks/lws.html and kubernetes-sigs/lws
/// docs/examples/vllm/GPU/lws.yaml (leader: multi-node-serving.sh leader --ray_cluster_size=$(LWS_GROUP_SIZE),
/// then the server; workers: multi-node-serving.sh worker --ray_address=$(LWS_LEADER_ADDRESS); a
/// Service selecting `leaderworkerset.sigs.k8s.io/name` and `role: leader`). `$(VAR)` in args is
/// expanded by Kubernetes from the container's environment, where LWS injects LWS_GROUP_SIZE and
/// LWS_LEADER_ADDRESS. Names checked against catalogs/engines/flags/kubernetes.yaml and vllm.yaml.
struct KubernetesExporter: Exporter {
    var target: ExportTarget { .kubernetes }

    static let port = 8000
    static let script = "/vllm-workspace/examples/online_serving/multi-node-serving.sh"

    func export(_ p: ExportPlan) throws -> LaunchConfig {
        var notes: [String] = []
        let (model, flags) = try VLLMExporter.serveArguments(p, notes: &notes)
        let serve = (["vllm", "serve", model] + flags + ["--port", String(Self.port)]).map(Shell.quote).joined(separator: " ")
        let name = Self.name(p)
        let file = p.nodes > 1 ? "vllm-lws.yaml" : "vllm-k8s.yaml"
        let manifest = p.nodes > 1 ? leaderWorkerSet(p, name: name, serve: serve) : deployment(p, name: name, serve: serve)
        notes.append("kubectl create secret generic hf-token-secret --from-literal=token=$HF_TOKEN (gated models; the pods start without it)")
        if p.nodes > 1 {
            notes.append("needs the LeaderWorkerSet controller (https://lws.sigs.k8s.io/docs/installation/) and \(p.nodes) nodes with "
                + "\(p.gpusPerNode) free × \(p.gpu.name) each; tensor parallel \(p.tensorParallel) stays inside a node, "
                + "pipeline parallel \(p.pipelineParallel) crosses the network")
            notes.append("the model cache claim is ReadWriteMany (shared by the \(p.nodes) pods): use a storage class that offers it (NFS, "
                + "Filestore, EFS, CephFS) or replace it with a hostPath")
        }
        notes.append("port-forward to try it: kubectl port-forward svc/\(name) \(Self.port):\(Self.port), then http://localhost:\(Self.port)/v1/models")
        return LaunchConfig(target: .kubernetes, command: ["kubectl", "apply", "-f", file], files: [.init(file, manifest)], notes: notes)
    }

    /// `vllm-qwen2-5-72b-instruct`: a DNS-1035 label (lowercase letters, digits, '-', at most 63, starting with a letter).
    static func name(_ p: ExportPlan) -> String {
        var s = String(("vllm-" + p.model.id).lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
        while s.contains("--") { s = s.replacing("--", with: "-") }
        s = String(s.prefix(63))
        while s.hasSuffix("-") { s.removeLast() }
        return s
    }

    /// The checkpoint's size on disk with 20 % spare, in whole GiB rounded up to 10: the
    /// weights the GPUs hold, or the 16-bit checkpoint when vLLM quantizes while loading.
    static func cacheSize(_ p: ExportPlan) -> Int64 {
        let source = p.weightSource(loadQuantizable: ["fp8", "bnb-nf4", "bnb-nf4-dq", "bnb-fp4", "bnb-fp4-dq"])
        let bytes = source == .quantizedAtLoad
            ? ByteCount(p.model.publishedParams) * p.model.dtype.bytes
            : p.accelerators.reduce(ByteCount.zero) { $0 + $1.weights }
        let gib = (Double(bytes.value) * 1.2 / 1_073_741_824).rounded(.up)
        return max(10, Int64((gib / 10).rounded(.up)) * 10)
    }

    /// /dev/shm: 2 GiB per GPU in the pod (vLLM's docs use 2Gi for one GPU, LWS's example 15Gi for 8).
    static func shmSize(_ p: ExportPlan) -> Int64 { 2 * max(p.gpusPerNode, 1) }

    func header(_ p: ExportPlan) -> String {
        "# vramfit export: \(p.model.name) · \(p.scheme.id) · vLLM \(p.engine.version) · \(p.nodes > 1 ? "\(p.nodes) nodes × " : "")"
            + "\(p.gpusPerNode) × \(p.gpu.name) · TP\(p.tensorParallel) × PP\(p.pipelineParallel) · context \(p.context) × batch \(p.batch)"
    }

    func claim(_ p: ExportPlan, name: String, shared: Bool) -> String {
        """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata:
          name: \(name)-model-cache
        spec:
          accessModes:
            - \(shared ? "ReadWriteMany" : "ReadWriteOnce")
          resources:
            requests:
              storage: \(Self.cacheSize(p))Gi
        """
    }

    /// The container fields every pod shares: image, token, GPUs, volumes.
    func container(_ p: ExportPlan, name: String, args: String, serving: Bool, indent: String) -> String {
        var lines = [
            "- name: \(name)",
            "  image: vllm/vllm-openai:v\(p.fullVersion)",
            "  command: [\"/bin/sh\", \"-c\"]",
            "  args:",
            "    - \(VLLMExporter.yamlScalar(args))",
            "  env:",
            "    - name: HF_TOKEN",
            "      valueFrom:",
            "        secretKeyRef:",
            "          name: hf-token-secret",
            "          key: token",
            "          optional: true",
        ]
        if serving {
            lines += [
                "  ports:",
                "    - containerPort: \(Self.port)",
                "  startupProbe:          # loading the weights takes minutes: allow up to 30",
                "    httpGet:",
                "      path: /health",
                "      port: \(Self.port)",
                "    periodSeconds: 10",
                "    failureThreshold: 180",
                "  readinessProbe:",
                "    httpGet:",
                "      path: /health",
                "      port: \(Self.port)",
                "    periodSeconds: 10",
            ]
        }
        lines += [
            "  resources:",
            "    limits:",
            "      nvidia.com/gpu: \"\(p.gpusPerNode)\"",
            "  volumeMounts:",
            "    - name: model-cache",
            "      mountPath: /root/.cache/huggingface",
            "    - name: shm",
            "      mountPath: /dev/shm",
        ]
        return lines.map { indent + $0 }.joined(separator: "\n")
    }

    func volumes(_ p: ExportPlan, name: String, indent: String) -> String {
        [
            "volumes:",
            "  - name: model-cache",
            "    persistentVolumeClaim:",
            "      claimName: \(name)-model-cache",
            "  - name: shm",
            "    emptyDir:",
            "      medium: Memory",
            "      sizeLimit: \(Self.shmSize(p))Gi",
        ].map { indent + $0 }.joined(separator: "\n")
    }

    func service(name: String, selector: [String]) -> String {
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: \(name)
        spec:
          type: ClusterIP
          selector:
        \(selector.map { "    " + $0 }.joined(separator: "\n"))
          ports:
            - name: http
              port: \(Self.port)
              targetPort: \(Self.port)
        """
    }

    func deployment(_ p: ExportPlan, name: String, serve: String) -> String {
        """
        \(header(p))
        # kubectl apply -f vllm-k8s.yaml
        \(claim(p, name: name, shared: false))
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: \(name)
          labels:
            app: \(name)
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: \(name)
          template:
            metadata:
              labels:
                app: \(name)
            spec:
              containers:
        \(container(p, name: "vllm", args: serve, serving: true, indent: "        "))
        \(volumes(p, name: name, indent: "      "))
        ---
        \(service(name: name, selector: ["app: \(name)"]))

        """
    }

    func leaderWorkerSet(_ p: ExportPlan, name: String, serve: String) -> String {
        let leader = "bash \(Self.script) leader --ray_cluster_size=$(LWS_GROUP_SIZE) && \(serve)"
        let worker = "bash \(Self.script) worker --ray_address=$(LWS_LEADER_ADDRESS)"
        return """
            \(header(p))
            # kubectl apply -f vllm-lws.yaml   (LeaderWorkerSet controller required)
            \(claim(p, name: name, shared: true))
            ---
            apiVersion: leaderworkerset.x-k8s.io/v1
            kind: LeaderWorkerSet
            metadata:
              name: \(name)
            spec:
              replicas: 1
              leaderWorkerTemplate:
                size: \(p.nodes)                 # pods per replica: one per node, the leader included
                restartPolicy: RecreateGroupOnPodRestart
                leaderTemplate:
                  metadata:
                    labels:
                      role: leader
                  spec:
                    containers:
            \(container(p, name: "vllm-leader", args: leader, serving: true, indent: "          "))
            \(volumes(p, name: name, indent: "        "))
                workerTemplate:
                  spec:
                    containers:
            \(container(p, name: "vllm-worker", args: worker, serving: false, indent: "          "))
            \(volumes(p, name: name, indent: "        "))
            ---
            \(service(name: name, selector: ["leaderworkerset.sigs.k8s.io/name: \(name)", "role: leader"]))

            """
    }
}
