import CUDADriver

/// Grid and block shapes of every launch, as plain arithmetic (tested without a GPU).
public enum LaunchGeometry {
    public static let threads = 256
    public static let warpsPerBlock = threads / 32

    /// Rows each warp of the GEMV owns: one. Measured on the H100 (docs/validation/h100.md, bench
    /// with every variant): once x is staged in shared memory, one row per warp (the most warps,
    /// the most 16-byte loads in flight) was the fastest for every Qwen2.5-7B matrix and format —
    /// int8 gate_proj 2369 GB/s at 1 row vs 2203 at 2 and 1638 at 4, AWQ 1555 / 1412 / 1001, fp16
    /// 2799 / 2584 / 2739. The 2- and 4-row kernels stay for the benchmark's variants.
    public static func gemvRowsPerWarp(rows: Int, multiprocessors: Int) -> Int { 1 }

    public static func gemvGrid(rows: Int, rowsPerWarp: Int) -> Dim3 {
        let warps = (rows + rowsPerWarp - 1) / rowsPerWarp
        return Dim3((warps + warpsPerBlock - 1) / warpsPerBlock)
    }

    /// The GEMV grid when each block stages x once and its warps then walk the rows in strides
    /// of the whole grid: no more blocks than fit on the GPU at once (`residentBlocks`, the
    /// occupancy calculator's blocks per multiprocessor × multiprocessors), and that many passes
    /// spread evenly. Why: the staging of x (4·K bytes read from L2 per block) cost as much L2
    /// traffic as an int4 block's 8 rows of weights, and it came before any weight load was issued
    /// (docs/validation/h100.md §4).
    public static func gemvGrid(rows: Int, rowsPerWarp: Int, residentBlocks: Int) -> Dim3 {
        let needed = gemvGrid(rows: rows, rowsPerWarp: rowsPerWarp).x
        guard residentBlocks > 0, needed > residentBlocks else { return Dim3(needed) }
        let passes = (needed + residentBlocks - 1) / residentBlocks
        return Dim3((needed + passes - 1) / passes)
    }

    /// GEMM tiles: x over weight rows (128 each), y over tokens (128 each).
    public static func gemmGrid(tokens: Int, rows: Int) -> Dim3 {
        Dim3((rows + MatrixSource.gemmTileN - 1) / MatrixSource.gemmTileN, (tokens + MatrixSource.gemmTileM - 1) / MatrixSource.gemmTileM)
    }

    /// One thread per element.
    public static func elementwise(_ count: Int) -> Dim3 { Dim3(max(1, (count + threads - 1) / threads)) }

    /// How attention splits the positions a query sees: (splits S, positions per split L), L a
    /// multiple of 256 (one pass of the block's threads). With few queries × heads (decode), the
    /// positions are cut until heads × S ≥ 2 blocks per multiprocessor; with many (prefill) S = 1.
    public static func attentionSplit(positions: Int, heads: Int, tokens: Int, multiprocessors: Int) -> (splits: Int, length: Int) {
        let p = max(1, positions)
        let chunks = (p + threads - 1) / threads
        let blocksWithoutSplit = heads * tokens
        let wanted = max(1, (2 * max(1, multiprocessors) + blocksWithoutSplit - 1) / blocksWithoutSplit)
        let s = min(chunks, wanted)
        let length = ((chunks + s - 1) / s) * threads
        return ((p + length - 1) / length, length)
    }

    /// Bytes of attention's partial results: o [T][H][S][d] plus max and sum [T][H][S], fp32.
    public static func attentionPartialBytes(tokens: Int, heads: Int, splits: Int, headDim: Int) -> Int {
        4 * tokens * heads * splits * (headDim + 2)
    }

    /// Grid limits: y and z are at most 65535 (attention puts tokens on z).
    public static let maxGridYZ = 65535
}
