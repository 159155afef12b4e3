import Testing
@testable import VramfitCore

/// What the parser reads out of the phrasings people use, before any lookup.
@Suite struct QuestionParserTests {
    let parse = AskTestCatalog.parse

    @Test func bareSizeSchemeAndMemory() {
        let q = parse("will 14B AWQ fit on 24GB")
        #expect(q.model == nil)
        #expect(q.size == 14)
        #expect(q.sizeText == "14B")
        #expect(q.scheme == "AWQ")
        #expect(q.gpu == nil)
        #expect(q.memory == .gib(Int64(24)))
        #expect(q.memoryText == "24GB")
        #expect(q.asksHowMuch == false)
        #expect(q.unrecognized.isEmpty)
    }

    @Test func modelWithSpacesCountAndContext() {
        let q = parse("can I run llama 3.1 70b q4_k_m on 2x 4090 with 32k context")
        #expect(q.model == "llama 3.1 70b")
        #expect(q.scheme == "q4_k_m")
        #expect(q.gpu == "4090")
        #expect(q.gpuCount == 2)
        #expect(q.context == 32768)
        #expect(q.size == nil)
        #expect(q.unrecognized.isEmpty)
    }

    @Test func dottedModelOnATesla() {
        let q = parse("qwen2.5-7b fp16 on a T4?")
        #expect(q.model == "qwen2.5-7b")
        #expect(q.scheme == "fp16")
        #expect(q.gpu == "T4")
        #expect(q.gpuCount == nil)
    }

    @Test func howMuchVRAM() {
        let q = parse("how much VRAM for mixtral at 8k")
        #expect(q.model == "mixtral")
        #expect(q.context == 8192)
        #expect(q.gpu == nil)
        #expect(q.asksHowMuch)
    }

    @Test func engineBatchAndKVCache() {
        let q = parse("llama-3.1-8b on h100 with vllm, batch 16, fp8 kv cache")
        #expect(q.model == "llama-3.1-8b")
        #expect(q.gpu == "h100")
        #expect(q.engine == "vllm")
        #expect(q.batch == 16)
        #expect(q.kvCacheType == "fp8")
        #expect(q.scheme == nil, "fp8 next to 'kv cache' is the cache's type, not the weights'")
    }

    @Test func repoIdAndSpacedMemory() {
        let q = parse("Qwen/Qwen2.5-14B-Instruct awq 24 GB")
        #expect(q.model == "Qwen/Qwen2.5-14B-Instruct")
        #expect(q.scheme == "awq")
        #expect(q.memory == .gib(Int64(24)))
        #expect(q.memoryText == "24 GB")
    }

    @Test(arguments: [
        ("two 4090s", Int64(2), "4090s"), ("4 x A100", 4, "A100"), ("2x4090", 2, "4090"), ("dual RTX 4090", 2, "RTX 4090"),
        ("8x H100", 8, "H100"), ("4090 x2", 2, "4090"), ("2 × 4090", 2, "4090"), ("3 rtx-3090", 3, "rtx-3090"),
        ("4090x2", 2, "4090"), ("a pair of 3090s", 2, "3090s"),
    ])
    func gpuCounts(_ text: String, _ count: Int64, _ gpu: String) {
        let q = parse("llama 3.1 8b on \(text)")
        #expect(q.gpuCount == count, "\(text)")
        #expect(q.gpu == gpu, "\(text)")
    }

    @Test func countWithoutGPUName() {
        let q = parse("how much for llama 3.1 70b on 4 GPUs")
        #expect(q.gpuCount == 4)
        #expect(q.gpu == nil)
        let m = parse("llama 3.1 70b on 2x 24GB")
        #expect(m.gpuCount == 2)
        #expect(m.memory == .gib(Int64(24)))
    }

    @Test func gpuNameWithMemoryIsOneName() {
        let q = parse("mixtral on an A100 80GB")
        #expect(q.gpu == "A100 80GB")
        #expect(q.memory == nil)
    }

    @Test(arguments: [
        ("32k context", Int64(32768)), ("at 8k", 8192), ("with 128k tokens", 131072), ("ctx 4096", 4096),
        ("context of 16k", 16384), ("context length 8192", 8192), ("8192 tokens", 8192), ("n_ctx=2048", 2048),
        ("32,768 tokens", 32768), ("1.5k ctx", 1536), ("16k", 16384), ("1m context", 1_048_576),
    ])
    func contexts(_ text: String, _ tokens: Int64) {
        #expect(parse("qwen2.5-7b \(text)").context == tokens, "\(text)")
    }

    @Test(arguments: [
        ("batch 8", Int64(8)), ("8 concurrent users", 8), ("8 sequences", 8), ("batch size of 32", 32), ("bs=4", 4),
        ("concurrency 12", 12), ("16 parallel requests", 16), ("with 64 users", 64),
    ])
    func batches(_ text: String, _ batch: Int64) {
        #expect(parse("qwen2.5-7b on a 4090, \(text)").batch == batch, "\(text)")
    }

    @Test(arguments: [("with vllm", "vllm"), ("in ollama", "ollama"), ("using llama.cpp", "llama.cpp"), ("llamacpp", "llamacpp"),
                      ("on sglang", "sglang"), ("via transformers", "transformers")])
    func engines(_ text: String, _ engine: String) {
        #expect(parse("qwen2.5-7b \(text)").engine == engine, "\(text)")
    }

    @Test(arguments: [("fp8 kv cache", "fp8"), ("q8_0 cache", "q8_0"), ("kv cache q4_0", "q4_0"), ("--kv-cache-dtype fp8_e4m3", "fp8_e4m3"),
                      ("kv-cache fp16", "fp16"), ("e5m2 kv cache", "e5m2")])
    func kvCacheTypes(_ text: String, _ kv: String) {
        let q = parse("llama 3.1 8b q4_k_m \(text)")
        #expect(q.kvCacheType == kv, "\(text)")
        #expect(q.scheme == "q4_k_m", "\(text)")
    }

    @Test(arguments: ["AWQ", "q4_k_m", "Q4_K_M", "fp16", "4-bit", "int4", "nf4", "8bit", "GPTQ", "bnb-4bit", "Q8_0"])
    func schemes(_ text: String) {
        #expect(parse("qwen2.5-7b \(text) on a 4090").scheme == text)
    }

    @Test func namedSchemeBeatsPrecisionWord() {
        #expect(parse("qwen2.5-7b 4-bit awq").scheme == "awq")
    }

    @Test(arguments: [("4090", "4090"), ("RTX 4090", "RTX 4090"), ("a T4", "T4"), ("h100", "h100"), ("rtx4090", "rtx4090"),
                      ("NVIDIA GeForce RTX 4090", "NVIDIA GeForce RTX 4090"), ("H100 SXM", "H100 SXM")])
    func gpus(_ text: String, _ gpu: String) {
        #expect(parse("will llama 3.1 8b fit on \(text)").gpu == gpu, "\(text)")
    }

    @Test(arguments: [("24GB", 24), ("24 GB", 24), ("16gb vram", 16), ("48 gigs", 48), ("80GiB", 80)])
    func bareMemory(_ text: String, _ gib: Int64) {
        let q = parse("can qwen2.5-7b run in \(text)")
        #expect(q.memory == .gib(gib), "\(text)")
        #expect(q.gpu == nil, "\(text)")
    }

    @Test(arguments: [("llama 3.1 70b", "llama 3.1 70b"), ("Llama-3.1-70B-Instruct", "Llama-3.1-70B-Instruct"), ("qwen2.5 7b", "qwen2.5 7b"),
                      ("qwen25-7b", "qwen25-7b"), ("mixtral 8x7b", "mixtral 8x7b"), ("meta-llama/Llama-3.1-8B-Instruct", "meta-llama/Llama-3.1-8B-Instruct"),
                      ("Qwen2.5-7B-Instruct-AWQ", "Qwen2.5-7B-Instruct"), ("llama_3.1_8b", "llama_3.1_8b"), ("phi4", "phi4")])
    func modelNames(_ text: String, _ model: String) {
        #expect(parse("\(text) on a 4090").model == model, "\(text)")
    }

    @Test func organisationPrefixIsNotNoise() {
        let q = parse("Meta-Llama-3.1-8B-Instruct on h100")
        #expect(q.model == "Llama-3.1-8B-Instruct")
        #expect(q.unrecognized.isEmpty)
    }

    @Test func longestModelNameWins() {
        // "mixtral" is an alias of both; "mixtral-8x22b" is longer and names one.
        #expect(parse("mixtral-8x22b on 4x h100").model == "mixtral-8x22b")
    }

    @Test func modelNameInsideALongerNameIsNotTaken() {
        #expect(parse("phi-4-mini on a 4090").model == "phi-4-mini")
        #expect(parse("deepseek-r1-distill-qwen-7b on a 4090").model == "deepseek-r1-distill-qwen-7b")
        #expect(parse("mixtral small on a 4090").model == "mixtral small")
        #expect(parse("qwen2.5-7b coder on a 4090").model == "qwen2.5-7b coder")
        #expect(parse("qwen2.5-7b at max context on a 4090").model == "qwen2.5-7b")
    }

    @Test func unknownGPUKeepsItsCount() {
        for text in ["4x a6000", "4 x a6000", "four a6000"] {
            let q = parse("qwen2.5-7b on \(text)")
            #expect(q.gpu == "a6000", "\(text)")
            #expect(q.gpuCount == 4, "\(text)")
        }
    }

    @Test func misspelledModelIsKeptForSuggestions() {
        let q = parse("lama 3.1 8b")
        #expect(q.model == "lama 3.1 8b")
        #expect(q.size == nil)
    }

    @Test func unknownGPUAfterOn() {
        let q = parse("will llama 3.1 8b fit on my 3080")
        #expect(q.gpu == "3080")
    }

    @Test func nonsenseNamesNothing() {
        let q = parse("hello")
        #expect(q.model == nil && q.size == nil && q.gpu == nil && q.scheme == nil)
        let r = parse("purple elephants dance")
        #expect(r.model == nil)
        #expect(r.unrecognized == ["purple elephants dance"])
    }

    @Test func fitWithoutTargetIsNotHowMuch() {
        #expect(parse("will llama 3.1 8b fit?").asksHowMuch == false)
        #expect(parse("llama 3.1 8b q4_k_m").asksHowMuch)
        #expect(parse("can I run qwen2.5-7b").asksHowMuch)
    }

    @Test func empty() {
        #expect(parse("") == Question(asksHowMuch: true))
        #expect(parse("   \n\t ") == Question(asksHowMuch: true))
    }
}
