/// Case-insensitive id comparison without allocating: catalog ids, aliases and rule values are
/// ASCII, and for ASCII `a.lowercased() == b.lowercased()` is a byte comparison with A–Z folded.
/// The sweep compares ids tens of thousands of times (rules, KV-cache types); `lowercased()` made
/// a new string every time.
///
/// The answer is always the one `lowercased()` gives: while both strings are ASCII the folded bytes
/// decide; at the first byte outside ASCII (before any difference) it falls back to `lowercased()`.
/// A difference between two ASCII bytes, or one string ending where the other goes on, after an
/// ASCII prefix decides "unequal" on its own: lowercasing maps that prefix byte for byte, ASCII
/// characters are canonical starters that nothing after them can change, and no character
/// lowercases to nothing, so the lowercased strings differ there too.
extension String {
    func equalsIgnoringCase(_ other: String) -> Bool {
        var a = utf8.makeIterator(), b = other.utf8.makeIterator()
        while true {
            switch (a.next(), b.next()) {
            case (nil, nil): return true
            case let (x?, y?):
                if x >= 0x80 || y >= 0x80 { return lowercased() == other.lowercased() }
                if x == y { continue }
                let fx = x >= 0x41 && x <= 0x5A ? x | 0x20 : x
                let fy = y >= 0x41 && y <= 0x5A ? y | 0x20 : y
                if fx != fy { return false }
            default:
                return false
            }
        }
    }
}
