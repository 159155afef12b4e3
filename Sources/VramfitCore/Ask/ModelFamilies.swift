/// The leading word of a model's names ("llama", "qwen", "mixtral", "phi"): what people type when
/// they name a model loosely ("llama 70b", "qwen 14b"), and what a typo is measured against.
enum ModelFamilies {
    /// Leading letters of the first token of each of the model's names, three letters or more.
    static func words(of m: Model) -> Set<String> {
        let repoName = m.hfRepo.flatMap { $0.split(separator: "/").last.map(String.init) }
        var out: Set<String> = []
        for key in [m.id, m.name, m.family, repoName].compactMap({ $0 }) + m.aliases {
            guard let first = AskTokenizer.tokenize(key).first else { continue }
            let word = String(first.text.prefix(while: \.isLetter))
            if word.count >= 3 { out.insert(word) }
        }
        return out
    }

}
