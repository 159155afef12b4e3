/// Reads a question in plain words ("can I run llama 3.1 70b q4_k_m on 2x 4090 with 32k context")
/// into a `Question`. Catalog-aware: model, GPU, scheme, engine and KV-cache names are found by
/// matching the catalog's ids, names, repo ids and aliases against the text, longest match first,
/// so a name the catalog gains is understood without a code change.
///
/// Never traps and never takes long: the text is cut at `maxLength` Unicode scalars, every scan
/// is bounded by the number of tokens times a small constant, and numbers go through `AskNumber`.
public enum QuestionParser {
    /// Longest question read, in Unicode scalars. Real questions are a line or two; the cap bounds
    /// the work for anything pasted by mistake.
    public static let maxLength = 4096

    public static func parse(_ text: String, catalog: Catalog) -> Question {
        parse(text, index: AskIndex(catalog, forManyQuestions: false))
    }

    /// The same, with the catalog's names indexed beforehand (for many questions of one catalog).
    public static func parse(_ text: String, index: AskIndex) -> Question {
        var state = ParseState(text: text, index: index.names)
        state.readKVCache()
        state.readNames()
        state.readGPUCount()
        state.readMemory()
        state.readContext()
        state.readBatch()
        state.readBareContext()
        state.readLeftovers()
        state.readIntent()
        return state.q
    }
}

/// One parse in progress: the tokens, which of them are spoken for, and the question so far.
/// The passes (in the `QuestionParser+…` files) each claim the tokens they understand.
struct ParseState {
    let chars: [Character]
    let tokens: [AskToken]
    /// Each token read as a number ("32k", "2x", "4096"), once: the passes ask about the same tokens many times.
    let numbers: [AskNumber?]
    let index: NameIndex
    var used: [Bool]
    var q = Question()
    /// Token range of the GPU name, for the count around it ("2x 4090", "4090 x2").
    var gpuRange: Range<Int>?

    init(text: String, index: NameIndex) {
        let scalars = text.unicodeScalars
        var capped = String.UnicodeScalarView()
        capped.append(contentsOf: scalars.prefix(QuestionParser.maxLength))
        chars = Array(String(capped))
        tokens = AskTokenizer.tokenize(chars)
        numbers = tokens.map { AskNumber.parse($0.text) }
        used = Array(repeating: false, count: tokens.count)
        self.index = index
        q.truncated = !scalars.dropFirst(QuestionParser.maxLength).isEmpty
    }

    /// The text of tokens `r` exactly as typed, separators included ("Llama 3.1 70B").
    func text(_ r: Range<Int>) -> String {
        guard let first = r.first, r.upperBound <= tokens.count, r.upperBound > 0 else { return "" }
        return String(chars[tokens[first].start..<tokens[r.upperBound - 1].end])
    }

    func isFree(_ i: Int) -> Bool { i >= 0 && i < tokens.count && !used[i] }
    func word(_ i: Int) -> String? { i >= 0 && i < tokens.count ? tokens[i].text : nil }
    func freeWord(_ i: Int) -> String? { isFree(i) ? tokens[i].text : nil }
    func number(_ i: Int) -> AskNumber? { isFree(i) ? numbers[i] : nil }

    mutating func use(_ r: Range<Int>) {
        for i in r where i >= 0 && i < used.count { used[i] = true }
    }

    /// Records a number that was understood but cannot be used.
    mutating func ignore(_ r: Range<Int>, _ why: String) {
        q.ignored.append("ignored '\(text(r))': \(why)")
        use(r)
    }
}
