/// One piece of a question: a run of letters and digits, lowercased.
///
/// A '.' between two digits stays inside the token, so "3.1" and "qwen2.5" stay whole; between
/// letters it splits like '-' ("llama.cpp", "q4_k_m.gguf"); a full stop ("T4.") ends the word.
/// '-', '_' and '/' split a word ("qwen2.5-7b-instruct") into several tokens that share `word`: a name typed with spaces,
/// dashes or nothing between its parts then compacts to the same key (see `AskTokenizer.compact`).
struct AskToken: Sendable, Equatable {
    var text: String
    /// Offsets into the question's characters, so the text "as typed" can be quoted back.
    var start: Int
    var end: Int
    /// Index of the whitespace-delimited word the token came from.
    var word: Int
}

enum AskTokenizer {
    /// Characters that join the parts of one word without being part of any token.
    private static func isJoiner(_ c: Character) -> Bool { c == "-" || c == "_" || c == "/" }
    private static func isAlnum(_ c: Character) -> Bool {
        if let a = c.asciiValue { return (a >= 48 && a <= 57) || (a | 0x20 >= 97 && a | 0x20 <= 122) }
        return c.isLetter || c.isNumber
    }
    private static func isDigit(_ c: Character) -> Bool { c.asciiValue.map { $0 >= 48 && $0 <= 57 } ?? false }

    static func tokenize(_ s: String) -> [AskToken] { tokenize(Array(s)) }

    static func tokenize(_ chars: [Character]) -> [AskToken] {
        var tokens: [AskToken] = []
        var word = 0
        var i = 0
        var inWord = false
        while i < chars.count {
            let c = chars[i]
            if isAlnum(c) || c == "×" {
                let start = i
                var text = ""
                while i < chars.count {
                    let d = chars[i]
                    if isAlnum(d) {
                        text.append(d)
                    } else if d == "×" {
                        text.append("x")  // "2×4090" reads as "2x4090"
                    } else if d == ".", i + 1 < chars.count, i > start, isDigit(chars[i - 1]), isDigit(chars[i + 1]) {
                        text.append(".")  // "3.1", "qwen2.5", "v0.1"; "llama.cpp" and "q4_k_m.gguf" split like '-'
                    } else if d == ",", isThousandsComma(chars, at: i) {
                        // "32,768" is one number; the comma is dropped.
                    } else {
                        break
                    }
                    i += 1
                }
                inWord = true
                tokens.append(contentsOf: splitCount(AskToken(text: text.lowercased(), start: start, end: i, word: word)))
            } else if isJoiner(c) || (c == "." && i > 0 && i + 1 < chars.count && isAlnum(chars[i - 1]) && isAlnum(chars[i + 1])) {
                i += 1
            } else {
                if inWord { word += 1; inWord = false }
                i += 1
            }
        }
        return tokens
    }

    /// A comma between digits followed by exactly three digits ("32,768").
    private static func isThousandsComma(_ chars: [Character], at i: Int) -> Bool {
        guard i > 0, isDigit(chars[i - 1]), i + 3 < chars.count else { return false }
        let next3 = (1...3).allSatisfy { isDigit(chars[i + $0]) }
        let after = i + 4 < chars.count ? chars[i + 4] : " "
        return next3 && !isDigit(after)
    }

    /// "2x4090" → "2x", "4090" and "8x7b" → "8x", "7b": a leading multiplier becomes its own token,
    /// so GPU counts are seen and "mixtral 8x7b" still compacts to the same key as "mixtral-8x7b".
    /// Between two plain numbers the smaller is the count: "4090x2" → "4090", "x2".
    private static func splitCount(_ t: AskToken) -> [AskToken] {
        let chars = Array(t.text)
        var n = 0
        while n < chars.count, isDigit(chars[n]) { n += 1 }
        guard n > 0, n + 1 < chars.count, chars[n] == "x" else { return [t] }
        let tail = chars[(n + 1)...]
        let countAfter = tail.allSatisfy(isDigit) && tail.count < n
        let cut = countAfter ? n : n + 1
        return [AskToken(text: String(chars[..<cut]), start: t.start, end: t.start + cut, word: t.word),
                AskToken(text: String(chars[cut...]), start: t.start + cut, end: t.end, word: t.word)]
    }

    /// The tokens of a span run together: the form every catalog key and every span of the
    /// question is compared in ("Llama 3.1 70B" and "llama-3.1-70b" both give "llama3.170b").
    static func compact<C: Collection>(_ tokens: C) -> String where C.Element == AskToken {
        tokens.reduce(into: "") { $0 += $1.text }
    }

    /// The compact form of a catalog key.
    static func key(_ s: String) -> String { compact(tokenize(s)) }
}
