/// The GPU a log ran on: by the name its device line prints ("NVIDIA GeForce RTX 4090",
/// "NVIDIA A100-SXM4-40GB", "NVIDIA H100 80GB HBM3"), else by the total memory it reports.
public enum LogGPUResolver {
    /// Words that make a different product of the same number ("4080 SUPER", "3090 Ti").
    static let variantWords: Set<String> = ["ti", "super", "max", "mobile", "laptop", "ada", "nvl"]

    static func tokens(_ s: String) -> [String] {
        s.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }

    /// The catalog GPU a printed device name means, or nil. The GPU's model number (the first
    /// token of its id with a digit: 4090, a100, h100, t4) must be printed; among those, the
    /// most id tokens printed wins, then the memory nearest `total`.
    public static func byName(_ printed: String, in catalog: Catalog, total: ByteCount? = nil) -> GPU? {
        if let r = try? catalog.gpu(printed), r.value.kind == .gpu { return r.value }
        let have = Set(tokens(printed))
        var best: (score: Int, distance: Int64, index: Int, gpu: GPU)? = nil
        for (i, g) in catalog.gpus.enumerated() where g.kind == .gpu {
            let idTokens = tokens(g.id)
            guard let modelNumber = idTokens.first(where: { $0.contains(where: \.isNumber) }), have.contains(modelNumber) else { continue }
            let own = Set(idTokens + tokens(g.name) + g.aliases.flatMap(tokens))
            if have.contains(where: { variantWords.contains($0) && !own.contains($0) }) { continue }
            // A printed memory size ("40GB") must be the GPU's.
            if let printedGB = have.compactMap({ t -> Int64? in t.hasSuffix("gb") ? Int64(t.dropLast(2)) : nil }).first {
                let gib = Double(g.memory.value) / 1_073_741_824, gb = Double(g.memory.value) / 1e9, p = Double(printedGB)
                if abs(gib - p) > 2 && abs(gb - p) > 2 { continue }
            }
            let score = idTokens.filter(have.contains).count
            let distance = total.map { abs($0.value - g.usableMemory.value) } ?? 0
            if best == nil || score > best!.score || (score == best!.score && distance < best!.distance) {
                best = (score, distance, i, g)
            }
        }
        return best?.gpu
    }

    /// Catalog GPUs whose usable memory is within 4 % of what the log reports, nearest first.
    public static func byTotal(_ total: ByteCount, in catalog: Catalog) -> [GPU] {
        let t = Double(total.value)
        return catalog.gpus.filter { $0.kind == .gpu && abs(Double($0.usableMemory.value) - t) <= 0.04 * t }
            .sorted { abs($0.usableMemory.value - total.value) < abs($1.usableMemory.value - total.value) }
    }

    /// Catalog GPUs that can have had `free` bytes free before loading: usable memory at least
    /// that and at most 12 % + 1 GiB more (a CUDA context and the distributed init take the rest).
    public static func byFreeMemory(_ free: ByteCount, in catalog: Catalog) -> [GPU] {
        let f = Double(free.value)
        return catalog.gpus.filter { g in
            g.kind == .gpu && Double(g.usableMemory.value) >= f && Double(g.usableMemory.value) <= f * 1.12 + 1_073_741_824
        }.sorted { $0.usableMemory < $1.usableMemory }
    }
}
