import ArgumentParser
import Foundation
import VramfitCatalog
import VramfitCore

@main
struct Vramfit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vramfit",
        abstract: "Will this model, in this quantization, at this context, fit on this GPU — and how should I launch it?",
        discussion: """
            Exit codes: 0 an answer was given (fits or not); 1 with --check when it does not fit;
            2 invalid input (unknown model/GPU/scheme, bad values, malformed catalog YAML);
            3 plan/sweep found nothing that fits and that no rule forbids.
            """,
        version: "0.1.0",
        subcommands: [AskCommand.self, EstimateCommand.self, PlanCommand.self, SweepCommand.self, ExportCommand.self, ValidateCommand.self, CatalogCommand.self, CheckLogCommand.self, CUDACommand.self]
    )

    /// ArgumentParser exits 64 for usage errors; vramfit's contract is 2 for every kind of bad input.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            Self.exit(withError: mapped(error))
        }
    }

    static func mapped(_ error: Error) -> Error {
        if let e = error as? ExitCode { return e }
        if error is CLIError || error is LookupError || error is CatalogError || error is EstimateError || error is QuestionError || error is ExportError {
            // CatalogError reads "file:line:column: error: …" already, the form editors jump to.
            let text = error is CatalogError ? "\(error)" : "error: \(error)"
            FileHandle.standardError.write(Data((text + "\n").utf8))
            return ExitCode(2)
        }
        let code = exitCode(for: error)
        if code == .validationFailure {
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            return ExitCode(2)
        }
        return error
    }
}

/// An input problem found by the CLI itself (conflicting flags, unreadable file).
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
