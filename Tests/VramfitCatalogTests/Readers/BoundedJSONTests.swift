import Foundation
import Testing
@testable import VramfitCatalog

@Suite struct BoundedJSONTests {
    func parse(_ s: String) throws -> JSONValue { try BoundedJSON.parse(Array(s.utf8)) }

    @Test func parsesValuesKeepingIntegersExact() throws {
        let v = try parse(#"{"a": 9007199254740993, "b": [1.5, -2e3, true, false, null], "c": "x\u00e9\ud83d\ude00\n"}"#)
        #expect(v["a"] == .int(9_007_199_254_740_993))
        #expect(v["b"] == .array([.double(1.5), .double(-2000), .bool(true), .bool(false), .null]))
        #expect(v["c"]?.string == "xé😀\n")
    }

    @Test func rejectsDuplicateKeys() {
        #expect(throws: ModelFileError.duplicateKey("a", offset: 8)) { try parse(#"{"a":1, "a":2}"#) }
    }

    @Test func rejectsDeepNestingWithoutRecursingFurther() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: ModelFileError.nestingTooDeep(limit: 64)) { try parse(deep) }
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try parse(ok) }
    }

    @Test func rejectsInvalidUTF8() {
        let bytes: [UInt8] = Array(#"{"k":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        #expect(throws: ModelFileError.invalidUTF8(offset: 6)) { try BoundedJSON.parse(bytes) }
    }

    @Test func rejectsMalformedText() {
        for bad in ["", "{", "{\"a\"}", "[1,]", "01", "1.", "-", "\"\\x\"", "\"\\ud800\"", "tru", "{} x", "\"a\u{01}\"", "1e999"] {
            #expect(throws: ModelFileError.self, "\(bad)") { try parse(bad) }
        }
    }

    @Test func rejectsOversizeInput() {
        #expect(throws: ModelFileError.tooLarge(what: "JSON text", value: 11, limit: 10)) {
            try BoundedJSON.parse(Array("[1,2,3,4,5]".utf8), maxBytes: 10)
        }
    }

    /// Property: any value this test serializes parses back to itself (seeded, so reproducible).
    @Test func roundTripsRandomValues() throws {
        var rng = SeededRandom(42)
        for _ in 0..<300 {
            let v = randomValue(&rng, depth: 0)
            #expect(try BoundedJSON.parse(Array(serialize(v).utf8)) == v)
        }
    }

    /// Property: random mutations of a valid document either parse or throw a ModelFileError — never trap.
    @Test func mutationsNeverTrap() throws {
        var rng = SeededRandom(7)
        let base = Array(#"{"hidden_size": 4096, "layers": [1, 2.5, "x\u0041"], "q": {"bits": 4, "ok": true}}"#.utf8)
        for _ in 0..<3000 {
            var b = base
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let i = Int.random(in: 0..<b.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: b[i] = UInt8.random(in: 0...255, using: &rng)
                case 1: b.remove(at: i)
                default: b.insert(b[Int.random(in: 0..<b.count, using: &rng)], at: i)
                }
            }
            do { _ = try BoundedJSON.parse(b) } catch is ModelFileError {}
        }
    }

    func randomValue(_ r: inout SeededRandom, depth: Int) -> JSONValue {
        switch Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &r) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &r))
        case 2: return .int(Int64.random(in: Int64.min...Int64.max, using: &r))
        case 3: return .double(Double(Int.random(in: -1000...1000, using: &r)) + 0.25)
        case 4: return .string(String((0..<Int.random(in: 0...6, using: &r)).map { _ in ["a", "\"", "\\", "\n", "é", "😀", "\u{1}"].randomElement(using: &r)! }))
        case 5: return .array((0..<Int.random(in: 0...3, using: &r)).map { _ in randomValue(&r, depth: depth + 1) })
        default:
            return .object((0..<Int.random(in: 0...3, using: &r)).map { k in ("k\(k)", randomValue(&r, depth: depth + 1)) })
        }
    }

    func serialize(_ v: JSONValue) -> String {
        switch v {
        case .null: "null"
        case .bool(let b): "\(b)"
        case .int(let i): "\(i)"
        case .double(let d): "\(d)"
        case .string(let s):
            "\"" + s.unicodeScalars.map { u -> String in
                switch u {
                case "\"": "\\\""
                case "\\": "\\\\"
                case "\n": "\\n"
                default: u.value < 0x20 ? String(format: "\\u%04x", u.value) : String(u)
                }
            }.joined() + "\""
        case .array(let a): "[" + a.map(serialize).joined(separator: ",") + "]"
        case .object(let o): "{" + o.map { "\"\($0.0)\":" + serialize($0.1) }.joined(separator: ",") + "}"
        }
    }
}
