/// A question with its names looked up in the catalog and what was assumed to get there.
///
/// Optional entries are ones the question left open: `scheme` nil means the model's own default,
/// `engine` nil the CLI's default engine, `gpu` nil a "how much VRAM" question (answer with the
/// total memory needed), `context` nil the engine's default context.
public struct ResolvedQuestion: Sendable {
    public var question: Question
    public var model: Model
    public var scheme: QuantScheme?
    public var gpu: GPU?
    /// GPUs of that kind; 1 unless the question says ("2x 4090").
    public var gpuCount: Int64
    public var context: Int64?
    /// Sequences at once; 1 unless the question says.
    public var batch: Int64
    public var engine: Engine?
    public var kvCacheType: KVCacheType?
    public var asksHowMuch: Bool
    /// Sentences for the user: what was assumed where the question was loose or ambiguous
    /// ("assumed rtx-4090 for '24GB'"), and what was ignored.
    public var assumptions: [String]
    /// Ids of the other models the question could mean (a bare "14B", a shared alias), most common first.
    public var alternatives: [String]
    /// Ids of the other GPUs the question could mean ("a100" → the 40 GB one too).
    public var gpuAlternatives: [String]

    public init(question: Question, model: Model, scheme: QuantScheme? = nil, gpu: GPU? = nil, gpuCount: Int64 = 1,
                context: Int64? = nil, batch: Int64 = 1, engine: Engine? = nil, kvCacheType: KVCacheType? = nil,
                asksHowMuch: Bool = false, assumptions: [String] = [], alternatives: [String] = [], gpuAlternatives: [String] = []) {
        self.question = question; self.model = model; self.scheme = scheme; self.gpu = gpu; self.gpuCount = gpuCount
        self.context = context; self.batch = batch; self.engine = engine; self.kvCacheType = kvCacheType
        self.asksHowMuch = asksHowMuch; self.assumptions = assumptions; self.alternatives = alternatives
        self.gpuAlternatives = gpuAlternatives
    }

    /// The workload the question describes, GPUs as tensor-parallel ranks (how people run "2x 4090").
    public var workload: Workload {
        Workload(context: context, batch: batch, kvCacheType: kvCacheType?.id, tensorParallel: gpuCount)
    }
}
