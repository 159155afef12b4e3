import Foundation
import Testing

/// Whole outputs of the CLI compared with files in Tests/vramfitTests/Golden. A change in a
/// formula or a catalog fact shows up here as a diff to review; regenerate on purpose with
/// `VRAMFIT_UPDATE_GOLDEN=1 swift test --filter GoldenOutputTests`.
@Suite struct GoldenOutputTests {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static let cases: [(String, [String])] = [
        ("estimate-qwen2.5-7b-awq-rtx4090.json", ["estimate", "-m", "qwen2.5-7b", "-g", "rtx-4090", "-q", "awq", "-c", "16k", "--json"]),
        ("estimate-llama3.1-8b-q4km-rtx4090.txt", ["estimate", "-m", "llama-3.1-8b", "-g", "rtx-4090", "-q", "q4_k_m", "-c", "32k"]),
        ("estimate-llama3.1-70b-bf16-4xh100.json", ["estimate", "-m", "llama-3.1-70b", "-g", "h100-sxm", "--gpus", "4", "-c", "32k", "--json"]),
        ("estimate-qwen2.5-14b-nf4-t4.txt", ["estimate", "-m", "qwen2.5-14b", "-g", "t4", "-q", "bnb-nf4", "-c", "4096"]),
        ("sweep-qwen2.5-rtx4090.txt", ["sweep", "-g", "rtx-4090", "-m", "qwen2.5", "-c", "4k,32k"]),
    ]

    @Test(arguments: cases.map(\.0))
    func matchesGolden(_ name: String) throws {
        let args = Self.cases.first { $0.0 == name }!.1
        let r = try CLI.run(args)
        #expect(r.status == 0, "\(r.stderr)")
        let file = Self.dir.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["VRAMFIT_UPDATE_GOLDEN"] == "1" {
            try r.stdout.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(r.stdout == expected, "output of vramfit \(args.joined(separator: " ")) differs from Golden/\(name)")
    }
}
