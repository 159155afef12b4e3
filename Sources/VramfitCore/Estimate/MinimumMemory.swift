/// "How much VRAM do I need?": the smallest per-GPU memory at which the configuration fits,
/// found by bisection over a copy of a reference GPU with that much memory. Every engine's own
/// rules apply (a vLLM pool must hold the workload's tokens; llama.cpp's buffers must fit).
public enum MinimumMemory {
    /// Bytes per GPU, to MiB precision, or nil when even 64 TiB per GPU does not fit.
    public static func perGPU(_ request: EstimateRequest) -> (bytes: ByteCount, estimate: Estimate)? {
        func attempt(_ mib: Int64) -> Estimate? {
            var r = request
            r.gpu.memory = .mib(mib)
            r.gpu.usableMemory = .mib(mib)
            guard let e = try? Estimator.estimate(r), e.fits else { return nil }
            return e
        }
        var hi: Int64 = 1 << 26  // 64 TiB in MiB
        guard var best = attempt(hi) else { return nil }
        var lo: Int64 = 0
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2
            if let e = attempt(mid) { hi = mid; best = e } else { lo = mid }
        }
        return (.mib(hi), best)
    }
}
