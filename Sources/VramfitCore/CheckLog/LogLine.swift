/// One line of an engine's log, cleaned of what terminals and log shippers add (ANSI colour
/// codes, carriage returns), searched byte-wise.
///
/// Engines print their figures after a fixed marker ("Model loading took", "KV buffer size =")
/// but the start of the line varies with whoever collected it: timestamps, `(VllmWorkerProcess
/// pid=…)`, `ollama[1884]:`, `[llama Info]:`, docker-compose's `service-1 |`. Parsers therefore
/// look for the marker anywhere in the line and read what follows it, never the line's start.
public struct LogLine: Sendable {
    /// 1-based line number in the text as given (for "line N" in the report).
    public let number: Int
    let bytes: [UInt8]

    public init(number: Int, bytes: [UInt8]) {
        self.number = number
        self.bytes = bytes
    }

    /// The cleaned line, trimmed, at most 300 characters (what the report quotes).
    public var text: String {
        var b = bytes[...]
        while let f = b.first, f == 0x20 || f == 0x09 { b = b.dropFirst() }
        while let l = b.last, l == 0x20 || l == 0x09 { b = b.dropLast() }
        let s = String(decoding: b, as: UTF8.self)
        return s.count > 300 ? String(s.prefix(300)) + "…" : s
    }

    /// Splits `text` into cleaned lines: `\r\n` and lone `\r` end lines too (CRLF files, progress
    /// bars), ANSI escape sequences (`ESC [ … final-byte`) are dropped, NUL and other control
    /// bytes except tab become spaces so nothing downstream sees them.
    public static func lines(of text: String) -> [LogLine] {
        var out: [LogLine] = []
        var cur: [UInt8] = []
        var number = 1
        var inEscape = false
        var afterESC = false
        func flush() {
            out.append(LogLine(number: number, bytes: cur))
            cur.removeAll(keepingCapacity: true)
            number += 1
        }
        var lastWasCR = false
        for b in text.utf8 {
            if afterESC {
                afterESC = false
                if b == 0x5B { inEscape = true; continue }  // CSI: ESC [
                continue  // two-byte escape: drop the second byte
            }
            if inEscape {
                if b >= 0x40 && b <= 0x7E { inEscape = false }
                continue
            }
            switch b {
            case 0x1B: afterESC = true
            case 0x0A:
                if lastWasCR { lastWasCR = false; continue }  // the \n of a \r\n
                flush()
            case 0x0D:
                flush()
                lastWasCR = true
                continue
            case 0x09: cur.append(0x20)
            case 0x00..<0x20, 0x7F: cur.append(0x20)
            default: cur.append(b)
            }
            lastWasCR = false
        }
        if !cur.isEmpty { flush() }
        return out
    }

    /// A shell command continued over lines with a trailing backslash, joined into one line
    /// numbered as its first (`vllm serve M \` / `  --tensor-parallel-size 4 \` / …).
    public static func command(in lines: [LogLine], at i: Int) -> LogLine {
        var bytes = lines[i].bytes
        var j = i
        func continues(_ b: [UInt8]) -> Bool {
            var e = b.count
            while e > 0, b[e - 1] == 0x20 { e -= 1 }
            return e > 0 && b[e - 1] == 0x5C
        }
        while continues(bytes), j + 1 < lines.count, j - i < 64 {
            while let last = bytes.last, last == 0x20 || last == 0x5C { bytes.removeLast() }
            j += 1
            bytes.append(0x20)
            bytes += lines[j].bytes
        }
        return LogLine(number: lines[i].number, bytes: bytes)
    }

    // MARK: searching

    /// Byte offset of the first occurrence of `needle` at or after `from`. Works on the bytes in
    /// place (no copies): parsers call it dozens of times per line of logs of many megabytes.
    public func find(_ needle: String, from: Int = 0) -> Int? {
        var n = needle
        return n.withUTF8 { nb -> Int? in
            bytes.withUnsafeBufferPointer { hb -> Int? in
                let nc = nb.count, hc = hb.count
                guard nc > 0, hc >= nc, from >= 0, from <= hc - nc else { return nil }
                let first = nb[0]
                var i = from
                let last = hc - nc
                while i <= last {
                    if hb[i] == first {
                        var j = 1
                        while j < nc && hb[i + j] == nb[j] { j += 1 }
                        if j == nc { return i }
                    }
                    i += 1
                }
                return nil
            }
        }
    }

    public func contains(_ needle: String) -> Bool { find(needle) != nil }

    /// Offset just past the first `needle`.
    public func after(_ needle: String, from: Int = 0) -> Int? {
        find(needle, from: from).map { $0 + needle.utf8.count }
    }

    /// The text between `start` and `end` offsets.
    func slice(_ start: Int, _ end: Int) -> String {
        let s = max(0, min(start, bytes.count)), e = max(s, min(end, bytes.count))
        return String(decoding: bytes[s..<e], as: UTF8.self)
    }

    func skipSpaces(_ i: Int) -> Int {
        var i = i
        while i < bytes.count && bytes[i] == 0x20 { i += 1 }
        return i
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isIdentifier(_ b: UInt8) -> Bool {
        isDigit(b) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2E
    }

    // MARK: numbers

    /// A decimal number starting at `i` after optional spaces, `=`, `:` or `(`: digits with
    /// thousands commas ("158,656": a comma counts only when three digits and then no digit
    /// follow), a fraction, an exponent ("1.0e-05"). Returns the value, the count of fraction
    /// digits printed (for the rounding bound) and the offset after it.
    public func number(at start: Int) -> (value: Double, decimals: Int, end: Int)? {
        var i = start
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x3D || bytes[i] == 0x3A || bytes[i] == 0x28 { i += 1 }
        var negative = false
        if i < bytes.count, bytes[i] == 0x2D { negative = true; i += 1 }
        guard i < bytes.count, Self.isDigit(bytes[i]) else { return nil }
        var digits: [UInt8] = []
        while i < bytes.count {
            let b = bytes[i]
            if Self.isDigit(b) { digits.append(b); i += 1; continue }
            if b == 0x2C, i + 3 < bytes.count, (1...3).allSatisfy({ Self.isDigit(bytes[i + $0]) }),
               !(i + 4 < bytes.count && Self.isDigit(bytes[i + 4])) {
                i += 1; continue
            }
            break
        }
        var decimals = 0
        if i + 1 < bytes.count, bytes[i] == 0x2E, Self.isDigit(bytes[i + 1]) {
            digits.append(0x2E)
            i += 1
            while i < bytes.count, Self.isDigit(bytes[i]) { digits.append(bytes[i]); decimals += 1; i += 1 }
        }
        if i + 1 < bytes.count, bytes[i] == 0x65 || bytes[i] == 0x45 {
            var j = i + 1
            var exp: [UInt8] = [0x65]
            if j < bytes.count, bytes[j] == 0x2D || bytes[j] == 0x2B { exp.append(bytes[j]); j += 1 }
            if j < bytes.count, Self.isDigit(bytes[j]) {
                while j < bytes.count, Self.isDigit(bytes[j]) { exp.append(bytes[j]); j += 1 }
                digits += exp
                i = j
            }
        }
        guard digits.count <= 40, let v = Double(String(decoding: digits, as: UTF8.self)), v.isFinite else { return nil }
        return (negative ? -v : v, decimals, i)
    }

    /// The number right after `marker` (anywhere in the line).
    public func number(after marker: String, from: Int = 0) -> Double? {
        guard let i = after(marker, from: from) else { return nil }
        return number(at: i)?.value
    }

    /// A whole, non-negative number after `marker` that fits Int64 comfortably.
    public func integer(after marker: String, from: Int = 0) -> Int64? {
        guard let v = number(after: marker, from: from), v >= 0, v < 9e15, v == v.rounded(.down) else { return nil }
        return Int64(v)
    }

    /// A byte quantity after `marker`: a number and its unit, see `quantity(at:gbIsGiB:)`.
    public func quantity(after marker: String, from: Int = 0, gbIsGiB: Bool) -> LogQuantity? {
        guard let i = after(marker, from: from) else { return nil }
        return quantity(at: i, gbIsGiB: gbIsGiB)
    }

    /// A number followed by a byte unit (B, KiB, MiB, GiB, TiB, kB, KB, MB, GB, TB, optional space,
    /// any case). `gbIsGiB`: the engine prints binary figures with decimal labels (vLLM V0's
    /// "Loading model weights took X GB" divides by 2³⁰; SGLang's `GB = 1024 * 1024 * 1024` in
    /// mem_cache/memory_pool.py); then KB/MB/GB/TB are read as powers of 1024.
    public func quantity(at start: Int, gbIsGiB: Bool) -> LogQuantity? {
        guard let n = number(at: start) else { return nil }
        var i = n.end
        while i < bytes.count, bytes[i] == 0x20 { i += 1 }
        var unit: [UInt8] = []
        while i < bytes.count, unit.count < 4, (bytes[i] >= 0x41 && bytes[i] <= 0x5A) || (bytes[i] >= 0x61 && bytes[i] <= 0x7A) {
            unit.append(bytes[i] | 0x20)
            i += 1
        }
        // A letter right after the unit ("GiBs", "Bytes") means it was a word, not a unit.
        if i < bytes.count, (bytes[i] >= 0x41 && bytes[i] <= 0x5A) || (bytes[i] >= 0x61 && bytes[i] <= 0x7A) { return nil }
        let scale: Double
        switch String(decoding: unit, as: UTF8.self) {
        case "b": scale = 1
        case "kib": scale = 1024
        case "mib": scale = 1_048_576
        case "gib": scale = 1_073_741_824
        case "tib": scale = 1_099_511_627_776
        case "kb": scale = gbIsGiB ? 1024 : 1e3
        case "mb": scale = gbIsGiB ? 1_048_576 : 1e6
        case "gb": scale = gbIsGiB ? 1_073_741_824 : 1e9
        case "tb": scale = gbIsGiB ? 1_099_511_627_776 : 1e12
        default: return nil
        }
        var half = 0.5
        for _ in 0..<n.decimals { half /= 10 }
        let bytes = n.value * scale
        guard bytes.isFinite, bytes >= 0, bytes < 9.2e18 else { return nil }
        return LogQuantity(bytes: bytes, rounding: half * scale, end: i)
    }

    // MARK: key = value

    /// The value of `key` written `key=value`, `key='value'`, `key="value"`, `'key': value` or
    /// `"key": value` (vLLM's config line and args dict, SGLang's ServerArgs, Ollama's logfmt).
    /// The key must start a word, so `model=` does not match `served_model_name=`. Quotes are
    /// removed; an unquoted value ends at a space, comma, `)` or `}`.
    public func value(ofKey key: String) -> String? {
        for pattern in ["\(key)=", "'\(key)': ", "\"\(key)\": ", "'\(key)':", "\"\(key)\":"] {
            var from = 0
            while let at = find(pattern, from: from) {
                from = at + 1
                if at > 0 {
                    let p = bytes[at - 1]
                    if pattern.hasSuffix("=") && (Self.isIdentifier(p) || p == 0x2D) { continue }
                }
                return readValue(at: at + pattern.utf8.count)
            }
        }
        return nil
    }

    /// The value of a command-line flag in the line (`--max-model-len 8192`, `--tp=4`), for logs
    /// pasted together with the command that started the engine.
    public func flag(_ names: String...) -> String? {
        for name in names {
            for sep in [" ", "="] {
                var from = 0
                while let at = find(name + sep, from: from) {
                    from = at + 1
                    if at > 0, bytes[at - 1] != 0x20 { continue }
                    if let v = readValue(at: at + name.utf8.count + 1), !v.hasPrefix("-") { return v }
                }
            }
        }
        return nil
    }

    /// Whether a bare flag (`--enforce-eager`) is in the line.
    public func hasFlag(_ name: String) -> Bool {
        var from = 0
        while let at = find(name, from: from) {
            from = at + 1
            let end = at + name.utf8.count
            if (at == 0 || bytes[at - 1] == 0x20) && (end == bytes.count || bytes[end] == 0x20) { return true }
        }
        return false
    }

    func readValue(at start: Int) -> String? {
        var i = skipSpaces(start)
        guard i < bytes.count else { return nil }
        let q = bytes[i]
        if q == 0x27 || q == 0x22 {
            i += 1
            var j = i
            while j < bytes.count && bytes[j] != q { j += 1 }
            return slice(i, j)
        }
        var j = i
        var depth = 0
        while j < bytes.count {
            let b = bytes[j]
            if b == 0x5B || b == 0x28 { depth += 1 }
            if b == 0x5D || b == 0x29 {
                if depth == 0 { break }
                depth -= 1
            }
            if depth == 0 && (b == 0x20 || b == 0x2C || b == 0x7D) { break }
            j += 1
        }
        let v = slice(i, j)
        return v.isEmpty ? nil : v
    }
}

/// A byte figure as printed, with how far the printed digits can be from the true value.
public struct LogQuantity: Sendable, Equatable {
    /// The figure in bytes (not rounded to an integer: "0.49 MiB" is 513,802.24 B as printed).
    public var bytes: Double
    /// Half a unit of the last printed digit, in bytes: "14.99 GiB" can be anything within
    /// ±0.005 GiB of it. Errors smaller than this are the log's rounding, not the estimate's.
    public var rounding: Double
    /// Offset in the line just after the unit.
    public var end: Int
}
