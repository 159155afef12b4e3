/// What a question in plain words says, before anything is looked up: names are kept as typed so
/// that answers and errors can quote them back ("assumed rtx-4090 for '24GB'").
///
/// `QuestionParser.parse` fills it in; `Catalog.resolve` turns it into catalog entries. Fields
/// are nil when the question does not say.
public struct Question: Sendable, Equatable {
    /// The model as typed ("llama 3.1 70b", "Qwen/Qwen2.5-14B-Instruct"). Also set for a name the
    /// catalog does not know but that looks like a model ("lama 3.1 8b"), so the resolver can
    /// suggest the closest ones.
    public var model: String?
    /// A size with no model name ("14B"), in billions of parameters, and as typed.
    public var size: Double?
    public var sizeText: String?
    /// The weight quantization as typed ("AWQ", "Q4_K_M", "4-bit").
    public var scheme: String?
    /// The GPU as typed ("RTX 4090", "a100 80gb"), or the words after "on" when no catalog GPU
    /// is named there ("on my 3090"), so the resolver can say it does not know it.
    public var gpu: String?
    /// "2x 4090", "two 4090s", "4 x A100", "8 GPUs".
    public var gpuCount: Int64?
    /// A memory size given instead of a GPU ("24GB", "16 gb vram"): GPU marketing GB, read as GiB.
    public var memory: ByteCount?
    public var memoryText: String?
    /// Context length in tokens; "k" means ×1024 ("32k" → 32768).
    public var context: Int64?
    /// Sequences at once: "batch 8", "8 concurrent users", "8 sequences".
    public var batch: Int64?
    public var engine: String?
    /// KV-cache element type, from "fp8 kv cache", "q8_0 cache", "kv cache q4_0".
    public var kvCacheType: String?
    /// A "how much VRAM" question: no GPU or memory size is given, and the question does not ask
    /// whether something fits without saying on what. The answer is the memory needed.
    public var asksHowMuch: Bool
    /// Words left over that name nothing the parser knows ("hello"), as typed.
    public var unrecognized: [String]
    /// Things understood but not used, as sentences: a number too large to hold, a second model.
    public var ignored: [String]
    /// The question was longer than `QuestionParser.maxLength` and only its start was read.
    public var truncated: Bool

    public init(model: String? = nil, size: Double? = nil, sizeText: String? = nil, scheme: String? = nil,
                gpu: String? = nil, gpuCount: Int64? = nil, memory: ByteCount? = nil, memoryText: String? = nil,
                context: Int64? = nil, batch: Int64? = nil, engine: String? = nil, kvCacheType: String? = nil,
                asksHowMuch: Bool = false, unrecognized: [String] = [], ignored: [String] = [], truncated: Bool = false) {
        self.model = model; self.size = size; self.sizeText = sizeText; self.scheme = scheme; self.gpu = gpu
        self.gpuCount = gpuCount; self.memory = memory; self.memoryText = memoryText; self.context = context
        self.batch = batch; self.engine = engine; self.kvCacheType = kvCacheType; self.asksHowMuch = asksHowMuch
        self.unrecognized = unrecognized; self.ignored = ignored; self.truncated = truncated
    }
}
