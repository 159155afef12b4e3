import Testing
@testable import VramfitCore

/// `equalsIgnoringCase` against `lowercased()`, the comparison it replaces, on ASCII ids and on
/// text outside ASCII (where it must fall back to the same answer).
@Suite struct CaseInsensitiveMatchTests {
    static let pairs: [(String, String)] = [
        ("fp16", "FP16"), ("Q4_K_M", "q4_k_m"), ("llama.cpp", "Llama.CPP"), ("vllm", "vllm"), ("vllm", "vllm "),
        ("", ""), ("", "a"), ("a", ""), ("bf16", "fp16"), ("[", "{"), ("@", "`"), ("Z", "z"), ("z", "Z"), ("^", "~"),
        ("NVIDIA", "nvidia"), ("Apple", "APPLE"), ("É", "é"), (" É", " é"), ("é", "e"), ("ß", "SS"), ("İ", "i̇"),
        ("Straße", "STRASSE"), ("Ω", "ω"), ("gpu", "GPU\u{301}"),
    ]

    @Test(arguments: pairs)
    func agreesWithLowercased(a: String, b: String) {
        #expect(a.equalsIgnoringCase(b) == (a.lowercased() == b.lowercased()), "\(a) vs \(b)")
        #expect(b.equalsIgnoringCase(a) == (b.lowercased() == a.lowercased()), "\(b) vs \(a)")
    }

    /// Every pair of printable ASCII characters, folded by hand: only A–Z and a–z pair up.
    @Test func asciiFoldsOnlyLetters() {
        for x in UInt8(0x20)...0x7E {
            for y in UInt8(0x20)...0x7E {
                let a = String(UnicodeScalar(x)), b = String(UnicodeScalar(y))
                let letter = { (c: UInt8) in (0x41...0x5A).contains(c) ? c + 0x20 : c }
                #expect(a.equalsIgnoringCase(b) == (letter(x) == letter(y)))
            }
        }
    }
}
