import Foundation
import Testing

@Suite struct AskCommandTests {
    @Test func answersYesFirstAndSaysWhatItAssumed() throws {
        let r = try CLI.run(["ask", "will 14B AWQ fit on 24GB"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("Yes — Qwen2.5-14B-Instruct"))
        #expect(r.stdout.contains("assumed Qwen2.5-14B-Instruct for '14B'"))
        #expect(r.stdout.contains("assumed rtx-4090 for '24GB'"))
        #expect(r.stdout.contains("Other models that match"))
    }

    @Test func noAnswerComesWithWhatToChange() throws {
        let r = try CLI.run(["ask", "can I run llama 3.1 70b q4_k_m on 2x 4090 with 32k context"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("No — Llama-3.1-70B-Instruct (q4_k_m, llama.cpp, 32768 tokens"))
        #expect(r.stdout.contains("2 × NVIDIA GeForce RTX 4090"))
        #expect(r.stdout.contains("What would fit instead:"))
        #expect(r.stdout.contains("shorten the context"))
    }

    @Test func t4HasNoBF16AndFp16IsTooBigForVLLM() throws {
        let r = try CLI.run(["ask", "qwen2.5-7b fp16 on a T4?"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("No — Qwen2.5-7B-Instruct (fp16"))
        #expect(r.stdout.contains("q8_0"))
    }

    @Test func howMuchVRAMListsGPUs() throws {
        let r = try CLI.run(["ask", "how much VRAM for mixtral at 8k"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("needs a GPU with at least"))
        #expect(r.stdout.contains("Fits on:"))
        #expect(r.stdout.contains("8192 tokens"))
    }

    @Test func jsonIsAnArrayOfEstimates() throws {
        let r = try CLI.run(["ask", "--json", "llama-3.1-8b on h100 with vllm, batch 16, fp8 kv cache"])
        #expect(r.status == 0, "\(r.stderr)")
        let arr = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
        #expect(arr.first?["engine"] as? String == "vllm")
        #expect(arr.first?["kv_cache_dtype"] as? String == "fp8")
        #expect(arr.first?["batch"] as? Int == 16)
    }

    /// Nonsense, nothing, a misspelling, and 100 KB of text (one argument may be at most 128 KiB on Linux).
    static let unanswerable = ["hello", "", "lama 3.1 8b on 4090", "huge"]

    @Test(arguments: unanswerable)
    func unanswerableQuestionsExitTwo(_ q: String) throws {
        let text = q == "huge" ? String(repeating: "will it fit 9999999999999999999999k ", count: 2_800) : q
        let r = try CLI.run(["ask", text])
        #expect(r.status == 2, "status \(r.status)")
        #expect(r.stderr.hasPrefix("error:"))
    }

    @Test func misspelledModelGetsSuggestions() throws {
        let r = try CLI.run(["ask", "lama 3.1 8b on 4090"])
        #expect(r.stderr.contains("did you mean"))
        #expect(r.stderr.contains("llama-3.1-8b"))
    }
}
