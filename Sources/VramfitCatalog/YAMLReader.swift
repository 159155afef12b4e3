import Foundation
import VramfitCore
import Yams

/// Typed access to one YAML mapping, with every failure located in the file. Decoding by hand
/// (rather than Codable) lets each error point at the offending node, not just a coding path.
struct YAMLReader {
    let node: Node
    let file: String
    /// Keys read so far, to reject unknown (misspelled) keys afterwards.
    private var used: Set<String> = []

    init(_ node: Node, file: String) throws {
        self.node = node
        self.file = file
        guard node.mapping != nil else { throw Self.error(node, file, "expected a mapping (key: value lines)") }
    }

    static func error(_ node: Node?, _ file: String, _ message: String) -> CatalogError {
        let mark = node?.mark
        return CatalogError(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message)
    }

    func error(_ node: Node?, _ message: String) -> CatalogError { Self.error(node ?? self.node, file, message) }

    /// The value node for `key`, and the key node (for positions of missing-value errors).
    func raw(_ key: String) -> Node? {
        guard let m = node.mapping else { return nil }
        for (k, v) in m where k.string == key { return v }
        return nil
    }

    mutating func has(_ key: String) -> Bool { used.insert(key); return raw(key).map { !$0.isNull } ?? false }

    mutating func optionalNode(_ key: String) -> Node? {
        used.insert(key)
        guard let v = raw(key), !v.isNull else { return nil }
        return v
    }

    mutating func node(_ key: String, _ what: String) throws -> Node {
        guard let v = optionalNode(key) else { throw error(nil, "missing required key '\(key)' (\(what))") }
        return v
    }

    mutating func string(_ key: String) throws -> String {
        let v = try node(key, "a string")
        guard let s = v.scalar?.string else { throw error(v, "'\(key)' must be a string") }
        return s
    }

    mutating func optionalString(_ key: String) throws -> String? {
        guard let v = optionalNode(key) else { return nil }
        guard let s = v.scalar?.string else { throw error(v, "'\(key)' must be a string") }
        return s
    }

    mutating func int(_ key: String) throws -> Int64 {
        let v = try node(key, "an integer")
        return try Self.int(v, key: key, file: file)
    }

    mutating func optionalInt(_ key: String) throws -> Int64? {
        guard let v = optionalNode(key) else { return nil }
        return try Self.int(v, key: key, file: file)
    }

    /// Integers may be written with `_` separators (1_000_000), as YAML 1.1 allows.
    static func int(_ v: Node, key: String, file: String) throws -> Int64 {
        guard let s = v.scalar?.string else { throw error(v, file, "'\(key)' must be an integer") }
        let cleaned = s.replacingOccurrences(of: "_", with: "")
        guard let i = Int64(cleaned) else {
            if Double(cleaned) != nil { throw error(v, file, "'\(key)' must be a whole number, found \(s)") }
            throw error(v, file, "'\(key)' must be an integer, found '\(s)'")
        }
        return i
    }

    mutating func positiveInt(_ key: String) throws -> Int64 {
        let v = try int(key)
        guard v > 0 else { throw error(raw(key), "'\(key)' must be positive, found \(v)") }
        return v
    }

    mutating func optionalPositiveInt(_ key: String) throws -> Int64? {
        guard let v = try optionalInt(key) else { return nil }
        guard v > 0 else { throw error(raw(key), "'\(key)' must be positive, found \(v)") }
        return v
    }

    mutating func double(_ key: String) throws -> Double {
        let v = try node(key, "a number")
        return try Self.double(v, key: key, file: file)
    }

    mutating func optionalDouble(_ key: String) throws -> Double? {
        guard let v = optionalNode(key) else { return nil }
        return try Self.double(v, key: key, file: file)
    }

    static func double(_ v: Node, key: String, file: String) throws -> Double {
        guard let s = v.scalar?.string, let d = Double(s.replacingOccurrences(of: "_", with: "")), d.isFinite else {
            throw error(v, file, "'\(key)' must be a number, found '\(v.scalar?.string ?? "a \(v.kindName)")'")
        }
        return d
    }

    mutating func bool(_ key: String, default d: Bool) throws -> Bool {
        guard let v = optionalNode(key) else { return d }
        switch v.scalar?.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(v, "'\(key)' must be true or false, found '\(v.scalar?.string ?? "a \(v.kindName)")'")
        }
    }

    /// A list of strings; a single string is accepted as a one-element list.
    mutating func strings(_ key: String) throws -> [String] {
        guard let v = optionalNode(key) else { return [] }
        if let s = v.scalar?.string { return [s] }
        guard let seq = v.sequence else { throw error(v, "'\(key)' must be a list of strings") }
        return try seq.map { item in
            guard let s = item.scalar?.string else { throw error(item, "'\(key)' entries must be strings") }
            return s
        }
    }

    mutating func mapping(_ key: String) throws -> YAMLReader? {
        guard let v = optionalNode(key) else { return nil }
        guard v.mapping != nil else { throw error(v, "'\(key)' must be a mapping") }
        return try YAMLReader(v, file: file)
    }

    /// A size in bytes from `KEY_bytes`, `KEY_mib`, `KEY_gib` or `KEY_gb` (exactly one of them).
    mutating func optionalBytes(_ key: String) throws -> Int64? {
        let units: [(String, Double)] = [("_bytes", 1), ("_mib", 1_048_576), ("_gib", 1_073_741_824), ("_gb", 1e9)]
        var found: (Int64, String)?
        for (suffix, scale) in units {
            guard let v = optionalNode(key + suffix) else { continue }
            if let (_, other) = found { throw error(v, "give '\(key)' once: both '\(other)' and '\(key + suffix)' are set") }
            let d = try Self.double(v, key: key + suffix, file: file)
            guard d >= 0, d * scale < 9.2e18 else { throw error(v, "'\(key + suffix)' is out of range") }
            found = (Int64((d * scale).rounded()), key + suffix)
        }
        return found?.0
    }

    mutating func bytes(_ key: String) throws -> Int64 {
        guard let b = try optionalBytes(key) else {
            throw error(nil, "missing required key '\(key)_bytes' (or \(key)_mib, \(key)_gib, \(key)_gb)")
        }
        return b
    }

    /// Rejects keys this reader never asked for: a misspelled key must not be silently ignored.
    func rejectUnknownKeys(allowing extra: Set<String> = []) throws {
        guard let m = node.mapping else { return }
        for (k, _) in m {
            guard let name = k.string else { throw error(k, "keys must be strings") }
            if !used.contains(name) && !extra.contains(name) {
                let known = used.union(extra).sorted()
                let close = known.min { Self.distance($0, name) < Self.distance($1, name) }
                let hint = close.map { Self.distance($0, name) <= 3 ? "; did you mean '\($0)'?" : "" } ?? ""
                throw error(k, "unknown key '\(name)'\(hint)")
            }
        }
    }
    static func distance(_ a: String, _ b: String) -> Int { Lookup.editDistance(a, b) }
}

extension Node {
    var isNull: Bool {
        if let s = scalar, s.style == .plain, ["", "~", "null", "Null", "NULL"].contains(s.string) { return true }
        return false
    }
    var kindName: String {
        switch self {
        case .scalar: "scalar"
        case .mapping: "mapping"
        case .sequence: "list"
        case .alias: "alias"
        }
    }
}
