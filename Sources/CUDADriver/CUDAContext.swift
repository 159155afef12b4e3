/// A device's primary context, current on the calling thread, and the one owner of everything
/// allocated in it. Releasing the last reference releases the context (and the driver frees what
/// it held). Kernels, events and async copies go to one stream of the context (`stream`, created
/// blocking, so it stays ordered with the synchronous copies); one stream keeps them in order and
/// lets a sequence of launches be captured into a CUDA graph.
public final class CUDAContext: @unchecked Sendable {
    let api: DriverAPI
    public let device: CUDADevice
    let handle: OpaquePointer?
    let stream: OpaquePointer?
    /// Synchronise and check after every kernel launch (`VRAMFIT_CUDA_SYNC=1`): slower, but an
    /// asynchronous fault is reported at the launch that caused it.
    public var synchronizeEachLaunch: Bool = environment("VRAMFIT_CUDA_SYNC") == "1"

    init(api: DriverAPI, device: CUDADevice) throws {
        self.api = api
        self.device = device
        var ctx: OpaquePointer? = nil
        try api.check(api.cuDevicePrimaryCtxRetain(&ctx, device.handle), "cuDevicePrimaryCtxRetain")
        handle = ctx
        try api.check(api.cuCtxSetCurrent(ctx), "cuCtxSetCurrent")
        var st: OpaquePointer? = nil
        try api.check(api.cuStreamCreate(&st, 0), "cuStreamCreate")
        stream = st
    }

    deinit {
        _ = api.cuCtxSynchronize()
        _ = api.cuStreamDestroy(stream)
        _ = api.cuDevicePrimaryCtxRelease(device.handle)
    }

    /// Records every launch `body` queues on the context's stream into a CUDA graph instead of
    /// running them; the graph then replays the whole sequence with one launch, so the time
    /// between kernels is the device's, not the host's enqueue time.
    public func capture(_ body: () throws -> Void) throws -> CUDAGraph {
        try makeCurrent()
        // CU_STREAM_CAPTURE_MODE_THREAD_LOCAL (1): only this thread's unsafe calls are refused.
        try api.check(api.cuStreamBeginCapture(stream, 1), "cuStreamBeginCapture")
        var graph: OpaquePointer? = nil
        do { try body() } catch {
            _ = api.cuStreamEndCapture(stream, &graph)
            if graph != nil { _ = api.cuGraphDestroy(graph) }
            throw error
        }
        try api.check(api.cuStreamEndCapture(stream, &graph), "cuStreamEndCapture")
        var exec: OpaquePointer? = nil
        let code = api.cuGraphInstantiate(&exec, graph, 0)
        if code != 0 { _ = api.cuGraphDestroy(graph); throw api.error(code, "cuGraphInstantiateWithFlags") }
        return CUDAGraph(context: self, graph: graph, exec: exec)
    }

    /// Makes this context current on the calling thread (cheap: a thread-local store).
    public func makeCurrent() throws {
        try api.check(api.cuCtxSetCurrent(handle), "cuCtxSetCurrent")
    }

    /// `cuMemGetInfo`: free and total device memory in bytes, as this context sees it.
    public func memoryInfo() throws -> (free: Int, total: Int) {
        try makeCurrent()
        var free = 0, total = 0
        try api.check(api.cuMemGetInfo(&free, &total), "cuMemGetInfo")
        return (free, total)
    }

    /// Waits for all queued work and reports any fault it hit.
    public func synchronize(_ what: @autoclosure () -> String = "cuCtxSynchronize") throws {
        try api.check(api.cuCtxSynchronize(), what())
    }

    /// Plain device memory (`cuMemAlloc`: never managed memory, see the device notes).
    public func allocate(bytes: Int) throws -> DeviceBuffer {
        try makeCurrent()
        var p: CUdeviceptr = 0
        try api.check(api.cuMemAlloc(&p, max(bytes, 1)), "cuMemAlloc(\(bytes) bytes)")
        return DeviceBuffer(context: self, pointer: p, byteCount: bytes)
    }

    /// Allocates and copies `bytes` to the device, byte for byte.
    public func upload(_ bytes: [UInt8]) throws -> DeviceBuffer {
        let b = try allocate(bytes: bytes.count)
        try b.copyIn(bytes)
        return b
    }

    public func upload<T: BitwiseCopyable>(_ values: [T]) throws -> DeviceBuffer {
        let b = try allocate(bytes: values.count * MemoryLayout<T>.stride)
        try b.copyIn(values)
        return b
    }

    /// Loads a module (cubin from NVRTC, or PTX text ending in a NUL) into this context.
    public func loadModule(_ image: [UInt8]) throws -> CUDAModule {
        try makeCurrent()
        var m: OpaquePointer? = nil
        try image.withUnsafeBytes { try api.check(api.cuModuleLoadData(&m, $0.baseAddress), "cuModuleLoadData") }
        return CUDAModule(context: self, handle: m)
    }

    public func makeEvent() throws -> CUDAEvent {
        try makeCurrent()
        var e: OpaquePointer? = nil
        try api.check(api.cuEventCreate(&e, 0), "cuEventCreate")  // CU_EVENT_DEFAULT: timing enabled
        return CUDAEvent(context: self, handle: e)
    }
}

/// One device allocation; freed when the last reference goes.
public final class DeviceBuffer: @unchecked Sendable {
    public let context: CUDAContext
    public let pointer: CUdeviceptr
    public let byteCount: Int

    init(context: CUDAContext, pointer: CUdeviceptr, byteCount: Int) {
        self.context = context; self.pointer = pointer; self.byteCount = byteCount
    }

    deinit { _ = context.api.cuMemFree(pointer) }

    public func copyIn(_ bytes: [UInt8], at offset: Int = 0) throws {
        precondition(offset >= 0 && offset + bytes.count <= byteCount, "copy past the end of a device buffer")
        guard !bytes.isEmpty else { return }
        try bytes.withUnsafeBytes { raw in
            try context.api.check(context.api.cuMemcpyHtoD(pointer + CUdeviceptr(offset), raw.baseAddress, raw.count), "cuMemcpyHtoD(\(raw.count) bytes)")
        }
    }

    public func copyIn<T: BitwiseCopyable>(_ values: [T], at offset: Int = 0) throws {
        let n = values.count * MemoryLayout<T>.stride
        precondition(offset >= 0 && offset + n <= byteCount, "copy past the end of a device buffer")
        guard n > 0 else { return }
        try values.withUnsafeBytes { raw in
            try context.api.check(context.api.cuMemcpyHtoD(pointer + CUdeviceptr(offset), raw.baseAddress, n), "cuMemcpyHtoD(\(n) bytes)")
        }
    }

    /// Copies `count` values of `T` back from the device (synchronous).
    public func copyOut<T: BitwiseCopyable>(_ type: T.Type = T.self, count: Int, at offset: Int = 0) throws -> [T] {
        let n = count * MemoryLayout<T>.stride
        precondition(offset >= 0 && offset + n <= byteCount, "copy past the end of a device buffer")
        return try [T](unsafeUninitializedCapacity: count) { out, initialized in
            if n > 0 {
                try context.api.check(context.api.cuMemcpyDtoH(UnsafeMutableRawPointer(out.baseAddress), pointer + CUdeviceptr(offset), n), "cuMemcpyDtoH(\(n) bytes)")
            }
            initialized = count
        }
    }

    /// Device-to-device copy of `bytes` from `source`, queued on the context's stream.
    public func copy(from source: DeviceBuffer, bytes: Int) throws {
        precondition(bytes <= byteCount && bytes <= source.byteCount)
        try context.api.check(context.api.cuMemcpyDtoDAsync(pointer, source.pointer, bytes, context.stream), "cuMemcpyDtoDAsync(\(bytes) bytes)")
    }

    /// Fills every 32-bit word with `pattern` (0x7FC00000 = a float NaN: the poison that shows
    /// which outputs a kernel never wrote), queued on the context's stream.
    public func fill32(_ pattern: UInt32) throws {
        try context.api.check(context.api.cuMemsetD32Async(pointer, pattern, byteCount / 4, context.stream), "cuMemsetD32Async")
    }

    public static let nanPattern: UInt32 = 0x7FC0_0000
}

/// A loaded module; its functions are looked up by their `extern "C"` names.
public final class CUDAModule: @unchecked Sendable {
    let context: CUDAContext
    let handle: OpaquePointer?
    init(context: CUDAContext, handle: OpaquePointer?) { self.context = context; self.handle = handle }
    deinit { _ = context.api.cuModuleUnload(handle) }

    public func function(_ name: String) throws -> CUDAFunction {
        var f: OpaquePointer? = nil
        try context.api.check(context.api.cuModuleGetFunction(&f, handle, name), "cuModuleGetFunction(\(name))")
        return CUDAFunction(module: self, handle: f, name: name)
    }
}

/// A kernel argument, passed by value as `cuLaunchKernel` expects (a pointer to each value).
public enum KernelArgument: Sendable {
    case buffer(DeviceBuffer)
    case pointer(CUdeviceptr)
    case int32(Int32)
    case int64(Int64)
    case float(Float)

    public static func int(_ v: Int) -> KernelArgument { .int32(Int32(clamping: v)) }
}

/// A grid or block shape.
public struct Dim3: Sendable, Equatable, CustomStringConvertible {
    public var x: Int, y: Int, z: Int
    public init(_ x: Int, _ y: Int = 1, _ z: Int = 1) { self.x = x; self.y = y; self.z = z }
    public var count: Int { x * y * z }
    public var description: String { "(\(x), \(y), \(z))" }
}

public struct CUDAFunction: @unchecked Sendable {
    let module: CUDAModule
    let handle: OpaquePointer?
    public let name: String

    public func attribute(_ a: FunctionAttribute) throws -> Int {
        var v: Int32 = 0
        try module.context.api.check(module.context.api.cuFuncGetAttribute(&v, a.rawValue, handle), "cuFuncGetAttribute(\(name), \(a))")
        return Int(v)
    }

    /// Blocks of `blockSize` threads with `dynamicShared` bytes that fit on one multiprocessor at
    /// once (registers, shared memory and launch bounds together), from the driver's occupancy calculator.
    public func maxActiveBlocksPerMultiprocessor(blockSize: Int, dynamicShared: Int) throws -> Int {
        var n: Int32 = 0
        try module.context.api.check(module.context.api.cuOccupancyMaxActiveBlocksPerMultiprocessor(&n, handle, Int32(blockSize), dynamicShared),
                                     "cuOccupancyMaxActiveBlocksPerMultiprocessor(\(name))")
        return Int(n)
    }

    /// Raises the dynamic shared-memory limit past the default 48 KB (needed before such a launch).
    public func setMaxDynamicSharedMemory(_ bytes: Int) throws {
        try module.context.api.check(module.context.api.cuFuncSetAttribute(handle, FunctionAttribute.maxDynamicSharedSizeBytes.rawValue, Int32(bytes)),
                                     "cuFuncSetAttribute(\(name), max dynamic shared = \(bytes))")
    }

    /// Queues the kernel on the default stream. Launch-configuration errors come back at once;
    /// faults inside the kernel at the next synchronisation (or here, with synchronizeEachLaunch).
    public func launch(grid: Dim3, block: Dim3, sharedBytes: Int = 0, _ args: [KernelArgument]) throws {
        let ctx = module.context
        precondition(grid.count > 0 && block.count > 0, "empty launch of \(name)")
        var storage: [UnsafeMutableRawPointer] = []
        storage.reserveCapacity(args.count)
        defer { for p in storage { p.deallocate() } }
        for a in args {
            let p = UnsafeMutableRawPointer.allocate(byteCount: 8, alignment: 8)
            switch a {
            case let .buffer(b): p.storeBytes(of: b.pointer, as: CUdeviceptr.self)
            case let .pointer(v): p.storeBytes(of: v, as: CUdeviceptr.self)
            case let .int32(v): p.storeBytes(of: v, as: Int32.self)
            case let .int64(v): p.storeBytes(of: v, as: Int64.self)
            case let .float(v): p.storeBytes(of: v, as: Float.self)
            }
            storage.append(p)
        }
        var params: [UnsafeMutableRawPointer?] = storage
        let code = params.withUnsafeMutableBufferPointer { pp in
            ctx.api.cuLaunchKernel(handle, UInt32(grid.x), UInt32(grid.y), UInt32(grid.z),
                                   UInt32(block.x), UInt32(block.y), UInt32(block.z), UInt32(sharedBytes), ctx.stream, pp.baseAddress, nil)
        }
        try ctx.api.check(code, "cuLaunchKernel(\(name), grid \(grid), block \(block), shared \(sharedBytes))")
        if ctx.synchronizeEachLaunch { try ctx.synchronize("kernel \(name)") }
    }
}

/// A CUDA event: timestamps on the device's own clock, so timings exclude host overheads.
public final class CUDAEvent: @unchecked Sendable {
    let context: CUDAContext
    let handle: OpaquePointer?
    init(context: CUDAContext, handle: OpaquePointer?) { self.context = context; self.handle = handle }
    deinit { _ = context.api.cuEventDestroy(handle) }

    public func record() throws { try context.api.check(context.api.cuEventRecord(handle, context.stream), "cuEventRecord") }
    public func synchronize() throws { try context.api.check(context.api.cuEventSynchronize(handle), "cuEventSynchronize") }

    /// Milliseconds from `start` to this event (both recorded; waits for this one).
    public func milliseconds(since start: CUDAEvent) throws -> Double {
        try synchronize()
        var ms: Float = 0
        try context.api.check(context.api.cuEventElapsedTime(&ms, start.handle, handle), "cuEventElapsedTime")
        return Double(ms)
    }
}

/// An instantiated CUDA graph: a captured sequence of launches, replayed with one call.
public final class CUDAGraph: @unchecked Sendable {
    let context: CUDAContext
    let graph: OpaquePointer?
    let exec: OpaquePointer?
    init(context: CUDAContext, graph: OpaquePointer?, exec: OpaquePointer?) { self.context = context; self.graph = graph; self.exec = exec }
    deinit { _ = context.api.cuGraphExecDestroy(exec); _ = context.api.cuGraphDestroy(graph) }

    public func launch() throws { try context.api.check(context.api.cuGraphLaunch(exec, context.stream), "cuGraphLaunch") }
}
