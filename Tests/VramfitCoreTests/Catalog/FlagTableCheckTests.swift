import Testing
@testable import VramfitCore

/// The command-line reader behind the exporter flag tests: what it accepts and what it reports.
/// Tables here are hand-made; the built-in ones are tested in VramfitCatalogTests.
@Suite struct FlagTableCheckTests {
    static let table = FlagTable(id: "tool", program: "tool serve", version: "1.0", source: ["test"], positionals: 1, flags: [
        .init(name: "--size", aliases: ["-s"], value: .int),
        .init(name: "--ratio", value: .number),
        .init(name: "--mode", values: ["fast", "slow"]),
        .init(name: "--name", value: .text),
        .init(name: "--eager", value: .none),
        .init(name: "num_ctx", kind: .key, scope: "PARAMETER", value: .int),
        .init(name: "TOOL_THREADS", kind: .env, value: .int),
    ])

    @Test func acceptsEverySpellingAndForm() {
        let r = Self.table.check(arguments: ["model-x", "--size", "8", "-s", "4", "--ratio=0.9", "--mode", "slow", "--eager", "--name", "a b"])
        #expect(r.problems.isEmpty, "\(r.problems)")
        #expect(r.positionals == ["model-x"])
        #expect(r.consumed == 11)
    }

    @Test func reportsWhatTheProgramWouldRefuse() {
        let r = Self.table.check(arguments: ["--sise", "8", "--size", "eight", "--mode", "medium", "--eager=1", "m1", "m2", "--ratio"])
        let reasons = r.problems.map(\.reason)
        // --sise is unknown (its word is taken as its value, so it is reported once); one bare word is allowed.
        #expect(reasons == [.unknown, .badValue, .badValue, .unexpectedValue, .missingValue, .extraArgument])
        #expect(r.problems[0].token == "--sise")
        #expect(r.problems[2].description.contains("one of fast, slow"))
        #expect(r.positionals == ["m1", "m2"])
    }

    /// A negative number is a value, not an option; a lone "-" is a bare word.
    @Test func numbersAreValues() {
        let t = FlagTable(id: "t", program: "t", version: "1", source: ["s"], positionals: 1, flags: [.init(name: "--n", value: .int)])
        #expect(t.check(arguments: ["--n", "-1", "-"]).problems.isEmpty)
    }

    /// docker run's options end at the image; what follows belongs to the container.
    @Test func stopsAtTheFirstBareWordWhenAsked() {
        let r = Self.table.check(arguments: ["--size", "2", "image:tag", "--not-ours"], stopAtFirstPositional: true)
        #expect(r.problems.isEmpty)
        #expect(r.consumed == 3)
        #expect(r.positionals == ["image:tag"])
    }

    @Test func keysAndEnvironmentByKindAndScope() {
        #expect(Self.table.check("num_ctx", value: "8192", kind: .key, scope: "PARAMETER") == nil)
        #expect(Self.table.check("num_ctx", value: "8k", kind: .key, scope: "PARAMETER")?.reason == .badValue)
        #expect(Self.table.check("num_ctx", kind: .key, scope: "OTHER")?.reason == .unknown)
        #expect(Self.table.check("num_ctx", kind: .env)?.reason == .unknown)
        #expect(Self.table.check("TOOL_THREADS", value: "4", kind: .env) == nil)
        // Spellings are exact: engines are case-sensitive.
        #expect(Self.table.flag("--SIZE") == nil)
    }

    @Test func shellSplitReadsWhatQuoteWrites() {
        let words = ["vllm", "serve", "<awq checkpoint of Org/Model>", "it's", "--x", "a|b"]
        #expect(Shell.split(words.map(Shell.quote).joined(separator: " ")) == words)
        #expect(Shell.split("  a   'b c'  d\\ e ") == ["a", "b c", "d e"])
    }
}
