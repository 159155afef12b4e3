import CUDADriver
import VramfitRunner

/// One weight matrix on the device, in its quantized storage: every buffer of the quantizer
/// uploaded byte for byte (int4 `qweight` then permuted on the device into row-major order, same
/// byte count), and the launches that multiply with it.
final class DeviceMatrix {
    let rows: Int
    let cols: Int
    let plan: MatrixPlan
    let format: String
    private(set) var buffers: [String: DeviceBuffer] = [:]
    let runtime: CUDARuntime

    /// Bytes held on the device for this matrix.
    var residentBytes: Int { buffers.values.reduce(0) { $0 + $1.byteCount } }

    init(_ w: any QuantizedWeight, runtime: CUDARuntime) throws {
        self.runtime = runtime
        rows = w.rows; cols = w.cols; format = w.format
        var raw: [String: [UInt8]] = [:]
        for b in w.buffers { raw[b.name] = b.bytes }
        plan = try MatrixPlan.plan(format: w.format, rows: w.rows, cols: w.cols, buffers: raw, capability: runtime.device.computeCapability)
        for b in w.buffers { buffers[b.name] = try runtime.context.upload(b.bytes) }
        if let perm = plan.permutation { buffers[MatrixPlan.permutationName] = try runtime.context.upload(perm) }
        if let layout = plan.repackLayout, let src = buffers["qweight"] {
            let dst = try runtime.context.allocate(bytes: src.byteCount)
            let permArg: KernelArgument = buffers[MatrixPlan.permutationName].map { .buffer($0) } ?? .pointer(0)
            try runtime.function("int4_repack", in: .matrix(.int4)).launch(
                grid: LaunchGeometry.elementwise(rows * cols / 8), block: Dim3(LaunchGeometry.threads),
                [.buffer(src), .buffer(dst), permArg, .int(rows), .int(cols), .int32(layout), .int32(plan.i0)])
            try runtime.context.synchronize("int4_repack")
            buffers["qweight"] = nil  // the original layout is freed; the repacked copy replaces it
            buffers[MatrixPlan.repacked] = dst
        }
        // Shared-memory limits are raised now, not inside a graph capture.
        let shared = plan.format.gemvSharedBytes(cols: cols)
        if shared > 48 * 1024 {
            for r in [1, 2, 4] { try runtime.allowDynamicShared(runtime.function(plan.format.gemvKernel(rowsPerWarp: r), in: .matrix(plan.format)), bytes: shared) }
        }
    }

    /// p0…p5, f0, i0…i2 as the format structs take them.
    var formatArguments: [KernelArgument] {
        plan.slots.map { name in name.flatMap { buffers[$0] }.map { KernelArgument.buffer($0) } ?? .pointer(0) }
            + [.float(0), .int32(plan.i0), .int32(plan.i1), .int32(plan.i2)]
    }

    /// GEMV blocks resident on the whole GPU at once, per rows-per-warp kernel (occupancy calculator).
    private var residentBlocks: [Int: Int] = [:]

    /// y[0 ..< rows] = W · x (decode). `rowsPerWarp` overrides the geometry's choice (benchmarks).
    func gemv(x: CUdeviceptr, y: CUdeviceptr, rowsPerWarp: Int? = nil) throws {
        let r = rowsPerWarp ?? LaunchGeometry.gemvRowsPerWarp(rows: rows, multiprocessors: runtime.device.multiprocessors)
        let shared = plan.format.gemvSharedBytes(cols: cols)
        let f = try runtime.function(plan.format.gemvKernel(rowsPerWarp: r), in: .matrix(plan.format))
        try runtime.allowDynamicShared(f, bytes: shared)
        if residentBlocks[r] == nil {
            residentBlocks[r] = try f.maxActiveBlocksPerMultiprocessor(blockSize: MatrixSource.gemvThreads, dynamicShared: shared) * runtime.device.multiprocessors
        }
        let grid = LaunchGeometry.gemvGrid(rows: rows, rowsPerWarp: r, residentBlocks: residentBlocks[r] ?? 0)
        try f.launch(grid: grid, block: Dim3(MatrixSource.gemvThreads), sharedBytes: shared,
                     formatArguments + [.pointer(x), .pointer(y), .int(rows), .int(cols)])
    }

    /// Y[tokens × rows] = X[tokens × cols] · Wᵀ (prefill).
    func gemm(x: CUdeviceptr, y: CUdeviceptr, tokens: Int) throws {
        let grid = LaunchGeometry.gemmGrid(tokens: tokens, rows: rows)
        guard grid.y <= LaunchGeometry.maxGridYZ else { throw CUDAError.unsupported("\(tokens) tokens in one GEMM (at most \(LaunchGeometry.maxGridYZ * 128))") }
        try runtime.function(plan.format.gemmKernel, in: .matrix(plan.format)).launch(
            grid: grid, block: Dim3(MatrixSource.gemmThreads),
            formatArguments + [.pointer(x), .pointer(y), .int(tokens), .int(rows), .int(cols)])
    }

    /// Y = X · Wᵀ for any token count: the GEMV for one token, the GEMM otherwise.
    func project(x: CUdeviceptr, y: CUdeviceptr, tokens: Int) throws {
        if tokens == 1 { try gemv(x: x, y: y) } else { try gemm(x: x, y: y, tokens: tokens) }
    }

    /// The whole matrix dequantized to fp32 on the device, row-major in the ORIGINAL column
    /// order (tests compare it with the CPU's `dequantizeRow`).
    func dequantize() throws -> [Float] {
        let out = try runtime.context.allocate(bytes: rows * cols * 4)
        try out.fill32(DeviceBuffer.nanPattern)
        try runtime.function(plan.format.dequantKernel, in: .matrix(plan.format)).launch(
            grid: LaunchGeometry.elementwise(rows * cols / plan.format.valuesPerChunk), block: Dim3(LaunchGeometry.threads),
            formatArguments + [.buffer(out), .int(rows), .int(cols)])
        try runtime.context.synchronize("dequantize \(format)")
        var v = try out.copyOut(Float.self, count: rows * cols)
        if let perm = plan.permutation {  // repacked columns are sorted by group: put them back
            var orig = v
            for r in 0..<rows { for (kk, k) in perm.enumerated() { orig[r * cols + Int(k)] = v[r * cols + kk] } }
            v = orig
        }
        return v
    }
}
