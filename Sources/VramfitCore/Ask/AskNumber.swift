/// A number as typed, with the letters glued to it ("32k", "24gb", "14b", "2x", "4096").
///
/// Numbers in questions can be anything ("99999999999999999999k"), so nothing here traps: the
/// value is a Double (huge inputs become large or infinite, never an overflow) and conversion to
/// an integer goes through `int64`, which says no instead of crashing.
struct AskNumber: Sendable, Equatable {
    var value: Double
    /// Lowercased letters after the digits; "" for a plain number.
    var unit: String

    /// Digits, an optional fraction, then letters only; nil for anything else ("q4", "v0.1", "3.1.2").
    static func parse(_ text: String) -> AskNumber? {
        var digits = "", unit = ""
        var seenDot = false
        for c in text {
            if unit.isEmpty, c.isASCII, c.isNumber {
                digits.append(c)
            } else if unit.isEmpty, c == ".", !seenDot, !digits.isEmpty {
                seenDot = true
                digits.append(c)
            } else if c.isLetter, !digits.isEmpty {
                unit.append(c)
            } else {
                return nil
            }
        }
        guard let first = digits.first, first.isNumber, digits.last != "." else { return nil }
        // A thousand digits parse to infinity; cap the work at a length no real number needs.
        let value = digits.count > 40 ? Double.infinity : (Double(digits) ?? .infinity)
        return AskNumber(value: value, unit: unit)
    }

    /// The value times `scale`, as an Int64, or nil when it does not fit (or is not finite).
    func int64(scale: Double = 1) -> Int64? {
        let d = (value * scale).rounded()
        guard d.isFinite, d >= 0, d < 9.2e18 else { return nil }
        return Int64(d)
    }

    var isWhole: Bool { value.isFinite && value == value.rounded() }
}
