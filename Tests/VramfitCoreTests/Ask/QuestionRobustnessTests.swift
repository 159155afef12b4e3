import Testing
@testable import VramfitCore

/// Whatever is typed or pasted, the parser returns quickly and nothing traps.
@Suite struct QuestionRobustnessTests {
    let parse = AskTestCatalog.parse

    /// Parses and resolves; any thrown error is fine, a trap is not.
    func survive(_ text: String) -> Question {
        let q = parse(text)
        _ = try? AskTestCatalog.catalog.resolve(q)
        return q
    }

    @Test func hugeInputIsCutAndFast() {
        let text = String(repeating: "can I run llama 3.1 8b on 2x 4090 🚀 at 32k? ", count: 5000)  // ~220 KB
        #expect(text.utf8.count > 200_000)
        let clock = ContinuousClock()
        var q = Question()
        let elapsed = clock.measure { q = survive(text) }
        #expect(elapsed < .seconds(2))
        #expect(q.truncated)
        #expect(q.model == "llama 3.1 8b")
        #expect(q.gpuCount == 2)
        #expect(q.context == 32768)
    }

    /// Inputs built inside the test, so the test log names them instead of printing 200 KB.
    static func pathological(_ name: String) -> String {
        switch name {
        case "200 KB of one letter": String(repeating: "a", count: 200_000)
        case "200 KB of one digit": String(repeating: "9", count: 200_000)
        case "one grapheme of 200,001 scalars": "e" + String(repeating: "\u{301}", count: 200_000)
        case "60,000 emoji": String(repeating: "🚀", count: 60_000)
        case "separators only": String(repeating: "-_/.", count: 60_000)
        case "40,000 GPU names": String(repeating: "4090 ", count: 40_000)
        case "25,000 kv caches": String(repeating: "kv cache ", count: 25_000)
        case "100,000 dotted numbers": String(repeating: "1.", count: 100_000)
        case "a wall of words": String(repeating: "purple elephants dance ", count: 10_000)
        default: String(repeating: "zq7 ", count: 50_000)
        }
    }

    @Test(arguments: ["200 KB of one letter", "200 KB of one digit", "one grapheme of 200,001 scalars", "60,000 emoji", "separators only",
                      "40,000 GPU names", "25,000 kv caches", "100,000 dotted numbers", "a wall of words", "a wall of model-like words"])
    func pathologicalInputs(_ name: String) {
        let text = Self.pathological(name)
        #expect(text.utf8.count >= 100_000)
        let clock = ContinuousClock()
        let elapsed = clock.measure { _ = survive(text) }
        #expect(elapsed < .seconds(2))
    }

    @Test func overflowingNumbersAreIgnored() {
        let q = survive("llama 3.1 8b with 99999999999999999999k context on 99999999999999999999x h100, batch 99999999999999999999, in 99999999999999999999gb")
        #expect(q.model == "llama 3.1 8b")
        #expect(q.context == nil)
        #expect(q.gpuCount == nil)
        #expect(q.batch == nil)
        #expect(q.memory == nil)
        #expect(q.gpu == "h100")
        #expect(q.ignored.count == 4)
    }

    @Test func hugeNumbersOfEveryShape() {
        let digits = String(repeating: "9", count: 1000)
        for text in ["\(digits)k", "\(digits)b on a 4090", "\(digits).5k", "ctx \(digits)", "\(digits)x 4090", "1e999 tokens",
                     "9223372036854775807 tokens", "9223372036854775808k ctx", "8796093022208k", "0k context", "0gb", "0x 4090",
                     "0b", "0.0000001b on a 4090", "-5 gpus", "batch -1", "3.", ".5k", "1..2k", "99999999999999999999b on a t4"] {
            _ = survive(text)
        }
        #expect(survive("9223372036854775807 tokens").context == nil, "Int64.max does not survive the trip through Double")
        #expect(survive("1099511627776 tokens").context == 1 << 40, "large but representable: kept, the estimator judges it")
        #expect(throws: QuestionError.self) { try AskTestCatalog.resolve("99999999999999999999b on a t4") }
    }

    @Test func randomInputNeverTraps() {
        var rng = SplitMix64(seed: 42)
        let pieces = ["llama", "3.1", "70b", "14B", "q4_k_m", "awq", "4-bit", "on", "2x", "x", "4090", "a100", "80gb", "24 GB", "kv", "cache",
                      "fp8", "batch", "8", "k", "32k", "ctx", "at", "with", "vllm", "ollama", "how", "much", "fit", "🚀", "-", ".", "_", "/",
                      "99999999999999999999", "0", "×", ",", "?", "mixtral", "8x7b", "Qwen/Qwen2.5-14B-Instruct", "é", "\u{301}", "tokens"]
        for _ in 0..<1000 {
            let n = Int(rng.next() % 12)
            var text = ""
            for _ in 0..<n {
                text += pieces[Int(rng.next() % UInt64(pieces.count))]
                if rng.next() % 3 != 0 { text += " " }
            }
            _ = survive(text)
        }
    }
}

/// A small deterministic generator, so a failing fuzz case reproduces.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
