#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Top-k routing as transformers does it: softmax over all router logits (fp32), the k largest
/// probabilities, divided by their sum when the family renormalises (`norm_topk_prob`, Mixtral).
public enum MoERouting {
    public struct Pick: Sendable, Equatable {
        public var expert: Int
        public var weight: Float
    }

    public static func route(_ logits: UnsafePointer<Float>, experts: Int, topK: Int, normalize: Bool) -> [Pick] {
        var mx = -Float.infinity
        for e in 0..<experts { mx = max(mx, logits[e]) }
        var probs = [Float](repeating: 0, count: experts)
        var sum: Float = 0
        for e in 0..<experts { probs[e] = expf(logits[e] - mx); sum += probs[e] }
        for e in 0..<experts { probs[e] /= sum }
        // Stable order: larger probability first, lower index on ties.
        let order = (0..<experts).sorted { probs[$0] != probs[$1] ? probs[$0] > probs[$1] : $0 < $1 }
        var picks = order.prefix(topK).map { Pick(expert: $0, weight: probs[$0]) }
        if normalize {
            let s = picks.reduce(Float(0)) { $0 + $1.weight }
            if s > 0 { for i in picks.indices { picks[i].weight /= s } }
        }
        return picks
    }

    public static func route(_ logits: [Float], topK: Int, normalize: Bool) -> [Pick] {
        logits.withUnsafeBufferPointer { route($0.baseAddress!, experts: logits.count, topK: topK, normalize: normalize) }
    }
}
