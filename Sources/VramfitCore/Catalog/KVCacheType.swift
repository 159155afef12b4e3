/// Element type of the KV cache. Block types (q8_0, q4_0) are llama.cpp's: 32 values share one
/// fp16 scale, so q8_0 costs 34 bytes per 32 values (ggml-common.h `block_q8_0`).
public struct KVCacheType: Sendable, Identifiable, Equatable {
    public var id: String
    public var name: String
    public var aliases: [String]
    /// Bytes per block of `blockSize` values.
    public var blockBytes: Int64
    public var blockSize: Int64
    /// Engines that accept it, by engine id.
    public var engines: [String]
    /// Minimum CUDA compute capability (major×10+minor) where engines require one; nil where the
    /// type is storage only (vLLM's fp8 KV cache runs on Ampere through FlashInfer/Triton).
    public var minComputeCapability: Int?
    public var source: [String]

    public init(id: String, name: String, aliases: [String] = [], blockBytes: Int64, blockSize: Int64, engines: [String],
                minComputeCapability: Int? = nil, source: [String] = []) {
        self.id = id; self.name = name; self.aliases = aliases; self.blockBytes = blockBytes; self.blockSize = blockSize
        self.engines = engines; self.minComputeCapability = minComputeCapability; self.source = source
    }

    /// Bytes to store `n` values, whole blocks (n is a multiple of 32 for every real head size).
    public func bytes(forValues n: Int64) -> ByteCount {
        let blocks = (n + blockSize - 1) / blockSize
        return ByteCount(blocks) * blockBytes
    }
}
