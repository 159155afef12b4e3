/// The CUDA driver API (`libcuda.so.1`, installed with the NVIDIA driver), reached through dlsym.
/// Types follow `cuda.h`: CUresult is an int, CUdevice an int, CUdeviceptr an unsigned long long,
/// handles are opaque pointers. The `_v2` names are the ABI the current headers map the plain
/// names to (cuMemAlloc → cuMemAlloc_v2 since CUDA 3.2); drivers keep exporting them.
public typealias CUresult = Int32
public typealias CUdevice = Int32
public typealias CUdeviceptr = UInt64

typealias FnInit = @convention(c) (UInt32) -> CUresult
typealias FnIntOut = @convention(c) (UnsafeMutablePointer<Int32>?) -> CUresult
typealias FnDeviceGet = @convention(c) (UnsafeMutablePointer<CUdevice>?, Int32) -> CUresult
typealias FnDeviceGetName = @convention(c) (UnsafeMutablePointer<CChar>?, Int32, CUdevice) -> CUresult
typealias FnDeviceGetAttribute = @convention(c) (UnsafeMutablePointer<Int32>?, Int32, CUdevice) -> CUresult
typealias FnDeviceTotalMem = @convention(c) (UnsafeMutablePointer<Int>?, CUdevice) -> CUresult
typealias FnDeviceGetPCIBusId = @convention(c) (UnsafeMutablePointer<CChar>?, Int32, CUdevice) -> CUresult
typealias FnPrimaryCtxRetain = @convention(c) (UnsafeMutablePointer<OpaquePointer?>?, CUdevice) -> CUresult
typealias FnDeviceOnly = @convention(c) (CUdevice) -> CUresult
typealias FnCtxSetCurrent = @convention(c) (OpaquePointer?) -> CUresult
typealias FnVoid = @convention(c) () -> CUresult
typealias FnMemGetInfo = @convention(c) (UnsafeMutablePointer<Int>?, UnsafeMutablePointer<Int>?) -> CUresult
typealias FnMemAlloc = @convention(c) (UnsafeMutablePointer<CUdeviceptr>?, Int) -> CUresult
typealias FnMemFree = @convention(c) (CUdeviceptr) -> CUresult
typealias FnMemcpyHtoD = @convention(c) (CUdeviceptr, UnsafeRawPointer?, Int) -> CUresult
typealias FnMemcpyDtoH = @convention(c) (UnsafeMutableRawPointer?, CUdeviceptr, Int) -> CUresult
typealias FnMemcpyDtoD = @convention(c) (CUdeviceptr, CUdeviceptr, Int) -> CUresult
typealias FnMemsetD32 = @convention(c) (CUdeviceptr, UInt32, Int) -> CUresult
typealias FnModuleLoadData = @convention(c) (UnsafeMutablePointer<OpaquePointer?>?, UnsafeRawPointer?) -> CUresult
typealias FnModuleUnload = @convention(c) (OpaquePointer?) -> CUresult
typealias FnModuleGetFunction = @convention(c) (UnsafeMutablePointer<OpaquePointer?>?, OpaquePointer?, UnsafePointer<CChar>?) -> CUresult
typealias FnFuncSetAttribute = @convention(c) (OpaquePointer?, Int32, Int32) -> CUresult
typealias FnFuncGetAttribute = @convention(c) (UnsafeMutablePointer<Int32>?, Int32, OpaquePointer?) -> CUresult
typealias FnLaunchKernel = @convention(c) (
    OpaquePointer?, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, OpaquePointer?,
    UnsafeMutablePointer<UnsafeMutableRawPointer?>?, UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) -> CUresult
typealias FnEventCreate = @convention(c) (UnsafeMutablePointer<OpaquePointer?>?, UInt32) -> CUresult
typealias FnEventRecord = @convention(c) (OpaquePointer?, OpaquePointer?) -> CUresult
typealias FnEventOnly = @convention(c) (OpaquePointer?) -> CUresult
typealias FnEventElapsed = @convention(c) (UnsafeMutablePointer<Float>?, OpaquePointer?, OpaquePointer?) -> CUresult
typealias FnStreamCreate = @convention(c) (UnsafeMutablePointer<OpaquePointer?>?, UInt32) -> CUresult
typealias FnStreamOnly = @convention(c) (OpaquePointer?) -> CUresult
typealias FnStreamBeginCapture = @convention(c) (OpaquePointer?, Int32) -> CUresult
typealias FnStreamEndCapture = @convention(c) (OpaquePointer?, UnsafeMutablePointer<OpaquePointer?>?) -> CUresult
typealias FnGraphInstantiate = @convention(c) (UnsafeMutablePointer<OpaquePointer?>?, OpaquePointer?, UInt64) -> CUresult
typealias FnGraphLaunch = @convention(c) (OpaquePointer?, OpaquePointer?) -> CUresult
typealias FnGraphDestroy = @convention(c) (OpaquePointer?) -> CUresult
typealias FnMemsetD32Async = @convention(c) (CUdeviceptr, UInt32, Int, OpaquePointer?) -> CUresult
typealias FnMemcpyDtoDAsync = @convention(c) (CUdeviceptr, CUdeviceptr, Int, OpaquePointer?) -> CUresult
typealias FnOccupancy = @convention(c) (UnsafeMutablePointer<Int32>?, OpaquePointer?, Int32, Int) -> CUresult
typealias FnGetErrorText = @convention(c) (CUresult, UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> CUresult

/// The resolved driver entry points. Immutable after loading, so shared freely across threads
/// (the driver itself is thread-safe).
final class DriverAPI: @unchecked Sendable {
    let library: DynamicLibrary
    let cuInit: FnInit
    let cuDriverGetVersion: FnIntOut
    let cuDeviceGetCount: FnIntOut
    let cuDeviceGet: FnDeviceGet
    let cuDeviceGetName: FnDeviceGetName
    let cuDeviceGetAttribute: FnDeviceGetAttribute
    let cuDeviceTotalMem: FnDeviceTotalMem
    let cuDeviceGetPCIBusId: FnDeviceGetPCIBusId
    let cuDevicePrimaryCtxRetain: FnPrimaryCtxRetain
    let cuDevicePrimaryCtxRelease: FnDeviceOnly
    let cuCtxSetCurrent: FnCtxSetCurrent
    let cuCtxSynchronize: FnVoid
    let cuMemGetInfo: FnMemGetInfo
    let cuMemAlloc: FnMemAlloc
    let cuMemFree: FnMemFree
    let cuMemcpyHtoD: FnMemcpyHtoD
    let cuMemcpyDtoH: FnMemcpyDtoH
    let cuMemcpyDtoD: FnMemcpyDtoD
    let cuMemsetD32: FnMemsetD32
    let cuModuleLoadData: FnModuleLoadData
    let cuModuleUnload: FnModuleUnload
    let cuModuleGetFunction: FnModuleGetFunction
    let cuFuncSetAttribute: FnFuncSetAttribute
    let cuFuncGetAttribute: FnFuncGetAttribute
    let cuLaunchKernel: FnLaunchKernel
    let cuEventCreate: FnEventCreate
    let cuEventRecord: FnEventRecord
    let cuEventSynchronize: FnEventOnly
    let cuEventElapsedTime: FnEventElapsed
    let cuEventDestroy: FnEventOnly
    let cuStreamCreate: FnStreamCreate
    let cuStreamDestroy: FnStreamOnly
    let cuStreamSynchronize: FnStreamOnly
    let cuStreamBeginCapture: FnStreamBeginCapture
    let cuStreamEndCapture: FnStreamEndCapture
    let cuGraphInstantiate: FnGraphInstantiate
    let cuGraphLaunch: FnGraphLaunch
    let cuGraphExecDestroy: FnGraphDestroy
    let cuGraphDestroy: FnGraphDestroy
    let cuMemsetD32Async: FnMemsetD32Async
    let cuMemcpyDtoDAsync: FnMemcpyDtoDAsync
    let cuOccupancyMaxActiveBlocksPerMultiprocessor: FnOccupancy
    let cuGetErrorName: FnGetErrorText
    let cuGetErrorString: FnGetErrorText

    /// Where libcuda is looked for: `VRAMFIT_LIBCUDA` if set, then the soname the driver installs
    /// (`libcuda.so.1`, what the CUDA runtime itself dlopens), then the unversioned dev link.
    static var candidates: [String] {
        #if os(macOS)
        return [environment("VRAMFIT_LIBCUDA")].compactMap { $0 } + ["/usr/local/cuda/lib/libcuda.dylib"]
        #else
        return [environment("VRAMFIT_LIBCUDA")].compactMap { $0 } + ["libcuda.so.1", "libcuda.so"]
        #endif
    }

    init(library l: DynamicLibrary) throws {
        library = l
        cuInit = try l.symbol("cuInit", as: FnInit.self)
        cuDriverGetVersion = try l.symbol("cuDriverGetVersion", as: FnIntOut.self)
        cuDeviceGetCount = try l.symbol("cuDeviceGetCount", as: FnIntOut.self)
        cuDeviceGet = try l.symbol("cuDeviceGet", as: FnDeviceGet.self)
        cuDeviceGetName = try l.symbol("cuDeviceGetName", as: FnDeviceGetName.self)
        cuDeviceGetAttribute = try l.symbol("cuDeviceGetAttribute", as: FnDeviceGetAttribute.self)
        cuDeviceTotalMem = try l.symbol("cuDeviceTotalMem_v2", as: FnDeviceTotalMem.self)
        cuDeviceGetPCIBusId = try l.symbol("cuDeviceGetPCIBusId", as: FnDeviceGetPCIBusId.self)
        cuDevicePrimaryCtxRetain = try l.symbol("cuDevicePrimaryCtxRetain", as: FnPrimaryCtxRetain.self)
        cuDevicePrimaryCtxRelease = try l.symbol(["cuDevicePrimaryCtxRelease_v2", "cuDevicePrimaryCtxRelease"], as: FnDeviceOnly.self)
        cuCtxSetCurrent = try l.symbol("cuCtxSetCurrent", as: FnCtxSetCurrent.self)
        cuCtxSynchronize = try l.symbol("cuCtxSynchronize", as: FnVoid.self)
        cuMemGetInfo = try l.symbol("cuMemGetInfo_v2", as: FnMemGetInfo.self)
        cuMemAlloc = try l.symbol("cuMemAlloc_v2", as: FnMemAlloc.self)
        cuMemFree = try l.symbol("cuMemFree_v2", as: FnMemFree.self)
        cuMemcpyHtoD = try l.symbol("cuMemcpyHtoD_v2", as: FnMemcpyHtoD.self)
        cuMemcpyDtoH = try l.symbol("cuMemcpyDtoH_v2", as: FnMemcpyDtoH.self)
        cuMemcpyDtoD = try l.symbol("cuMemcpyDtoD_v2", as: FnMemcpyDtoD.self)
        cuMemsetD32 = try l.symbol("cuMemsetD32_v2", as: FnMemsetD32.self)
        cuModuleLoadData = try l.symbol("cuModuleLoadData", as: FnModuleLoadData.self)
        cuModuleUnload = try l.symbol("cuModuleUnload", as: FnModuleUnload.self)
        cuModuleGetFunction = try l.symbol("cuModuleGetFunction", as: FnModuleGetFunction.self)
        cuFuncSetAttribute = try l.symbol("cuFuncSetAttribute", as: FnFuncSetAttribute.self)
        cuFuncGetAttribute = try l.symbol("cuFuncGetAttribute", as: FnFuncGetAttribute.self)
        cuLaunchKernel = try l.symbol("cuLaunchKernel", as: FnLaunchKernel.self)
        cuEventCreate = try l.symbol("cuEventCreate", as: FnEventCreate.self)
        cuEventRecord = try l.symbol("cuEventRecord", as: FnEventRecord.self)
        cuEventSynchronize = try l.symbol("cuEventSynchronize", as: FnEventOnly.self)
        // CUDA 12.8 added cuEventElapsedTime_v2 (same signature); CUDA 13 headers map to it.
        cuEventElapsedTime = try l.symbol(["cuEventElapsedTime_v2", "cuEventElapsedTime"], as: FnEventElapsed.self)
        cuEventDestroy = try l.symbol(["cuEventDestroy_v2", "cuEventDestroy"], as: FnEventOnly.self)
        cuStreamCreate = try l.symbol("cuStreamCreate", as: FnStreamCreate.self)
        cuStreamDestroy = try l.symbol(["cuStreamDestroy_v2", "cuStreamDestroy"], as: FnStreamOnly.self)
        cuStreamSynchronize = try l.symbol("cuStreamSynchronize", as: FnStreamOnly.self)
        cuStreamBeginCapture = try l.symbol(["cuStreamBeginCapture_v2", "cuStreamBeginCapture"], as: FnStreamBeginCapture.self)
        cuStreamEndCapture = try l.symbol("cuStreamEndCapture", as: FnStreamEndCapture.self)
        // cuGraphInstantiateWithFlags (CUDA 11.4+): (exec*, graph, unsigned long long flags).
        cuGraphInstantiate = try l.symbol("cuGraphInstantiateWithFlags", as: FnGraphInstantiate.self)
        cuGraphLaunch = try l.symbol("cuGraphLaunch", as: FnGraphLaunch.self)
        cuOccupancyMaxActiveBlocksPerMultiprocessor = try l.symbol("cuOccupancyMaxActiveBlocksPerMultiprocessor", as: FnOccupancy.self)
        cuGraphExecDestroy = try l.symbol("cuGraphExecDestroy", as: FnGraphDestroy.self)
        cuGraphDestroy = try l.symbol("cuGraphDestroy", as: FnGraphDestroy.self)
        cuMemsetD32Async = try l.symbol("cuMemsetD32Async", as: FnMemsetD32Async.self)
        cuMemcpyDtoDAsync = try l.symbol("cuMemcpyDtoDAsync_v2", as: FnMemcpyDtoDAsync.self)
        cuGetErrorName = try l.symbol("cuGetErrorName", as: FnGetErrorText.self)
        cuGetErrorString = try l.symbol("cuGetErrorString", as: FnGetErrorText.self)
    }

    /// Turns a status into a typed error carrying the driver's name and text for it.
    func check(_ code: CUresult, _ call: @autoclosure () -> String) throws {
        guard code != 0 else { return }
        throw error(code, call())
    }

    func error(_ code: CUresult, _ call: String) -> CUDAError {
        var name: UnsafePointer<CChar>? = nil
        var text: UnsafePointer<CChar>? = nil
        _ = cuGetErrorName(code, &name)
        _ = cuGetErrorString(code, &text)
        return .driver(call: call, code: code,
                       name: name.map { String(cString: $0) } ?? "CUDA_ERROR_\(code)",
                       message: text.map { String(cString: $0) } ?? "unrecognised error code")
    }
}

/// `CUdevice_attribute` values used here (cuda.h).
public enum DeviceAttribute: Int32, Sendable, CaseIterable {
    case maxThreadsPerBlock = 1
    case maxSharedMemoryPerBlock = 8
    case warpSize = 10
    case clockRateKHz = 13
    case multiprocessorCount = 16
    case memoryClockRateKHz = 36
    case globalMemoryBusWidthBits = 37
    case l2CacheBytes = 38
    case maxThreadsPerMultiprocessor = 39
    case computeCapabilityMajor = 75
    case computeCapabilityMinor = 76
    case maxSharedMemoryPerMultiprocessor = 81
    case maxSharedMemoryPerBlockOptin = 97
}

/// `CUfunction_attribute` values used here (cuda.h).
public enum FunctionAttribute: Int32, Sendable {
    case maxThreadsPerBlock = 0
    case sharedSizeBytes = 1
    case constSizeBytes = 2
    case localSizeBytes = 3
    case numRegisters = 4
    case maxDynamicSharedSizeBytes = 8
}
