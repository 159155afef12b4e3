/// The English around the names: words that carry no name, the keywords that say what a number
/// means, and the generic precision words ("4-bit", "int8") that name no one scheme.
enum AskVocabulary {
    /// Words skipped when looking for an unknown model or GPU name in what is left over.
    static let filler: Set<String> = [
        "a", "an", "the", "i", "me", "my", "we", "our", "you", "your", "it", "its", "this", "that", "these", "those",
        "will", "would", "can", "could", "should", "shall", "may", "might", "must", "does", "do", "did", "is", "are",
        "be", "been", "was", "am", "fit", "fits", "fitting", "run", "runs", "running", "serve", "serving", "host",
        "load", "loading", "use", "using", "used", "with", "without", "on", "onto", "in", "into", "at", "for", "of",
        "to", "and", "or", "by", "from", "as", "per", "if", "how", "much", "many", "what", "which", "whats", "need",
        "needs", "needed", "require", "requires", "required", "requirement", "requirements", "enough", "vram",
        "memory", "mem", "ram", "gpu", "gpus", "card", "cards", "graphics", "device", "devices", "model", "models",
        "llm", "inference", "quant", "quantized", "quantization", "quantised", "weights", "precision", "total",
        "please", "tell", "estimate", "check", "there", "here", "so", "just", "only", "also", "about", "roughly",
        "get", "got", "have", "has", "want", "like", "machine", "laptop", "computer", "pc", "desktop", "box",
        "server", "setup", "rig", "engine", "backend", "local", "locally", "hello", "hi", "hey", "thanks",
        "instruct", "chat", "gguf", "hf", "version", "size", "single", "max", "maximum", "full", "min", "minimum", "one", "go",
        "context", "ctx", "tokens", "token", "batch", "kv", "cache", "bit", "bits", "s", "each", "every", "vs",
        "versus", "than", "params", "parameters", "param", "concurrently", "simultaneously", "once",
        // Organisations in repo ids ("Meta-Llama-3.1-8B", "mistralai/…") and common re-uploaders.
        "meta", "mistralai", "microsoft", "google", "ai", "nvidia", "unsloth", "thebloke", "bartowski", "lmstudio",
        "community", "neuralmagic", "redhatai", "casperhansen",
    ]

    /// Words before a GPU that say how many ("two 4090s", "dual 3090", "a T4").
    static let countWords: [String: Int64] = [
        "one": 1, "single": 1, "two": 2, "dual": 2, "pair": 2, "three": 3, "four": 4, "quad": 4, "five": 5, "six": 6,
        "seven": 7, "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "sixteen": 16,
    ]

    /// Words that say a number is a context length, after it ("32k context", "8192 tokens") …
    static let contextAfter: Set<String> = ["context", "ctx", "tokens", "token", "toks", "tok", "seqlen", "window"]
    /// … or before it ("ctx 4096", "context of 32k", "n_ctx 8192", "max model len 8192").
    static let contextBefore: Set<String> = ["context", "ctx", "len", "length", "seqlen", "window", "tokens"]
    /// Words that may sit between a context keyword and its number.
    static let contextGlue: Set<String> = ["of", "length", "len", "window", "size", "is", "at", "with", "about", "up", "to", "tokens"]

    /// Words that say a number is a batch or a concurrency, after it ("8 concurrent users") …
    static let batchAfter: Set<String> = [
        "concurrent", "parallel", "simultaneous", "users", "user", "requests", "request", "reqs", "sequences",
        "sequence", "seqs", "seq", "streams", "stream", "clients", "sessions", "prompts", "slots", "batch",
    ]
    /// … or before it ("batch 8", "batch size of 16", "concurrency 4", "bs=8", "max_num_seqs 32").
    static let batchBefore: Set<String> = ["batch", "bs", "concurrency", "seqs", "parallel", "np", "slots"]
    static let batchGlue: Set<String> = ["size", "of", "is", "with", "about", "up", "to", "num", "max"]

    /// Words that make the number in front of them a size in billions ("14 billion", "7 b").
    static let billionWords: Set<String> = ["b", "bn", "billion", "billions"]
    /// Units that make a number a memory size: GPU memory is sold in GiB and called GB.
    static let memoryUnits: Set<String> = ["gb", "gib", "g", "gig", "gigs", "gigabyte", "gigabytes"]

    /// Words that make a question a "how much memory" question rather than a "does it fit" one.
    static let howMuchPhrases: [[String]] = [
        ["how", "much"], ["how", "many"], ["what", "vram"], ["what", "gpu"], ["which", "gpu"], ["minimum", "vram"],
        ["vram", "needed"], ["vram", "required"], ["vram", "requirement"], ["vram", "requirements"],
        ["memory", "needed"], ["memory", "required"], ["memory", "requirements"], ["need"], ["needs"],
    ]

    /// Words that ask whether something fits: without a GPU or a size they leave the question open.
    static let fitWords: Set<String> = ["fit", "fits", "fitting", "fitted"]

    /// Precision words that name no single scheme. `preferred` lists catalog scheme ids, most common
    /// first; the resolver takes the first one in the catalog that the chosen engine loads.
    struct GenericScheme: Sendable {
        var phrases: [String]
        var preferred: [String]
    }

    static let genericSchemes: [GenericScheme] = [
        GenericScheme(phrases: ["4bit", "4 bit", "int4", "w4a16", "4bits"], preferred: ["awq", "gptq-int4", "q4_k_m", "bnb-nf4"]),
        GenericScheme(phrases: ["nf4", "qlora"], preferred: ["bnb-nf4"]),
        GenericScheme(phrases: ["8bit", "8 bit", "int8", "w8a16", "8bits"], preferred: ["bnb-int8", "q8_0", "gptq-int8", "fp8"]),
        GenericScheme(phrases: ["fp8", "float8", "w8a8"], preferred: ["fp8"]),
        GenericScheme(phrases: ["16bit", "16 bit", "16bits"], preferred: ["bf16", "fp16"]),
        // llama.cpp shorthand: "Q4" is the common Q4_K_M, and so on.
        GenericScheme(phrases: ["q4"], preferred: ["q4_k_m", "q4_0"]),
        GenericScheme(phrases: ["q5"], preferred: ["q5_k_m", "q5_0"]),
        GenericScheme(phrases: ["q6"], preferred: ["q6_k"]),
        GenericScheme(phrases: ["q8"], preferred: ["q8_0"]),
        GenericScheme(phrases: ["q3"], preferred: ["q3_k_m"]),
        GenericScheme(phrases: ["q2"], preferred: ["q2_k"]),
        GenericScheme(phrases: ["5bit", "5 bit"], preferred: ["q5_k_m"]),
        GenericScheme(phrases: ["6bit", "6 bit"], preferred: ["q6_k"]),
        GenericScheme(phrases: ["3bit", "3 bit"], preferred: ["q3_k_m"]),
        GenericScheme(phrases: ["2bit", "2 bit"], preferred: ["q2_k"]),
    ]

    /// Each generic scheme's phrases in compact form, computed once.
    static let genericSchemeKeys: [[String]] = genericSchemes.map { $0.phrases.map(AskTokenizer.key) }

    static func genericScheme(for compactText: String) -> GenericScheme? {
        genericSchemeKeys.firstIndex { $0.contains(compactText) }.map { genericSchemes[$0] }
    }
}
