import CUDADriver
import VramfitCore
import VramfitRunner

/// The device's two ceilings and the kernels measured against them (docs/validation/h100.md):
/// a large device-to-device copy (bytes read + written per second: the bandwidth limit), and each
/// weight format's GEMV (weight bytes per second) and GEMM (FLOP per second).
///
/// Method (the device notes' METHOD.md): CUDA events around a batch of back-to-back launches after
/// warm-up, the median of several batches; the matrix is replicated until the copies together are
/// ≥ 4 × L2 and launches rotate over them, so the GEMV reads DRAM, not the cache.
public enum CUDABench {
    public struct CopyResult: Sendable {
        public var bytes: Int
        public var medianSeconds: Double
        /// (read + written) / time, GB/s (10⁹).
        public var gbps: Double { 2 * Double(bytes) / medianSeconds / 1e9 }
    }

    public static func copyBandwidth(_ rt: CUDARuntime, bytes: Int = 1 << 31, repeats: Int = 20) throws -> CopyResult {
        let a = try rt.context.allocate(bytes: bytes), b = try rt.context.allocate(bytes: bytes)
        try a.fill32(0x3F80_0000)  // 1.0f: timing on zeros can flatter (METHOD.md)
        let e0 = try rt.context.makeEvent(), e1 = try rt.context.makeEvent()
        for _ in 0..<3 { try b.copy(from: a, bytes: bytes) }
        var times: [Double] = []
        for _ in 0..<repeats {
            try e0.record(); try b.copy(from: a, bytes: bytes); try e1.record()
            times.append(try e1.milliseconds(since: e0) / 1000)
        }
        return CopyResult(bytes: bytes, medianSeconds: median(times))
    }

    public struct GEMVResult: Sendable {
        public var name: String
        public var format: String
        public var rows: Int, cols: Int
        /// Bytes of the matrix's storage (what one GEMV must read).
        public var bytes: Int
        public var rowsPerWarp: Int
        public var automatic: Bool
        public var copies: Int
        public var medianSeconds: Double
        public var gbps: Double { Double(bytes) / medianSeconds / 1e9 }
    }

    /// Times y = W·x for `weight` with each rows-per-warp variant (nil: the geometry's choice).
    public static func gemv(_ rt: CUDARuntime, name: String, weight: any QuantizedWeight, variants: [Int?] = [nil, 1, 2, 4],
                            batch: Int = 20, batches: Int = 15) throws -> [GEMVResult] {
        let bytes = weight.buffers.reduce(0) { $0 + $1.bytes.count }
        let copies = max(1, min(64, (4 * rt.device.l2CacheBytes + bytes - 1) / max(bytes, 1)))
        var mats: [DeviceMatrix] = []
        for _ in 0..<copies { mats.append(try DeviceMatrix(weight, runtime: rt)) }
        let x = try rt.context.upload(GaussianFill.values(weight.cols, seed: 7, std: 1))
        let y = try rt.context.allocate(bytes: weight.rows * 4)
        let e0 = try rt.context.makeEvent(), e1 = try rt.context.makeEvent()
        var out: [GEMVResult] = []
        let auto = LaunchGeometry.gemvRowsPerWarp(rows: weight.rows, multiprocessors: rt.device.multiprocessors)
        for v in variants {
            let r = v ?? auto
            // Each variant once through the poison check: every output written, finite.
            try y.fill32(DeviceBuffer.nanPattern)
            try mats[0].gemv(x: x.pointer, y: y.pointer, rowsPerWarp: r)
            try rt.context.synchronize("gemv \(name)")
            let ys = try y.copyOut(Float.self, count: weight.rows)
            if let bad = ys.firstIndex(where: { !$0.isFinite }) { throw CUDAError.unsupported("gemv \(name) r\(r) left output \(bad) unwritten") }
            for i in 0..<(2 * copies) { try mats[i % copies].gemv(x: x.pointer, y: y.pointer, rowsPerWarp: r) }
            var times: [Double] = []
            for b in 0..<batches {
                try e0.record()
                for i in 0..<batch { try mats[(b * batch + i) % copies].gemv(x: x.pointer, y: y.pointer, rowsPerWarp: r) }
                try e1.record()
                times.append(try e1.milliseconds(since: e0) / 1000 / Double(batch))
            }
            out.append(GEMVResult(name: name, format: weight.format, rows: weight.rows, cols: weight.cols, bytes: bytes, rowsPerWarp: r,
                                  automatic: v == nil, copies: copies, medianSeconds: median(times)))
        }
        return out
    }

    public struct GEMMResult: Sendable {
        public var name: String
        public var format: String
        public var tokens: Int, rows: Int, cols: Int
        public var medianSeconds: Double
        public var tflops: Double { 2 * Double(tokens) * Double(rows) * Double(cols) / medianSeconds / 1e12 }
    }

    public static func gemm(_ rt: CUDARuntime, name: String, weight: any QuantizedWeight, tokens: Int, repeats: Int = 10) throws -> GEMMResult {
        let m = try DeviceMatrix(weight, runtime: rt)
        let x = try rt.context.upload(GaussianFill.values(tokens * weight.cols, seed: 9, std: 1))
        let y = try rt.context.allocate(bytes: tokens * weight.rows * 4)
        let e0 = try rt.context.makeEvent(), e1 = try rt.context.makeEvent()
        try y.fill32(DeviceBuffer.nanPattern)
        try m.gemm(x: x.pointer, y: y.pointer, tokens: tokens)
        try rt.context.synchronize("gemm \(name)")
        let ys = try y.copyOut(Float.self, count: tokens * weight.rows)
        if let bad = ys.firstIndex(where: { !$0.isFinite }) { throw CUDAError.unsupported("gemm \(name) left output \(bad) unwritten") }
        var times: [Double] = []
        for _ in 0..<repeats {
            try e0.record(); try m.gemm(x: x.pointer, y: y.pointer, tokens: tokens); try e1.record()
            times.append(try e1.milliseconds(since: e0) / 1000)
        }
        return GEMMResult(name: name, format: weight.format, tokens: tokens, rows: weight.rows, cols: weight.cols, medianSeconds: median(times))
    }

    public static func median(_ v: [Double]) -> Double {
        guard !v.isEmpty else { return 0 }
        let s = v.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
}

/// Correctness of the kernels against the CPU: every matrix of a layer dequantized on the device
/// vs `dequantizeRow`, and one GEMV and one GEMM vs the CPU's `matvec`/`matmul` on the same
/// quantized weight (the CPU result is the oracle).
public enum CUDAKernelCheck {
    public struct MatrixCheck: Sendable {
        public var format: String
        public var rows: Int, cols: Int
        /// max |device − CPU| / max |CPU| over the dequantized matrix.
        public var dequantError: Double
        /// ‖y_gpu − y_cpu‖ / ‖y_cpu‖ for y = W·x.
        public var gemvError: Double
        /// Same for Y = X·Wᵀ over `gemmTokens` tokens.
        public var gemmError: Double
        public var gemmTokens: Int
    }

    public static func check(_ rt: CUDARuntime, weight w: any QuantizedWeight, tokens: Int = 160, seed: UInt64 = 11) throws -> MatrixCheck {
        let m = try DeviceMatrix(w, runtime: rt)
        let dev = try m.dequantize()
        var maxDiff = 0.0, maxRef = 0.0
        var row = [Float](repeating: 0, count: w.cols)
        for r in 0..<w.rows {
            row.withUnsafeMutableBufferPointer { w.dequantizeRow(r, into: $0) }
            for k in 0..<w.cols {
                let d = Double(dev[r * w.cols + k]), c = Double(row[k])
                maxDiff = max(maxDiff, d.isFinite ? abs(d - c) : .infinity); maxRef = max(maxRef, abs(c))
            }
        }
        let x = GaussianFill.values(tokens * w.cols, seed: seed, std: 1)
        // GEMV on the first token.
        var cpuY = [Float](repeating: 0, count: w.rows)
        x.withUnsafeBufferPointer { xb in
            cpuY.withUnsafeMutableBufferPointer { w.matvec(UnsafeBufferPointer(rebasing: xb[0..<w.cols]), into: $0, rows: 0..<w.rows) }
        }
        let xd = try rt.context.upload(x)
        let yd = try rt.context.allocate(bytes: max(tokens, 1) * w.rows * 4)
        try yd.fill32(DeviceBuffer.nanPattern)
        try m.gemv(x: xd.pointer, y: yd.pointer)
        try rt.context.synchronize("gemv check")
        let gy = try yd.copyOut(Float.self, count: w.rows)
        var cpuYY = [Float](repeating: 0, count: tokens * w.rows)
        x.withUnsafeBufferPointer { xb in cpuYY.withUnsafeMutableBufferPointer { w.matmul(xb, tokens: tokens, into: $0, rows: 0..<w.rows) } }
        try yd.fill32(DeviceBuffer.nanPattern)
        try m.gemm(x: xd.pointer, y: yd.pointer, tokens: tokens)
        try rt.context.synchronize("gemm check")
        let gY = try yd.copyOut(Float.self, count: tokens * w.rows)
        return MatrixCheck(format: w.format, rows: w.rows, cols: w.cols, dequantError: maxRef > 0 ? maxDiff / maxRef : maxDiff,
                           gemvError: OutputError.compare(gy, cpuY.map(Double.init)).relativeL2,
                           gemmError: OutputError.compare(gY, cpuYY.map(Double.init)).relativeL2, gemmTokens: tokens)
    }
}

/// The KV cache store against the host's `KVCacheStorage.encode`: random K rows through the
/// `kv_store` kernel, the cache bytes read back and decoded on the host.
public enum CUDAKVCheck {
    public struct Result: Sendable {
        public var storage: KVCacheStorage
        /// Bytes of the device's cache that differ from the host encoding of the same values.
        public var differingBytes: Int
        public var totalBytes: Int
        /// max |decode(device bytes) − decode(host bytes)| / max |value|.
        public var decodeError: Double
        /// The first differing bytes: "row r, block b, byte o: device 0x.. host 0x..".
        public var firstDifferences: [String] = []
    }

    /// How much looser a whole-layer comparison with this cache must be than with an fp16 one.
    /// The store is checked byte for byte on its own (`check`); in a layer the GPU's K and V differ
    /// from the CPU's and float64's by ~5e-4 (fp16 activations, another summation order), and a
    /// block-quantized cache turns some of those differences into whole quantization steps (a value
    /// next to a rounding boundary lands on the other side). The coarser the step, the larger the
    /// effect: on the H100 (2026-11-23, `cuda check --model qwen3-0.6b --quant bf16,awq --kv
    /// fp16,q8_0,q4_0 --layers-only`, stores byte-exact) the prefill update's error vs float64 was
    /// 4.3e-4 with fp16, 1.6e-3 with q8_0 (127 levels) and 6.7e-3 / 7.4e-3 with q4_0 (16 levels),
    /// while the CPU, whose K/V equal float64's to ~1e-7, stays at 1.6e-5 with q4_0. q4_0 gets
    /// twice the layer tolerance; every other type the same.
    public static func layerToleranceFactor(_ storage: KVCacheStorage) -> Double {
        storage == .q4_0 ? 2 : 1
    }

    public static func check(_ rt: CUDARuntime, storage: KVCacheStorage, width: Int = 1024, tokens: Int = 5) throws -> Result {
        let values = GaussianFill.values(tokens * width, seed: 21, std: 1.5)
        let rowBytes = storage.bytes(forValues: width)
        let k = try rt.context.upload(values), v = try rt.context.upload(values)
        let kc = try rt.context.allocate(bytes: rowBytes * (tokens + 1)), vc = try rt.context.allocate(bytes: rowBytes * (tokens + 1))
        try kc.fill32(0); try vc.fill32(0)
        try rt.launchElementwise("kv_store", count: 2 * tokens * ((width + 31) / 32),
                                 [.buffer(k), .buffer(v), .buffer(kc), .buffer(vc), .int(tokens), .int(width), .int(rowBytes), .int(1),
                                  .int32(CUDALayerSession.kvCode(storage))])
        try rt.context.synchronize("kv_store check")
        let dev = try kc.copyOut(UInt8.self, count: rowBytes * (tokens + 1))
        var host = [UInt8](repeating: 0, count: rowBytes * (tokens + 1))
        values.withUnsafeBufferPointer { vp in
            host.withUnsafeMutableBytes { hp in
                for t in 0..<tokens { storage.encode(vp.baseAddress! + t * width, count: width, into: hp.baseAddress! + (t + 1) * rowBytes) }
            }
        }
        let differing = dev.indices.filter { dev[$0] != host[$0] }
        let blockBytes = storage.blockBytes
        let firsts = differing.prefix(6).map { i in
            "row \(i / rowBytes), block \(i % rowBytes / blockBytes), byte \(i % blockBytes): device 0x\(String(dev[i], radix: 16)) host 0x\(String(host[i], radix: 16))"
        }
        var devF = [Float](repeating: 0, count: width), hostF = [Float](repeating: 0, count: width)
        var err = 0.0, mx = 0.0
        for t in 1...tokens {
            dev.withUnsafeBytes { storage.decode($0.baseAddress! + t * rowBytes, range: 0..<width, into: &devF) }
            host.withUnsafeBytes { storage.decode($0.baseAddress! + t * rowBytes, range: 0..<width, into: &hostF) }
            for i in 0..<width { err = max(err, Double(abs(devF[i] - hostF[i]))); mx = max(mx, Double(abs(hostF[i]))) }
        }
        return Result(storage: storage, differingBytes: differing.count, totalBytes: dev.count, decodeError: mx > 0 ? err / mx : err,
                      firstDifferences: Array(firsts))
    }
}
