import CUDADriver
import Testing
@testable import VramfitCUDA

/// Launch shapes by hand arithmetic (H100: 132 multiprocessors).
@Suite struct LaunchGeometryTests {
    @Test func oneRowPerWarpAsMeasured() {
        // Every Qwen2.5-7B and Llama-3.1-70B matrix height takes the 1-row kernel.
        for rows in [512, 1024, 3584, 8192, 18944, 28672] { #expect(LaunchGeometry.gemvRowsPerWarp(rows: rows, multiprocessors: 132) == 1) }
    }

    @Test func gemvGridCoversEveryRow() {
        // 18944 rows, 4 per warp → 4736 warps → 592 blocks of 8 warps.
        #expect(LaunchGeometry.gemvGrid(rows: 18944, rowsPerWarp: 4) == Dim3(592))
        // 3585 rows, 1 per warp → 3585 warps → 449 blocks (the last with one busy warp).
        #expect(LaunchGeometry.gemvGrid(rows: 3585, rowsPerWarp: 1) == Dim3(449))
        for rows in [1, 7, 8, 9, 255, 256, 257, 4095] {
            for r in [1, 2, 4] {
                let g = LaunchGeometry.gemvGrid(rows: rows, rowsPerWarp: r)
                let covered = g.x * LaunchGeometry.warpsPerBlock * r
                #expect(covered >= rows && covered - rows < LaunchGeometry.warpsPerBlock * r, "rows \(rows) r \(r)")
            }
        }
    }

    @Test func gemvGridStaysResidentAndSpreadsPasses() {
        // gate_proj, 18944 rows, 1 per warp: 2368 blocks needed; 4 blocks × 132 SMs = 528 resident
        // → 5 passes → 474 blocks (474 × 8 warps × 5 passes = 18960 ≥ 18944 rows).
        #expect(LaunchGeometry.gemvGrid(rows: 18944, rowsPerWarp: 1, residentBlocks: 528) == Dim3(474))
        // down_proj, 3584 rows: 448 blocks ≤ 528 resident → unchanged, one row per warp.
        #expect(LaunchGeometry.gemvGrid(rows: 3584, rowsPerWarp: 1, residentBlocks: 528) == Dim3(448))
        // Occupancy unknown (0): the plain grid.
        #expect(LaunchGeometry.gemvGrid(rows: 18944, rowsPerWarp: 1, residentBlocks: 0) == Dim3(2368))
        for rows in [1, 9, 4095, 18944, 28672, 128_256] {
            for resident in [1, 7, 264, 528] {
                let g = LaunchGeometry.gemvGrid(rows: rows, rowsPerWarp: 1, residentBlocks: resident)
                let needed = LaunchGeometry.gemvGrid(rows: rows, rowsPerWarp: 1).x
                let passes = (needed + g.x - 1) / g.x
                #expect(g.x <= max(resident, 1) || g.x == needed, "rows \(rows) resident \(resident)")
                #expect(g.x * passes >= needed && passes == (needed + resident - 1) / resident || needed <= resident, "rows \(rows) resident \(resident)")
            }
        }
    }

    @Test func gemmGridTilesBothSides() {
        // 512 tokens × 18944 rows: 148 tiles of 128 rows, 4 of 128 tokens.
        #expect(LaunchGeometry.gemmGrid(tokens: 512, rows: 18944) == Dim3(148, 4))
        #expect(LaunchGeometry.gemmGrid(tokens: 160, rows: 3584) == Dim3(28, 2))
        #expect(LaunchGeometry.gemmGrid(tokens: 1, rows: 1) == Dim3(1, 1))
    }

    @Test func attentionSplitsDecodeButNotPrefill() {
        // Decode, 28 heads, 544 visible positions: 3 chunks of 256; 2 × 132 / 28 → 10 wanted → 3 splits of 256.
        let d = LaunchGeometry.attentionSplit(positions: 544, heads: 28, tokens: 1, multiprocessors: 132)
        #expect(d.splits == 3 && d.length == 256)
        // Decode at 32768 positions: 128 chunks, 10 splits wanted → 13 chunks (3328 positions) each → 10 splits.
        let long = LaunchGeometry.attentionSplit(positions: 32768, heads: 28, tokens: 1, multiprocessors: 132)
        #expect(long.length == 13 * 256 && long.splits == 10)
        #expect(long.splits * long.length >= 32768)
        // Prefill of 512 tokens × 28 heads = 14336 blocks already: one split over all positions.
        let p = LaunchGeometry.attentionSplit(positions: 512, heads: 28, tokens: 512, multiprocessors: 132)
        #expect(p.splits == 1 && p.length == 512)
    }

    @Test func attentionSplitAlwaysCoversThePositions() {
        for positions in [1, 255, 256, 257, 1000, 4097, 100_000] {
            for tokens in [1, 2, 64] {
                let s = LaunchGeometry.attentionSplit(positions: positions, heads: 8, tokens: tokens, multiprocessors: 132)
                #expect(s.length % 256 == 0 && s.splits >= 1)
                #expect(s.splits * s.length >= positions && (s.splits - 1) * s.length < positions, "\(positions) \(tokens)")
            }
        }
    }

    @Test func partialBytesByHand() {
        // 1 token × 28 heads × 10 splits × (128 + 2) floats × 4 B = 145,600 B.
        #expect(LaunchGeometry.attentionPartialBytes(tokens: 1, heads: 28, splits: 10, headDim: 128) == 145_600)
    }
}
