/// Reads a `LaunchConfig` the way each engine would — the command line, the config files, the
/// environment — and checks every option, key and variable against the engine's `FlagTable`.
/// The tables are data with their sources (catalogs/engines/flags); this is the parser that
/// holds the exporters to them, in the tests and as `vramfit export`'s last guard.
public enum FlagAudit {
    /// What could not be checked because the catalog has no table for it.
    public struct MissingTable: Error, Equatable, CustomStringConvertible {
        public var id: String
        public var description: String { "no flag table '\(id)' in the catalog" }
    }

    /// Every problem found in `config`, in the order met; empty when every name and value is the engine's.
    public static func problems(in config: LaunchConfig, tables: [FlagTable]) throws -> [FlagProblem] {
        func table(_ id: String) throws -> FlagTable {
            guard let t = tables.first(where: { $0.id == id }) else { throw MissingTable(id: id) }
            return t
        }
        var out: [FlagProblem] = []
        switch config.target {
        case .vllm:
            let vllm = try table("vllm-serve")
            out += try command(config.command, program: ["vllm", "serve"], table: vllm)
            for f in config.files {
                if f.name.hasSuffix("config.yaml") { out += configKeys(f.text, table: vllm) }
                if f.name == "docker-compose.yaml" { out += vllm.check(arguments: composeCommand(f.text)).problems }
            }
        case .kubernetes:
            let vllm = try table("vllm-serve"), script = try table("vllm-multi-node-serving"), k8s = try table("kubernetes")
            for f in config.files { out += manifest(f.text, vllm: vllm, script: script, k8s: k8s) }
        case .sglang:
            out += try command(config.command, program: ["python", "-m", "sglang.launch_server"], table: table("sglang-launch-server"))
        case .tgi:
            let docker = try table("docker-run"), tgi = try table("tgi-launcher")
            guard Array(config.command.prefix(2)) == ["docker", "run"] else { return [unexpected(config.command, "docker run")] }
            let rest = Array(config.command.dropFirst(2))
            let d = docker.check(arguments: rest, stopAtFirstPositional: true)
            out += d.problems + tgi.check(arguments: Array(rest.dropFirst(d.consumed))).problems
        case .llamaCpp:
            out += try command(config.command, program: ["llama-server"], table: table("llama-server"))
        case .ollama:
            let ollama = try table("ollama")
            for f in config.files where f.name == "Modelfile" { out += modelfile(f.text, table: ollama) }
            for v in config.environment { if let p = ollama.check(v.name, value: v.value, kind: .env) { out.append(p) } }
        case .transformers, .accelerate:
            let t = try table("transformers")
            for f in config.files where f.name.hasSuffix(".py") { out += python(f.text, table: t) }
        }
        return out
    }

    static func unexpected(_ argv: [String], _ program: String) -> FlagProblem {
        FlagProblem(reason: .unknown, table: program, version: "", token: argv.prefix(3).joined(separator: " "), detail: "expected \(program)")
    }

    static func command(_ argv: [String], program: [String], table: FlagTable) throws -> [FlagProblem] {
        guard Array(argv.prefix(program.count)) == program else { return [unexpected(argv, program.joined(separator: " "))] }
        return table.check(arguments: Array(argv.dropFirst(program.count))).problems
    }

    /// `key: value` lines of a vLLM config file, and commented-out `# key: value` alternatives:
    /// each key is a long option name without its dashes.
    static func configKeys(_ text: String, table: FlagTable) -> [FlagProblem] {
        var out: [FlagProblem] = []
        for raw in text.split(separator: "\n") {
            var line = raw.trimmingSpaces
            if line.hasPrefix("#") { line = String(line.dropFirst()).trimmingSpaces }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = String(line[..<colon]), value = String(line[line.index(after: colon)...]).trimmingSpaces
            guard !key.isEmpty, key.allSatisfy({ $0.isLowercase || $0 == "-" || $0.isNumber }), !value.isEmpty else { continue }
            out += table.check(arguments: ["--" + key, unquoteYAML(value)]).problems
        }
        return out
    }

    /// The `command:` list of a compose service.
    static func composeCommand(_ text: String) -> [String] {
        var args: [String] = [], inCommand = false
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingSpaces
            if line == "command:" { inCommand = true; continue }
            guard inCommand else { continue }
            guard line.hasPrefix("- ") else { break }
            args.append(unquoteYAML(String(line.dropFirst(2))))
        }
        return args
    }

    /// A Kubernetes manifest: every `kind` with its `apiVersion`, the LeaderWorkerSet fields, the
    /// injected variables referenced, and each shell command in the containers' args (`vllm serve …`,
    /// the multi-node script) against vLLM's tables.
    static func manifest(_ text: String, vllm: FlagTable, script: FlagTable, k8s: FlagTable) -> [FlagProblem] {
        var out: [FlagProblem] = []
        for doc in text.split(separator: "\n---") {
            let lines = doc.split(separator: "\n").map { String($0) }
            func value(_ key: String) -> String? {
                lines.first { $0.hasPrefix(key + ":") }.map { String($0.dropFirst(key.count + 1)).trimmingSpaces }
            }
            if let kind = value("kind") {
                if let p = k8s.check(kind, value: value("apiVersion") ?? "", kind: .key, scope: "apiVersion") { out.append(p) }
            }
            var inArgs = false
            for raw in lines {
                let line = raw.trimmingSpaces
                for key in ["size", "restartPolicy"] where line.hasPrefix(key + ":") {
                    let v = String(line.dropFirst(key.count + 1)).split(separator: "#").first.map { String($0).trimmingSpaces } ?? ""
                    if let p = k8s.check(key, value: v, kind: .key, scope: "leaderWorkerTemplate") { out.append(p) }
                }
                for key in ["leaderTemplate", "workerTemplate"] where line == key + ":" {
                    if let p = k8s.check(key, kind: .key, scope: "leaderWorkerTemplate") { out.append(p) }
                }
                if line.hasPrefix("nvidia.com/gpu:"), let p = k8s.check("nvidia.com/gpu", kind: .key, scope: "resources") { out.append(p) }
                if line == "args:" { inArgs = true; continue }
                if inArgs {
                    guard line.hasPrefix("- ") else { inArgs = false; continue }
                    out += shell(unquoteYAML(String(line.dropFirst(2))), vllm: vllm, script: script, k8s: k8s)
                }
            }
        }
        return out
    }

    /// One `sh -c` string: commands joined by `&&`, each checked against its program's table.
    static func shell(_ s: String, vllm: FlagTable, script: FlagTable, k8s: FlagTable) -> [FlagProblem] {
        var out: [FlagProblem] = []
        var rest = Substring(s)
        while let start = rest.firstRange(of: "$(") {
            rest = rest[start.upperBound...]
            guard let end = rest.firstIndex(of: ")") else { break }
            if let p = k8s.check(String(rest[..<end]), kind: .env) { out.append(p) }
        }
        for part in s.split(separator: "&&") {
            let words = Shell.split(String(part))
            if Array(words.prefix(2)) == ["vllm", "serve"] {
                out += vllm.check(arguments: Array(words.dropFirst(2))).problems
            } else if words.first == "bash", words.count > 1, script.program.hasSuffix(words[1]) {
                out += script.check(arguments: Array(words.dropFirst(2))).problems
            } else {
                out.append(unexpected(words, "vllm serve or \(script.program)"))
            }
        }
        return out
    }

    /// Modelfile lines: the instruction, and for `PARAMETER name value` the parameter.
    static func modelfile(_ text: String, table: FlagTable) -> [FlagProblem] {
        var out: [FlagProblem] = []
        for raw in text.split(separator: "\n") {
            let words = raw.split(separator: " ").map(String.init)
            guard let first = words.first, !first.hasPrefix("#") else { continue }
            if let p = table.check(first, kind: .instruction) { out.append(p); continue }
            if first == "PARAMETER" {
                let name = words.count > 1 ? words[1] : ""
                if let p = table.check(name, value: words.count > 2 ? words[2] : "", kind: .key, scope: "PARAMETER") { out.append(p) }
            }
        }
        return out
    }

    /// A transformers snippet: the names imported from transformers, and the keyword arguments of
    /// `from_pretrained(`, `BitsAndBytesConfig(` and `TorchAoConfig(` calls.
    static func python(_ text: String, table: FlagTable) -> [FlagProblem] {
        var out: [FlagProblem] = []
        for raw in text.split(separator: "\n") {
            guard let prefix = ["from transformers import ", "from torchao.quantization import "].first(where: { raw.hasPrefix($0) }) else { continue }
            for name in raw.dropFirst(prefix.count).split(separator: ",") {
                if let p = table.check(name.trimmingSpaces, kind: .instruction) { out.append(p) }
            }
        }
        for call in ["from_pretrained", "BitsAndBytesConfig", "TorchAoConfig"] {
            var rest = Substring(text)
            while let open = rest.firstRange(of: call + "(") {
                // The arguments up to the matching parenthesis.
                var depth = 1, i = open.upperBound
                while i < rest.endIndex, depth > 0 {
                    if rest[i] == "(" { depth += 1 } else if rest[i] == ")" { depth -= 1 }
                    if depth > 0 { i = rest.index(after: i) }
                }
                let args = rest[open.upperBound..<i]
                for (key, value) in keywordArguments(args) {
                    if let p = table.check(key, value: value, kind: .key, scope: call) { out.append(p) }
                }
                rest = i < rest.endIndex ? rest[rest.index(after: i)...] : rest[rest.endIndex...]
            }
        }
        return out
    }

    /// `name=value` pairs at the top level of an argument list (nested calls and dicts kept whole).
    /// Values of nested calls are not checked (they are calls themselves, checked on their own).
    static func keywordArguments(_ s: Substring) -> [(String, String?)] {
        var parts: [String] = [], depth = 0, current = ""
        var quote: Character?
        for ch in s {
            if let q = quote { current.append(ch); if ch == q { quote = nil }; continue }
            switch ch {
            case "\"", "'": quote = ch; current.append(ch)
            case "(", "[", "{": depth += 1; current.append(ch)
            case ")", "]", "}": depth -= 1; current.append(ch)
            case "," where depth == 0: parts.append(current); current = ""
            default: current.append(ch)
            }
        }
        parts.append(current)
        return parts.compactMap { part in
            let p = part.trimmingSpaces
            guard let eq = p.firstIndex(of: "="), !p[..<eq].contains("(") else { return nil }
            let key = String(p[..<eq]).trimmingSpaces, value = String(p[p.index(after: eq)...]).trimmingSpaces
            guard key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
            return (key, value.contains("(") || value.contains("{") ? nil : value)
        }
    }

    static func unquoteYAML(_ s: String) -> String {
        let t = s.trimmingSpaces
        guard t.count >= 2, t.hasPrefix("\""), t.hasSuffix("\"") else { return t }
        var out = "", escaped = false
        for ch in t.dropFirst().dropLast() {
            if escaped {
                out.append(ch == "n" ? "\n" : ch); escaped = false
            } else if ch == "\\" {
                escaped = true
            } else {
                out.append(ch)
            }
        }
        return out
    }
}

extension Shell {
    /// Splits a command line into words as sh does for the quoting `quote` produces: spaces
    /// separate words, single quotes keep everything literal, `'\''` is a quote inside a word.
    static func split(_ s: String) -> [String] {
        var words: [String] = [], current = "", inWord = false, single = false
        var chars = Array(s)[...]
        while let ch = chars.popFirst() {
            if single {
                if ch == "'" { single = false } else { current.append(ch) }
            } else if ch == "'" {
                single = true; inWord = true
            } else if ch == "\\", let next = chars.popFirst() {
                current.append(next); inWord = true
            } else if ch == " " || ch == "\t" {
                if inWord { words.append(current); current = ""; inWord = false }
            } else {
                current.append(ch); inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String { String(self).trimmingSpaces }
}
