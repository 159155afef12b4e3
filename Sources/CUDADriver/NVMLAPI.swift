/// NVML (`libnvidia-ml.so.1`, installed with the driver): the one way to read a GPU's free memory
/// without creating a CUDA context (cuMemGetInfo needs one), so the context's own cost can be
/// measured as "free before" − "free after".
typealias NvmlVoid = @convention(c) () -> Int32
typealias NvmlErrorString = @convention(c) (Int32) -> UnsafePointer<CChar>?
typealias NvmlHandleByPci = @convention(c) (UnsafePointer<CChar>?, UnsafeMutablePointer<OpaquePointer?>?) -> Int32
typealias NvmlHandleByIndex = @convention(c) (UInt32, UnsafeMutablePointer<OpaquePointer?>?) -> Int32
typealias NvmlMemoryInfo = @convention(c) (OpaquePointer?, UnsafeMutablePointer<UInt64>?) -> Int32
typealias NvmlString = @convention(c) (UnsafeMutablePointer<CChar>?, UInt32) -> Int32
typealias NvmlDeviceString = @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, UInt32) -> Int32

/// `nvmlMemory_t` is three unsigned long longs (total, free, used), bytes: read into [UInt64] × 3.

final class NVMLAPI: @unchecked Sendable {
    let library: DynamicLibrary
    let nvmlInit: NvmlVoid
    let nvmlShutdown: NvmlVoid
    let nvmlErrorString: NvmlErrorString
    let nvmlDeviceGetHandleByPciBusId: NvmlHandleByPci
    let nvmlDeviceGetHandleByIndex: NvmlHandleByIndex
    let nvmlDeviceGetMemoryInfo: NvmlMemoryInfo
    let nvmlSystemGetDriverVersion: NvmlString
    let nvmlDeviceGetName: NvmlDeviceString

    static var candidates: [String] {
        [environment("VRAMFIT_LIBNVML")].compactMap { $0 } + ["libnvidia-ml.so.1", "libnvidia-ml.so"]
    }

    init(library l: DynamicLibrary) throws {
        library = l
        nvmlInit = try l.symbol(["nvmlInit_v2", "nvmlInit"], as: NvmlVoid.self)
        nvmlShutdown = try l.symbol("nvmlShutdown", as: NvmlVoid.self)
        nvmlErrorString = try l.symbol("nvmlErrorString", as: NvmlErrorString.self)
        nvmlDeviceGetHandleByPciBusId = try l.symbol(["nvmlDeviceGetHandleByPciBusId_v2", "nvmlDeviceGetHandleByPciBusId"], as: NvmlHandleByPci.self)
        nvmlDeviceGetHandleByIndex = try l.symbol(["nvmlDeviceGetHandleByIndex_v2", "nvmlDeviceGetHandleByIndex"], as: NvmlHandleByIndex.self)
        nvmlDeviceGetMemoryInfo = try l.symbol("nvmlDeviceGetMemoryInfo", as: NvmlMemoryInfo.self)
        nvmlSystemGetDriverVersion = try l.symbol("nvmlSystemGetDriverVersion", as: NvmlString.self)
        nvmlDeviceGetName = try l.symbol("nvmlDeviceGetName", as: NvmlDeviceString.self)
    }

    func check(_ code: Int32, _ call: @autoclosure () -> String) throws {
        guard code != 0 else { return }
        let text = nvmlErrorString(code).map { String(cString: $0) } ?? "unrecognised error code"
        throw CUDAError.nvml(call: call(), code: code, message: text)
    }
}
