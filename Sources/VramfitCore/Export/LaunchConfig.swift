/// An exporter's answer: the command to run, the files it reads, the environment it needs and
/// what the user must know (placeholders to fill, limits of the translation).
public struct LaunchConfig: Sendable, Equatable {
    public var target: ExportTarget
    /// argv, one element per argument, unquoted.
    public var command: [String]
    /// Environment variables in the order they should be set.
    public var environment: [EnvVar]
    /// File name → contents, in the order they are printed.
    public var files: [File]
    public var notes: [String]

    public struct EnvVar: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) { self.name = name; self.value = value }
    }

    public struct File: Sendable, Equatable {
        public var name: String
        public var text: String
        public init(_ name: String, _ text: String) { self.name = name; self.text = text }
    }

    public init(target: ExportTarget, command: [String], environment: [EnvVar] = [], files: [File] = [], notes: [String] = []) {
        self.target = target; self.command = command; self.environment = environment; self.files = files; self.notes = notes
    }

    /// The command as one copy-pastable shell line: the program, then each flag with its value
    /// on a continuation line, so a diff of two exports shows which flag changed.
    public var shellCommand: String {
        // A group is the program and its leading words, or one --flag with at most one value;
        // a second bare word (docker's image after its options) starts its own line.
        var groups: [[String]] = [[]]
        for arg in command {
            let last = groups[groups.count - 1]
            let flagGroup = last.first?.hasPrefix("--") == true
            if !last.isEmpty && (arg.hasPrefix("--") || (flagGroup && last.count >= 2)) { groups.append([]) }
            groups[groups.count - 1].append(Shell.quote(arg))
        }
        let body = groups.map { $0.joined(separator: " ") }.joined(separator: " \\\n  ")
        let env = environment.map { "\($0.name)=\(Shell.quote($0.value))" }.joined(separator: " ")
        return env.isEmpty ? body : env + " " + body
    }
}

enum Shell {
    /// Single-quotes an argument when the shell would otherwise split or expand it.
    static func quote(_ s: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=,@+%")
        if !s.isEmpty && s.allSatisfy({ safe.contains($0) }) { return s }
        return "'" + s.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }
}

/// Why an export cannot be written: the engine cannot run the configuration as estimated.
public enum ExportError: Error, Equatable, CustomStringConvertible {
    case unsupported(target: ExportTarget, reason: String)
    case engineMismatch(target: ExportTarget, engine: String)

    public var description: String {
        switch self {
        case .unsupported(let t, let why): "cannot export to \(t.rawValue): \(why)"
        case .engineMismatch(let t, let e):
            "cannot export to \(t.rawValue): the estimate is for engine \(e); leave out --engine or pass --engine \(t.engineId)"
        }
    }
}
