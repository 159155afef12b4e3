extension WeightBreakdown {
    /// The breakdown with every entry scaled so the total is `total`: used when the checkpoint's
    /// tensor headers give the exact size. Per-layer, per-stage and per-role shares stay those of
    /// the formula, so pipeline splits and llama.cpp's host-side embeddings keep their proportions.
    /// The rounding remainder goes to the largest entry, so the sum is exact.
    public func scaled(toTotal total: ByteCount?) -> WeightBreakdown {
        guard let total, total.value >= 0, !entries.isEmpty else { return self }
        let formula = self.total.value
        guard formula > 0 else { return self }
        var out = self
        let ratio = Double(total.value) / Double(formula)
        var sum: Int64 = 0
        for k in out.entries.indices {
            out.entries[k].bytes = ByteCount(fromDouble: Double(out.entries[k].bytes.value) * ratio)
            sum = sum &+ out.entries[k].bytes.value
        }
        if let big = out.entries.indices.max(by: { out.entries[$0].bytes < out.entries[$1].bytes }) {
            out.entries[big].bytes = ByteCount(max(0, out.entries[big].bytes.value + (total.value - sum)))
        }
        return out
    }
}
