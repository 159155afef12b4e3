import Testing
@testable import VramfitCore

@Suite struct QuestionExploreScratch {
    @Test func explore() {
        let qs = ["Can I run Llama 3.1 70B at Q4_K_M on two RTX 4090s with 32k context?",
                  "how much vram do i need for qwen2.5 14b awq with 8 concurrent users at 16k",
                  "mixtral 8x7b on a single a100 80gb in vllm",
                  "will phi-4 fit in 16gb with llama.cpp and q8_0 kv cache",
                  "llama3.1-8b bnb-4bit transformers 3090",
                  "Will a 70b model fit on 2x 24GB cards?",
                  "qwen 7b in 4-bit on my laptop with 8gb",
                  "deepseek v3 on 8x h100",
                  "14B",
                  "can I run a 7B model",
                  "run mixtral on t4, 4k ctx, batch 4",
                  "8x7b",
                  "llama 3.1 8b instruct q4_k_m.gguf ollama 8k",
                  "Meta-Llama-3.1-8B-Instruct on h100",
                  "llama 3.1 8b fp8 on h100",
                  "qwen2.5-7b on a T4 with 4 users at 4096 tokens each",
                  "llama 3.1 8b at 8k on a 4090 with 16 gb",
                  "hello world",
                  "mixtrl on 4090",
                  "llama on 4090",
                  "qwen3 14b on 4090",
                  "Qwen3-14B on 4090 with 40k context",
                  "what gpu do I need for llama 3.1 70b"]
        for s in qs {
            let q = QuestionParser.parse(s, catalog: AskTestCatalog.catalog)
            print("EXPLORE \(s)\n   -> \(q)")
            do {
                let r = try AskTestCatalog.catalog.resolve(q)
                print("   => model \(r.model.id) scheme \(r.scheme?.id ?? "-") gpu \(r.gpu?.id ?? "-") x\(r.gpuCount) ctx \(r.context.map(String.init) ?? "-") batch \(r.batch) engine \(r.engine?.id ?? "-") kv \(r.kvCacheType?.id ?? "-") howMuch \(r.asksHowMuch)\n   => \(r.assumptions)")
            } catch { print("   => error: \(error)") }
        }
    }
}
