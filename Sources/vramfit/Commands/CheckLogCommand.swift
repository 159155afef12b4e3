import ArgumentParser
import Foundation
import VramfitCatalog
import VramfitCore

/// `vramfit check-log FILE`: an engine's start-up log beside vramfit's prediction for the same
/// model, scheme, GPU and settings, figure by figure.
struct CheckLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-log",
        abstract: "Compare a vLLM, SGLang, llama.cpp or Ollama start-up log with vramfit's prediction, figure by figure.",
        discussion: "Reads the lines where the engine prints its settings and its memory split (docs/check-log.md lists them), "
            + "works out the model, scheme, GPU and settings, runs the estimator for exactly that configuration and prints every "
            + "logged figure beside the prediction with the error. FILE '-' reads standard input. Exit 0 with a comparison; 2 when "
            + "the file cannot be read or holds no engine start-up, or the model/GPU cannot be told (use --model/--gpu/--quant)."
    )

    @Argument(help: "The log file ('-' for standard input).")
    var file: String
    @Option(name: .shortAndLong, help: "Model id or alias, when the log does not name it (or names one the catalog lacks).")
    var model: String?
    @Option(name: .shortAndLong, help: "GPU id or alias, when the log does not name it.")
    var gpu: String?
    @Option(name: .shortAndLong, help: "Quantization scheme, when the log does not say it.")
    var quant: String?
    @Option(help: ArgumentHelp("Read the log as this engine's (vllm, sglang, llama.cpp, ollama) instead of detecting it.", valueName: "ENGINE"))
    var engine: String?
    @OptionGroup var catalog: CatalogOptions
    @Flag(help: "Print one JSON object (schema_version 1, see docs/check-log.md).")
    var json = false

    /// Logs beyond this are cut from the front: start-ups are read from the end.
    static let maxBytes = 64 << 20

    func validate() throws {
        if let e = engine, LogEngine(rawValue: e.lowercased()) == nil, !["llamacpp", "llama-cpp"].contains(e.lowercased()) {
            throw ValidationError("unknown engine '\(e)'; one of vllm, sglang, llama.cpp, ollama")
        }
    }

    func run() throws {
        let (text, cut) = try Self.read(file)
        let cat = try catalog.load()
        let forced = engine.map { $0.lowercased() }.map { ["llamacpp", "llama-cpp"].contains($0) ? LogEngine.llamaCpp : LogEngine(rawValue: $0)! }
        let options = LogCheckOptions(model: model, gpu: gpu, quant: quant, engine: forced)
        var check: LogCheck
        do {
            check = try LogChecker.check(text, catalog: cat, options: options)
        } catch let e as LogCheckError {
            throw CLIError("\(file): \(e)")
        }
        if cut { check.notes.insert("the file is larger than \(Self.maxBytes >> 20) MiB: read its last \(Self.maxBytes >> 20) MiB", at: 0) }
        if json {
            print(try JSONOutput.string(CheckLogJSON(check, file: file)))
        } else {
            print(CheckLogTable.render(check, file: file))
        }
    }

    /// The file's text (and whether it was cut to its last `maxBytes`); bytes that are not UTF-8
    /// are replaced, never fatal (a log is a log).
    static func read(_ path: String) throws -> (String, Bool) {
        let data: Data
        var cut = false
        if path == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw CLIError("\(path): no such file") }
            guard !isDir.boolValue else { throw CLIError("\(path): is a directory, not a log file") }
            guard let handle = FileHandle(forReadingAtPath: path) else { throw CLIError("\(path): cannot be read (permissions?)") }
            defer { try? handle.close() }
            let size = (try? handle.seekToEnd()) ?? 0
            if size > UInt64(maxBytes) {
                cut = true
                try handle.seek(toOffset: size - UInt64(maxBytes))
            } else {
                try handle.seek(toOffset: 0)
            }
            data = handle.readDataToEndOfFile()
        }
        return (String(decoding: data, as: UTF8.self), cut)
    }
}
