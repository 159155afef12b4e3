@testable import VramfitCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Benchmark of the `ask` question parser and resolver, built without sanitizers (`sh Fuzz/bench-ask.sh`).
///
/// Times N generated questions (seeded, so every run times the same ones) against the question
/// tests' catalog (`AskTestCatalog`, shaped like the built-in one), in three shapes: questions made
/// of real words and names, the same with random printable noise, and random bytes as libFuzzer
/// feeds them. `--dump FILE` writes every question's parse and resolution instead, so two builds
/// can be compared for identical behaviour (`cmp` the files).
///
/// Usage: BenchAsk [N] [--index-only] [--dump FILE]
@main
enum BenchAsk {
    static let pieces = ["llama", "3.1", "70b", "14B", "q4_k_m", "awq", "4-bit", "on", "2x", "x", "4090", "a100", "80gb", "24 GB", "kv",
                         "cache", "fp8", "batch", "8", "k", "32k", "ctx", "at", "with", "vllm", "ollama", "how", "much", "fit", "🚀", "-",
                         ".", "_", "/", "99999999999999999999", "0", "×", ",", "?", "mixtral", "8x7b", "Qwen/Qwen2.5-14B-Instruct", "é",
                         "\u{301}", "tokens", "can", "I", "run", "lama", "mixtrl", "qwen", "phi-4-mini", "h100", "t4", "gguf", "int8",
                         "context", "users", "concurrent", "two", "dual", "gpus", "16GB", "llama.cpp", "q8_0", "cache-type-k", "e5m2",
                         "hello", "purple", "elephants", "qwen2.5-7b-instruct", "meta-llama/Llama-3.1-70B-Instruct", "sglang", "tgi"]

    enum Shape: String, CaseIterable { case words, noisy, bytes }

    static func question(_ shape: Shape, _ rng: inout SplitMix64) -> String {
        switch shape {
        case .words:
            var text = ""
            for _ in 0..<Int(rng.next() % 16) {
                text += pieces[Int(rng.next() % UInt64(pieces.count))]
                if rng.next() % 3 != 0 { text += " " }
            }
            return text
        case .noisy:
            var text = ""
            while text.utf8.count < Int(rng.next() % 256) {
                if rng.next() % 2 == 0 {
                    text += pieces[Int(rng.next() % UInt64(pieces.count))]
                } else {
                    text.unicodeScalars.append(Unicode.Scalar(UInt8(32 + rng.next() % 95)))
                }
            }
            return text
        case .bytes:
            let bytes = (0..<Int(rng.next() % 257)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    static func describe(_ text: String, _ q: Question, _ catalog: AskIndex) -> String {
        var out = "Q \(text.debugDescription)\nP \(q)\n"
        do {
            let r = try catalog.resolve(q)
            out += "R \(r.model.id) \(r.scheme?.id ?? "-") \(r.gpu?.id ?? "-")x\(r.gpuCount) ctx \(r.context.map(String.init) ?? "-") batch \(r.batch) "
                + "\(r.engine?.id ?? "-") \(r.kvCacheType?.id ?? "-") howMuch \(r.asksHowMuch) \(r.assumptions) \(r.alternatives) \(r.gpuAlternatives)\n"
        } catch {
            out += "E \(error)\n"
        }
        return out
    }

    /// CPU time of this thread: the machine is shared, and wall time would count the others' work.
    static func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    }

    static func main() {
        var args = Array(CommandLine.arguments.dropFirst())
        var dumpPath: String?
        let indexOnly = args.contains("--index-only")
        args.removeAll { $0 == "--index-only" }
        if let i = args.firstIndex(of: "--dump"), i + 1 < args.count { dumpPath = args[i + 1]; args.removeSubrange(i...(i + 1)) }
        let n = args.first.flatMap { Int($0) } ?? 20_000
        let catalog = AskTestCatalog.catalog
        let index = AskIndex(catalog)
        let start = cpuSeconds()
        for _ in 0..<20 { _ = AskIndex(catalog) }
        let indexMicroseconds = (cpuSeconds() - start) / 20 * 1e6
        if let dumpPath {
            guard let f = fopen(dumpPath, "w") else { print("cannot write \(dumpPath)"); exit(2) }
            for shape in Shape.allCases {
                var rng = SplitMix64(seed: 7)
                for _ in 0..<n {
                    let text = question(shape, &rng)
                    fputs(describe(text, QuestionParser.parse(text, index: index), index), f)
                }
            }
            fclose(f)
            return
        }
        print("CPU µs per question   parse  parse+resolve  (catalog: builds the name index per call; index: AskIndex built once)")
        print("AskIndex(catalog): \(format1(indexMicroseconds)) µs")
        for shape in Shape.allCases {
            var rng = SplitMix64(seed: 7)
            let questions = (0..<n).map { _ in question(shape, &rng) }
            var sink = 0
            func time(_ body: (String) -> Int) -> Double {
                let start = cpuSeconds()
                for t in questions { sink &+= body(t) }
                return (cpuSeconds() - start) / Double(n) * 1e6
            }
            if !indexOnly {
                let catalogParse = time { QuestionParser.parse($0, catalog: catalog).unrecognized.count }
                let catalogBoth = time { (try? catalog.resolve(QuestionParser.parse($0, catalog: catalog)))?.assumptions.count ?? 1 }
                print("\(shape.rawValue.rightPad(6)) catalog \(format1(catalogParse).leftPad(9)) \(format1(catalogBoth).leftPad(14))")
            }
            let indexParse = time { QuestionParser.parse($0, index: index).unrecognized.count }
            let indexBoth = time { (try? index.resolve(QuestionParser.parse($0, index: index)))?.assumptions.count ?? 1 }
            print("\(shape.rawValue.rightPad(6)) index   \(format1(indexParse).leftPad(9)) \(format1(indexBoth).leftPad(14))   (n = \(n)\(sink == -1 ? "" : ""))")
        }
    }

    static func format1(_ x: Double) -> String { String(Double(Int(x * 10)) / 10) }
}

/// Same generator as the robustness tests (Tests/VramfitCoreTests/Ask/QuestionRobustnessTests.swift).
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

extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
    func rightPad(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}
