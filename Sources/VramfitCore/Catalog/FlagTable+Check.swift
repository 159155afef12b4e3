/// Reading a command line, a config key or an environment variable the way the program would,
/// against its `FlagTable`: every name must be one of its spellings and every value one the
/// option takes. Used by the exporter tests and by `vramfit export` as a last guard.
public struct FlagProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Reason: String, Sendable {
        case unknown = "not an option of"
        case missingValue = "needs a value in"
        case badValue = "has a value not accepted by"
        case unexpectedValue = "takes no value in"
        case extraArgument = "is an extra bare argument for"
    }

    public var reason: Reason
    public var table: String
    public var version: String
    public var token: String
    public var detail: String?

    public var description: String {
        "'\(token)' \(reason.rawValue) \(table) \(version)" + (detail.map { " (\($0))" } ?? "")
    }
}

/// What `FlagTable.check(arguments:)` found: the problems, the bare words in order, and how many
/// arguments were read (all of them, or up to the first bare word when asked to stop there).
public struct FlagCheck: Sendable, Equatable {
    public var problems: [FlagProblem]
    public var positionals: [String]
    public var consumed: Int
}

extension FlagTable {
    /// Reads `arguments` (the words after the program) as a GNU-style parser does: `--name value`,
    /// `--name=value`, switches, and bare words. `stopAtFirstPositional` ends the reading at the
    /// first bare word (docker's image, after which the container's own arguments follow).
    public func check(arguments: [String], stopAtFirstPositional: Bool = false) -> FlagCheck {
        var problems: [FlagProblem] = [], positionals: [String] = []
        var i = 0
        func problem(_ r: FlagProblem.Reason, _ token: String, _ detail: String? = nil) {
            problems.append(FlagProblem(reason: r, table: id, version: version, token: token, detail: detail))
        }
        while i < arguments.count {
            let arg = arguments[i]
            guard arg.hasPrefix("-"), arg.count > 1, Double(arg) == nil else {
                positionals.append(arg)
                i += 1
                if stopAtFirstPositional { break }
                continue
            }
            var name = arg, inline: String?
            if arg.hasPrefix("--"), let eq = arg.firstIndex(of: "=") {
                name = String(arg[..<eq]); inline = String(arg[arg.index(after: eq)...])
            }
            i += 1
            guard let f = flag(name) else {
                // Report the unknown option once: a word after it is taken as its value, not as a stray argument.
                problem(.unknown, name)
                if inline == nil, i < arguments.count, !arguments[i].hasPrefix("-") || Double(arguments[i]) != nil { i += 1 }
                continue
            }
            if f.value == .none {
                if inline != nil { problem(.unexpectedValue, name) }
                continue
            }
            let value: String
            if let inline { value = inline } else {
                guard i < arguments.count else { problem(.missingValue, name); continue }
                value = arguments[i]; i += 1
            }
            if let why = f.rejects(value) { problem(.badValue, "\(name) \(value)", why) }
        }
        if !stopAtFirstPositional, positionals.count > self.positionals {
            for extra in positionals.dropFirst(self.positionals) { problem(.extraArgument, extra) }
        }
        return FlagCheck(problems: problems, positionals: positionals, consumed: stopAtFirstPositional ? i : arguments.count)
    }

    /// A key, instruction or environment variable with its value (nil: not checked).
    public func check(_ name: String, value: String? = nil, kind: Kind, scope: String? = nil) -> FlagProblem? {
        guard let f = flag(name, kind: kind, scope: scope) else {
            return FlagProblem(reason: .unknown, table: id, version: version, token: scope.map { "\($0).\(name)" } ?? name, detail: nil)
        }
        guard let value, let why = f.rejects(value) else { return nil }
        return FlagProblem(reason: .badValue, table: id, version: version, token: "\(name) \(value)", detail: why)
    }
}

extension FlagTable.Flag {
    /// Why `value` is not one this entry takes, nil when it is.
    public func rejects(_ value: String) -> String? {
        switch self.value {
        case .none: return "a switch takes no value"
        case .int: return Int64(value) == nil ? "a whole number" : nil
        case .number: return Double(value).map { $0.isFinite } == true ? nil : "a number"
        case .text: return value.isEmpty ? "a non-empty value" : nil
        case .choice: return values.contains(value) ? nil : "one of \(values.joined(separator: ", "))"
        }
    }
}
