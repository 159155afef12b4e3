/// The engines whose start-up logs `check-log` reads.
public enum LogEngine: String, Sendable, CaseIterable, Codable {
    case vllm
    case sglang
    case llamaCpp = "llama.cpp"
    case ollama

    /// The catalog engine whose memory model applies.
    public var catalogEngine: String { rawValue }

    public var displayName: String {
        switch self {
        case .vllm: "vLLM"
        case .sglang: "SGLang"
        case .llamaCpp: "llama.cpp"
        case .ollama: "Ollama"
        }
    }
}

/// A value read from the log and the line it came from.
public struct LogRead<T: Sendable & Equatable>: Sendable, Equatable {
    public var value: T
    public var line: Int
    public init(_ value: T, line: Int) { self.value = value; self.line = line }
}

/// One figure the engine printed about its memory (or its KV capacity).
public struct LoggedFigure: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        /// Weights resident on one GPU (vLLM "Model loading took", SGLang "mem usage" at load end).
        case weights
        /// The KV cache: vLLM's pool per GPU, SGLang's K + V sizes, llama.cpp's KV buffer.
        case kvCache = "kv_cache"
        /// vLLM's profiled PyTorch activation peak.
        case activation
        /// vLLM's non-torch memory (cuBLAS workspaces, NCCL buffers).
        case nonTorch = "non_torch"
        /// CUDA-graph pool after capture.
        case cudaGraphs = "cuda_graphs"
        /// Tokens the KV cache holds (vLLM "GPU KV cache size", SGLang "#tokens").
        case kvTokens = "kv_tokens"
        /// Sequences of the context length the pool holds at once ("Maximum concurrency").
        case maxConcurrency = "max_concurrency"
        /// What one GPU offers the process (vLLM total_gpu_memory, Ollama's total).
        case gpuTotal = "gpu_total"
        /// vLLM's `gpu_memory_utilization × total`.
        case memoryBudget = "memory_budget"
        /// llama.cpp model buffer on one device ("CUDA0 model buffer size", "CPU_Mapped …").
        case modelBuffer = "model_buffer"
        /// llama.cpp compute buffer on one device.
        case computeBuffer = "compute_buffer"
        /// llama.cpp output (logits) buffer, host memory.
        case outputBuffer = "output_buffer"
        /// The GGUF file's tensor bytes ("file size = 4.58 GiB").
        case fileSize = "file_size"
        /// Parameter count the engine printed ("model params = 8.03 B").
        case parameters
        /// Ollama's own pre-load estimates (server.go/memory.go "offload" line): not allocations.
        case estimatedWeights = "estimated_weights"
        case estimatedKV = "estimated_kv"
        case estimatedGraph = "estimated_graph"
        case estimatedTotal = "estimated_total"

        /// Ollama's plan: what it expected to allocate, not what was allocated.
        public var isEstimate: Bool { [.estimatedWeights, .estimatedKV, .estimatedGraph, .estimatedTotal].contains(self) }
    }

    public enum Unit: String, Sendable, Codable { case bytes, tokens, ratio, count }

    public var kind: Kind
    /// Where the engine says the memory lives: `gpu0` (vLLM/SGLang rank 0), or llama.cpp's buffer
    /// names (`CUDA0`, `CPU_Mapped`, `CUDA_Host`). nil for figures about the whole run.
    public var device: String?
    /// Bytes, tokens, a ratio or a count, as `unit` says.
    public var value: Double
    /// Half a unit of the last printed digit (same unit as `value`).
    public var rounding: Double
    public var line: Int
    /// The log line, cleaned (quoted in the report).
    public var text: String

    public init(kind: Kind, device: String? = nil, value: Double, rounding: Double, line: Int, text: String) {
        self.kind = kind; self.device = device; self.value = value; self.rounding = rounding; self.line = line; self.text = text
    }

    public var unit: Unit {
        switch kind {
        case .kvTokens: .tokens
        case .maxConcurrency: .ratio
        case .parameters: .count
        default: .bytes
        }
    }

    /// llama.cpp buffer names that are host memory: `CPU`, `CPU_Mapped`, `CPU_REPACK`,
    /// `CUDA_Host` (pinned host memory), `Metal_Mapped` is on the GPU of a unified host.
    public var isHostBuffer: Bool {
        guard let d = device?.lowercased() else { return false }
        return d.hasPrefix("cpu") || d.hasSuffix("_host")
    }
}

/// The model dimensions llama.cpp prints while loading a GGUF (`print_info:` in current builds,
/// `llm_load_print_meta:` before b4500): enough to rebuild the model when its name is unknown.
public struct LoggedArchitecture: Sendable, Equatable {
    public var arch: String?
    public var name: String?
    public var vocab: Int64?
    public var embedding: Int64?
    public var layers: Int64?
    public var heads: Int64?
    public var kvHeads: Int64?
    public var headDimK: Int64?
    public var headDimV: Int64?
    public var feedForward: Int64?
    public var experts: Int64?
    public var expertsUsed: Int64?
    public var expertFeedForward: Int64?
    public var sharedExperts: Int64?
    public var leadingDenseLayers: Int64?
    public var contextTrain: Int64?
    public var slidingWindow: Int64?
    public var rotaryDims: Int64?
    public var qLoraRank: Int64?
    public var kvLoraRank: Int64?
    /// "model params = 8.03 B" in parameters.
    public var parameters: Double?
    public var firstLine: Int?

    public init() {}

    public var isEmpty: Bool { embedding == nil && layers == nil && heads == nil }
}

/// Settings the log states, by what they change in memory. nil: the log does not say (the
/// engine's default then applies, and the report says so).
public struct LogSettings: Sendable, Equatable {
    // vLLM
    public var maxModelLen: LogRead<Int64>?
    public var gpuMemoryUtilization: LogRead<Double>?
    public var kvCacheDtype: LogRead<String>?
    public var tensorParallel: LogRead<Int64>?
    public var pipelineParallel: LogRead<Int64>?
    public var dtype: LogRead<String>?
    public var quantization: LogRead<String>?
    public var maxNumSeqs: LogRead<Int64>?
    public var maxNumBatchedTokens: LogRead<Int64>?
    public var enforceEager: LogRead<Bool>?
    public var chunkedPrefill: LogRead<Bool>?
    public var blockSize: LogRead<Int64>?
    /// The request length the engine quoted its concurrency for ("Maximum concurrency for T tokens").
    public var concurrencyTokens: LogRead<Int64>?
    // SGLang
    public var memFractionStatic: LogRead<Double>?
    public var chunkedPrefillSize: LogRead<Int64>?
    public var contextLength: LogRead<Int64>?
    public var maxRunningRequests: LogRead<Int64>?
    // llama.cpp / Ollama
    public var nCtx: LogRead<Int64>?
    public var nSeqMax: LogRead<Int64>?
    public var nBatch: LogRead<Int64>?
    public var nUbatch: LogRead<Int64>?
    public var flashAttention: LogRead<Bool>?
    public var typeK: LogRead<String>?
    public var typeV: LogRead<String>?
    /// Layers offloaded to GPUs and the model's total ("offloaded 33/33 layers to GPU").
    public var gpuLayers: LogRead<Int64>?
    public var totalLayers: LogRead<Int64>?
    /// Ollama's --parallel (sequences sharing --ctx-size).
    public var parallel: LogRead<Int64>?

    public init() {}
}

/// What one engine start-up in a log says: the engine, the model, the settings, the GPU and
/// every memory figure printed, each with its line. Produced by the per-engine parsers; pure data.
public struct EngineLog: Sendable, Equatable {
    public var engine: LogEngine
    /// "0.8.3", "b4701", "0.5.7" when the log prints it.
    public var engineVersion: LogRead<String>?
    /// vLLM: true for the V0 engine ("Initializing a V0 LLM engine", releases before 0.8),
    /// false for V1; nil when the log does not tell.
    public var vllmV0: LogRead<Bool>?
    /// Model name or path as printed (HF repo id, a local path, GGUF general.name).
    public var modelName: LogRead<String>?
    /// llama.cpp's printed dimensions (llama.cpp and Ollama logs).
    public var architecture: LoggedArchitecture?
    /// llama.cpp file type as printed ("Q4_K - Medium").
    public var fileType: LogRead<String>?
    public var settings = LogSettings()
    /// GPU names the log prints ("NVIDIA GeForce RTX 4090").
    public var gpuNames: [LogRead<String>] = []
    /// How many GPUs the run used, when the log says.
    public var gpuCount: LogRead<Int64>?
    /// One GPU's total memory as the process sees it (vLLM, Ollama).
    public var gpuTotal: LogRead<ByteCount>?
    /// Free memory before loading (SGLang "Load weight begin. avail mem"): the GPU holds at least this.
    public var gpuFreeAtStart: LogRead<ByteCount>?
    public var figures: [LoggedFigure] = []
    /// Lines folded into an earlier figure by `addSumming` (each figure quotes its first line).
    public var summed = 0
    /// Start-ups found in the text; the last one with figures is the one read.
    public var startups: Int = 1
    public var firstLine: Int = 1
    public var notes: [String] = []

    public init(engine: LogEngine) { self.engine = engine }

    public func figures(_ k: LoggedFigure.Kind) -> [LoggedFigure] { figures.filter { $0.kind == k } }
    public func first(_ k: LoggedFigure.Kind) -> LoggedFigure? { figures.first { $0.kind == k } }

    /// Adds a figure unless one of the same kind and device is already there (tensor-parallel
    /// workers print the same lines once per rank).
    mutating func addOnce(_ f: LoggedFigure) {
        if !figures.contains(where: { $0.kind == f.kind && $0.device == f.device }) { figures.append(f) }
    }

    /// Adds a figure, summing with an earlier one of the same kind and device (llama.cpp prints a
    /// model buffer line per mapped file and per buffer type).
    mutating func addSumming(_ f: LoggedFigure) {
        if let i = figures.firstIndex(where: { $0.kind == f.kind && $0.device == f.device }) {
            figures[i].value += f.value
            figures[i].rounding += f.rounding
            summed += 1
        } else {
            figures.append(f)
        }
    }
}
