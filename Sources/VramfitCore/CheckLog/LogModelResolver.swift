/// The model a log describes: the name it prints looked up in the catalog (with the paths,
/// cache folders and quantization suffixes people's names carry taken off), or, for llama.cpp
/// and Ollama, rebuilt from the dimensions llama.cpp prints.
public enum LogModelResolver {
    /// Name tokens that say how a checkpoint was quantized, not which model it is
    /// ("Qwen2.5-7B-Instruct-AWQ", "Meta-Llama-3.1-70B-Instruct-quantized.w8a8", "Qwen3-8B-GGUF").
    static let quantWords: Set<String> = [
        "awq", "gptq", "int4", "int8", "fp8", "dynamic", "w8a8", "w4a16", "w8a16", "w4a8", "quantized", "bnb", "4bit", "8bit",
        "unsloth", "marlin", "gguf", "f16", "bf16", "fp16", "mlx", "exl2", "nf4", "mxfp4", "static", "channel", "block",
    ]

    static func isQuantWord(_ w: String) -> Bool {
        let l = w.lowercased()
        if quantWords.contains(l) { return true }
        // GGUF type names: q4_k_m, q8_0, iq4_xs, q6_k …
        var s = Substring(l)
        if s.hasPrefix("i") { s = s.dropFirst() }
        guard s.hasPrefix("q"), s.dropFirst().first?.isNumber == true else { return false }
        return s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    /// Names to look up for what the log printed, most specific first.
    public static func candidates(_ raw: String) -> [String] {
        var base = raw.trimmingSpaces
        while base.hasSuffix("/") { base.removeLast() }
        var names: [String] = []
        func add(_ s: String) { if !s.isEmpty, !names.contains(s) { names.append(s) } }
        // Hugging Face cache folders: …/models--org--name/snapshots/<hash>.
        if let r = base.firstRange(of: "models--") {
            let rest = base[r.upperBound...].prefix { $0 != "/" }
            let parts = rest.split(separator: "--").map(String.init)
            if parts.count >= 2, let last = parts.last { add(parts.joined(separator: "/")); add(last) }
        }
        let comps = base.split(separator: "/").map(String.init)
        add(base)
        if comps.count >= 2 { add(comps.suffix(2).joined(separator: "/")) }
        if let last = comps.last { add(last) }
        // Without ".gguf" and the quantization words at the end.
        for n in names {
            var s = n
            if s.lowercased().hasSuffix(".gguf") { s.removeLast(5) }
            var parts = s.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
            while parts.count > 1, let last = parts.last, last.split(separator: ".").allSatisfy({ isQuantWord(String($0)) }) || isQuantWord(last) {
                parts.removeLast()
            }
            let stripped = parts.joined(separator: "-")
            add(stripped)
            if let slash = stripped.lastIndex(of: "/") { add(String(stripped[stripped.index(after: slash)...])) }
        }
        return names
    }

    /// The catalog entry for the printed name, or nil.
    public static func lookup(_ raw: String, in catalog: Catalog) -> Resolution<Model>? {
        for c in candidates(raw) {
            if let r = try? catalog.model(c) { return r }
        }
        return nil
    }

    /// Closest catalog ids for a name that matched none.
    public static func suggestions(_ raw: String, in catalog: Catalog) -> [String] {
        let c = candidates(raw).last ?? raw
        return Lookup.suggestions(for: c, in: catalog.models, keys: { m in [m.id, m.name, m.hfRepo ?? ""] + m.aliases })
    }

    /// The scheme a checkpoint's name implies ("-AWQ", "-GPTQ-Int8", "-FP8-dynamic", "w8a8",
    /// "bnb-4bit", "-Q4_K_M"), as a catalog id; nil when the name says nothing.
    public static func schemeHint(_ raw: String) -> String? {
        let l = raw.lowercased()
        let words = Set(l.split(whereSeparator: { !$0.isLetter && !$0.isNumber && $0 != "_" }).map(String.init))
        if l.contains("awq") { return "awq" }
        if l.contains("gptq") { return words.contains("int8") || l.contains("8bit") ? "gptq-int8" : "gptq-int4" }
        if words.contains("w4a16") { return "gptq-int4" }
        if words.contains("w8a8") || words.contains("w8a16") { return l.contains("fp8") ? "fp8-channel" : "int8" }
        if l.contains("fp8") {
            if l.contains("dynamic") { return "fp8-channel" }
            // Qwen's and DeepSeek's "-FP8" checkpoints are fine-grained 128×128 block FP8
            // (weight_block_size in their config.json); others are per-tensor.
            return l.contains("qwen") || l.contains("deepseek") ? "fp8-block" : "fp8"
        }
        if l.contains("bnb") || l.contains("nf4") { return l.contains("8bit") ? "bnb-int8" : "bnb-nf4" }
        if l.contains("mxfp4") { return "mxfp4" }
        for w in words where isQuantWord(w) && (w.hasPrefix("q") || w.hasPrefix("iq")) { return w }
        return nil
    }

    /// A catalog model with the printed dimensions, when the name is unknown or absent:
    /// llama.cpp prints every dimension the KV cache and buffers depend on.
    public static func matchByShape(_ a: LoggedArchitecture, in catalog: Catalog) -> Model? {
        guard let h = a.embedding, let layers = a.layers, let heads = a.heads else { return nil }
        return catalog.models.first { m in
            m.hiddenSize == h && m.numLayers == layers && m.numAttentionHeads == heads
                && (a.kvHeads.map { $0 == m.numKVHeads } ?? true) && (a.vocab.map { $0 == m.vocabSize } ?? true)
                && (a.feedForward.map { $0 == m.intermediateSize || m.moe != nil } ?? true)
                && (a.experts.map { ($0 == 0 && m.moe == nil) || $0 == m.moe?.numExperts } ?? true)
        }
    }

    /// Whether a catalog model agrees with the dimensions the log printed (a name can be reused
    /// for a fine-tune with another shape, or resolve to a sibling size).
    public static func agrees(_ m: Model, with a: LoggedArchitecture) -> Bool {
        (a.embedding.map { $0 == m.hiddenSize } ?? true) && (a.layers.map { $0 == m.numLayers } ?? true)
            && (a.heads.map { $0 == m.numAttentionHeads } ?? true) && (a.kvHeads.map { $0 == m.numKVHeads } ?? true)
            && (a.vocab.map { $0 == m.vocabSize } ?? true)
    }

    /// A `Model` from llama.cpp's printed dimensions. Flags llama.cpp does not print come from
    /// the architecture name, as llama.cpp's own graph builders decide them (src/llama-model.cpp):
    /// q/k/v biases for qwen2 / qwen2moe, q/k norms for qwen3 / qwen3moe / gemma3 / olmo2, four norms
    /// per layer for gemma2 / gemma3, plain (ungated) MLPs for gpt2 / phi2 / falcon / starcoder /
    /// bloom / mpt / gptneox / gptj. Tied embeddings are not printed: of the two counts, the one
    /// nearer the printed "model params" is taken.
    public static func build(_ a: LoggedArchitecture) throws(LogCheckError) -> Model {
        func need(_ v: Int64?, _ what: String, max: Int64) throws(LogCheckError) -> Int64 {
            guard let v, v > 0 else { throw .incompleteArchitecture("\(what) is not printed") }
            guard v <= max else { throw .incompleteArchitecture("\(what) = \(v) is beyond \(max)") }
            return v
        }
        let arch = (a.arch ?? "llama").lowercased()
        // The same bounds as GGUFModelReader: every tensor count stays far inside Int64.
        let hidden = try need(a.embedding, "n_embd", max: 1 << 16)
        let layers = try need(a.layers, "n_layer", max: 1024)
        let heads = try need(a.heads, "n_head", max: 1024)
        let vocab = try need(a.vocab, "n_vocab", max: 1 << 22)
        let ff = try need(a.feedForward ?? a.expertFeedForward, "n_ff", max: 1 << 18)
        var kvHeads = a.kvHeads ?? heads
        if kvHeads <= 0 || kvHeads > heads { kvHeads = heads }
        let headDim = a.headDimK.flatMap { $0 > 0 && $0 <= 4096 ? $0 : nil }
        if headDim == nil && hidden % heads != 0 { throw .incompleteArchitecture("n_head \(heads) does not divide n_embd \(hidden) and n_embd_head_k is not printed") }
        var mla: Model.MLA? = nil
        if let kv = a.kvLoraRank, kv > 0 {
            guard kv <= 1 << 14 else { throw .incompleteArchitecture("n_lora_kv = \(kv) is beyond \(1 << 14)") }
            let rope = min(a.rotaryDims ?? 64, 4096)
            let k = headDim ?? (128 + rope)
            guard k > rope else { throw .incompleteArchitecture("n_embd_head_k must exceed n_rot for MLA") }
            mla = Model.MLA(kvLoraRank: kv, qLoraRank: a.qLoraRank.flatMap { $0 > 0 && $0 <= 1 << 16 ? $0 : nil }, qkRopeHeadDim: rope,
                            qkNopeHeadDim: k - rope, vHeadDim: a.headDimV.flatMap { $0 > 0 && $0 <= 4096 ? $0 : nil } ?? (k - rope))
        }
        var moe: Model.MoE? = nil
        if let e = a.experts, e > 1 {
            guard e <= 4096 else { throw .incompleteArchitecture("n_expert = \(e) is beyond 4096") }
            let used = min(max(a.expertsUsed ?? 2, 1), e)
            moe = Model.MoE(numExperts: e, expertsPerToken: used, expertIntermediateSize: max(min(a.expertFeedForward ?? ff, 1 << 18), 1),
                            sharedExperts: min(a.sharedExperts ?? 0, 64), firstDenseLayers: min(a.leadingDenseLayers ?? 0, layers))
        }
        var sliding: Model.SlidingWindow? = nil
        if let w = a.slidingWindow, w > 0, w <= 1 << 28 {
            sliding = Model.SlidingWindow(window: w, pattern: arch.hasPrefix("gemma2") || arch == "gpt-oss" ? [true, false]
                                          : arch.hasPrefix("gemma3") ? [true, true, true, true, true, false] : [])
        }
        let plain = ["gpt2", "phi2", "falcon", "starcoder", "bloom", "mpt", "gptneox", "gptj", "starcoder2"].contains(arch)
        let name = a.name?.trimmingSpaces.isEmpty == false ? a.name!.trimmingSpaces : arch
        var m = Model(
            id: slug(name), name: name, family: arch, vocabSize: vocab, hiddenSize: hidden, intermediateSize: ff,
            numLayers: layers, numAttentionHeads: heads, numKVHeads: kvHeads,
            headDimOverride: mla == nil ? headDim.flatMap { $0 != hidden / heads ? $0 : nil } : nil,
            tieWordEmbeddings: false, qkvBias: arch.hasPrefix("qwen2"), gatedMLP: !plain,
            qkNorm: arch.hasPrefix("qwen3") || arch.hasPrefix("gemma3") || arch.hasPrefix("olmo2"),
            normsPerLayer: arch.hasPrefix("gemma2") || arch.hasPrefix("gemma3") ? 4 : 2,
            moe: moe, mla: mla, slidingWindow: sliding, maxContext: max(min(a.contextTrain ?? 4096, 1 << 28), 1),
            dtype: .bf16, publishedParams: 1)
        let untied = ParameterCount.total(m)
        var tied = m
        tied.tieWordEmbeddings = true
        if let p = a.parameters, abs(Double(ParameterCount.total(tied)) - p) < abs(Double(untied) - p) { m = tied }
        m.publishedParams = max(ParameterCount.total(m), 1)
        m.source = ["llama.cpp log: printed model dimensions (\(arch))"]
        return m
    }

    static func slug(_ s: String) -> String {
        var out = ""
        for c in s.lowercased() {
            if c.isLetter || c.isNumber || c == "." { out.append(c) } else if out.last != "-" { out.append("-") }
        }
        while out.hasSuffix("-") { out.removeLast() }
        while out.hasPrefix("-") { out.removeFirst() }
        return out.isEmpty ? "model-from-log" : String(out.prefix(80))
    }
}
