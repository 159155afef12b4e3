import Foundation
import Testing

/// The worked examples in examples/ are what the code prints: this runs every line of
/// examples/manifest.txt (the list examples/regenerate.sh runs) with the built binary and compares
/// each folder's README.md and exported files with the committed ones. When the code changes on
/// purpose, run examples/regenerate.sh and review the diff.
@Suite struct ExamplesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let examples = root.appendingPathComponent("examples")

    struct Entry: Sendable {
        var folder: String
        var args: String
    }

    /// `FOLDER | ARGUMENTS` lines; `#` comments and blank lines skipped.
    static func manifest() throws -> [Entry] {
        let text = try String(contentsOf: examples.appendingPathComponent("manifest.txt"), encoding: .utf8)
        return text.split(separator: "\n").compactMap { raw in
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#"), let bar = line.firstIndex(of: "|") else { return nil }
            return Entry(folder: line[..<bar].trimmingCharacters(in: .whitespaces),
                         args: line[line.index(after: bar)...].trimmingCharacters(in: .whitespaces))
        }
    }

    /// Shell words as bash reads them in the manifest: '…' literal, "…" with \" and \\ escapes.
    static func words(_ s: String) -> [String] {
        var out: [String] = [], cur = "", inWord = false
        var quote: Character?
        var it = s.makeIterator()
        while let c = it.next() {
            if let q = quote {
                if c == q { quote = nil } else if q == "\"" && c == "\\", let n = it.next() { cur.append(n) } else { cur.append(c) }
            } else if c == "'" || c == "\"" {
                quote = c; inWord = true
            } else if c == " " || c == "\t" {
                if inWord { out.append(cur); cur = ""; inWord = false }
            } else {
                cur.append(c); inWord = true
            }
        }
        if inWord { out.append(cur) }
        return out
    }

    static func trimmed(_ s: String) -> String {
        var s = Substring(s)
        while s.hasSuffix("\n") { s = s.dropLast() }
        return String(s)
    }

    /// One README block, exactly as regenerate.sh writes it.
    static func block(_ args: String, _ r: CLIResult) -> String {
        var b = "\n```console\n$ vramfit \(args)\n"
        let out = trimmed(r.stdout), err = trimmed(r.stderr)
        if !out.isEmpty { b += out + "\n" }
        if !err.isEmpty { b += err + "\n" }
        if r.status != 0 { b += "(exit status \(r.status))\n" }
        return b + "```\n"
    }

    /// Relative paths of the files under `dir`'s subfolders (what `--write` produced).
    static func writtenFiles(_ dir: URL) -> [String] {
        guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        var out: [String] = []
        for case let url as URL in e where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
            let rel = String(url.standardizedFileURL.path.dropFirst(dir.standardizedFileURL.path.count + 1))
            if rel.contains("/") { out.append(rel) }
        }
        return out.sorted()
    }

    @Test func manifestNamesTheHeadlineExamples() throws {
        let folders = Set(try Self.manifest().map(\.folder))
        #expect(folders == ["14b-awq-on-24gb", "72b-on-2x-a100-40gb", "mixtral-on-4090-cpu-offload", "405b-across-nodes"])
        #expect(Self.words(#"ask "will 14B AWQ fit on 24GB" -x 'a b'"#) == ["ask", "will 14B AWQ fit on 24GB", "-x", "a b"])
        let script = try String(contentsOf: Self.examples.appendingPathComponent("regenerate.sh"), encoding: .utf8)
        #expect(script.contains("manifest.txt"))
    }

    @Test(arguments: Set(try! manifest().map(\.folder)).sorted())
    func exampleMatchesWhatTheCodePrints(_ folder: String) throws {
        let dir = Self.examples.appendingPathComponent(folder)
        let tmp = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: tmp) }
        var readme = try String(contentsOf: dir.appendingPathComponent("intro.md"), encoding: .utf8)
        for entry in try Self.manifest() where entry.folder == folder {
            let r = try CLI.run(Self.words(entry.args), cwd: tmp.path, env: ["NO_COLOR": "1"])
            readme += Self.block(entry.args, r)
        }
        let committed = try String(contentsOf: dir.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme == committed, "examples/\(folder)/README.md differs from what vramfit prints now: run examples/regenerate.sh")
        let fresh = Self.writtenFiles(tmp), old = Self.writtenFiles(dir)
        #expect(fresh == old, "examples/\(folder): exported files differ (\(fresh) vs \(old)): run examples/regenerate.sh")
        for rel in fresh where old.contains(rel) {
            let a = try String(contentsOf: tmp.appendingPathComponent(rel), encoding: .utf8)
            let b = try String(contentsOf: dir.appendingPathComponent(rel), encoding: .utf8)
            #expect(a == b, "examples/\(folder)/\(rel) differs from what vramfit exports now: run examples/regenerate.sh")
        }
    }
}
