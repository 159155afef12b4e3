/// KV-cache bytes per token, per layer, as each engine lays the cache out.
public struct KVCacheSize: Sendable {
    public var model: Model
    public var type: KVCacheType
    /// MLA models: vLLM, SGLang, llama.cpp and transformers 5 cache the compressed latent (measured
    /// for transformers 5.17: validation/data/transformers-h100.jsonl); transformers 4.x cached full
    /// per-head K and V, which `latentMLA: false` still gives.
    public var latentMLA: Bool
    /// Tensor-parallel ranks: each holds `max(1, kv_heads / tp)` heads (vLLM replicates KV heads when
    /// tp > kv_heads; MLA's latent is replicated on every rank).
    public var tensorParallel: Int64
    /// Whether the engine caps sliding-window layers at the window (transformers' sliding caches,
    /// llama.cpp's iSWA cache, vLLM V1's hybrid allocator).
    public var capsSlidingWindow: Bool

    public init(model: Model, type: KVCacheType, latentMLA: Bool, tensorParallel: Int64 = 1, capsSlidingWindow: Bool = true) {
        self.model = model; self.type = type; self.latentMLA = latentMLA
        self.tensorParallel = max(tensorParallel, 1); self.capsSlidingWindow = capsSlidingWindow
    }

    /// K and V bytes of one token in one layer on one rank.
    public var bytesPerTokenPerLayer: ByteCount {
        if let mla = model.mla {
            if latentMLA { return type.bytes(forValues: mla.kvLoraRank + mla.qkRopeHeadDim) }
            let heads = max(1, model.numAttentionHeads / tensorParallel)
            return type.bytes(forValues: heads * (mla.qkNopeHeadDim + mla.qkRopeHeadDim))
                + type.bytes(forValues: heads * mla.vHeadDim)
        }
        let heads = max(1, model.numKVHeads / tensorParallel)
        return type.bytes(forValues: heads * model.headDim) * 2
    }

    public func isSliding(_ layer: Int64) -> Bool {
        capsSlidingWindow && (model.slidingWindow?.isSliding(layer: layer) ?? false)
    }

    /// Bytes of the cache for `layers` holding `tokens` positions per sequence for `sequences` sequences.
    /// `slidingTokens` is what a sliding layer holds instead (the window, or llama.cpp's padded SWA size).
    public func bytes(layers: [Int64], tokens: Int64, sequences: Int64, slidingTokens: Int64? = nil) -> ByteCount {
        let per = bytesPerTokenPerLayer
        var total = ByteCount.zero
        let window = slidingTokens ?? min(tokens, model.slidingWindow?.window ?? tokens)
        for l in layers {
            total += per * (isSliding(l) ? min(window, tokens) : tokens) * sequences
        }
        return total
    }

    /// Bytes per token summed over `layers`, every layer counted (how paged engines size a token).
    public func bytesPerToken(layers: [Int64]) -> ByteCount { bytesPerTokenPerLayer * Int64(layers.count) }
}
