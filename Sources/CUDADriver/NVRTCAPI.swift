#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

typealias NvrtcErrorString = @convention(c) (Int32) -> UnsafePointer<CChar>?
typealias NvrtcVersion = @convention(c) (UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<Int32>?) -> Int32
typealias NvrtcIntOut = @convention(c) (UnsafeMutablePointer<Int32>?) -> Int32
typealias NvrtcCreateProgram = @convention(c) (
    UnsafeMutablePointer<OpaquePointer?>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?, Int32,
    UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<UnsafePointer<CChar>?>?
) -> Int32
typealias NvrtcDestroyProgram = @convention(c) (UnsafeMutablePointer<OpaquePointer?>?) -> Int32
typealias NvrtcCompileProgram = @convention(c) (OpaquePointer?, Int32, UnsafePointer<UnsafePointer<CChar>?>?) -> Int32
typealias NvrtcGetSize = @convention(c) (OpaquePointer?, UnsafeMutablePointer<Int>?) -> Int32
typealias NvrtcGetBytes = @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?) -> Int32

/// NVRTC, the run-time CUDA C++ compiler (`libnvrtc.so.<major>`, from the CUDA toolkit or the
/// `nvidia-cuda-nvrtc` wheel that PyTorch installs). It needs no GPU, so kernel sources can be
/// compile-checked on a GPU-less machine that has it.
final class NVRTCAPI: @unchecked Sendable {
    let library: DynamicLibrary
    let nvrtcGetErrorString: NvrtcErrorString
    let nvrtcVersion: NvrtcVersion
    let nvrtcGetNumSupportedArchs: NvrtcIntOut?
    let nvrtcGetSupportedArchs: NvrtcIntOut?
    let nvrtcCreateProgram: NvrtcCreateProgram
    let nvrtcDestroyProgram: NvrtcDestroyProgram
    let nvrtcCompileProgram: NvrtcCompileProgram
    let nvrtcGetProgramLogSize: NvrtcGetSize
    let nvrtcGetProgramLog: NvrtcGetBytes
    let nvrtcGetCUBINSize: NvrtcGetSize
    let nvrtcGetCUBIN: NvrtcGetBytes
    let nvrtcGetPTXSize: NvrtcGetSize
    let nvrtcGetPTX: NvrtcGetBytes

    /// Where NVRTC is looked for: `VRAMFIT_NVRTC` (a full path) if set; the unversioned name (a
    /// toolkit's dev link); the sonames of CUDA 13, 12 and 11.2+; then the toolkit's usual folders,
    /// which are often not in the loader's cache.
    static var candidates: [String] {
        var out = [environment("VRAMFIT_NVRTC")].compactMap { $0 }
        let names = ["libnvrtc.so", "libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2"]
        out += names
        var dirs: [String] = []
        for v in ["CUDA_HOME", "CUDA_PATH", "CUDA_ROOT"] {
            if let d = environment(v) { dirs += [d + "/lib64", d + "/lib", d + "/targets/x86_64-linux/lib"] }
        }
        dirs += ["/usr/local/cuda/lib64", "/usr/local/cuda/targets/x86_64-linux/lib", "/usr/local/cuda/targets/sbsa-linux/lib",
                 "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu"]
        for d in dirs { for n in names { out.append(d + "/" + n) } }
        return out
    }

    init(library l: DynamicLibrary) throws {
        library = l
        nvrtcGetErrorString = try l.symbol("nvrtcGetErrorString", as: NvrtcErrorString.self)
        nvrtcVersion = try l.symbol("nvrtcVersion", as: NvrtcVersion.self)
        nvrtcGetNumSupportedArchs = l.optionalSymbol("nvrtcGetNumSupportedArchs", as: NvrtcIntOut.self)
        nvrtcGetSupportedArchs = l.optionalSymbol("nvrtcGetSupportedArchs", as: NvrtcIntOut.self)
        nvrtcCreateProgram = try l.symbol("nvrtcCreateProgram", as: NvrtcCreateProgram.self)
        nvrtcDestroyProgram = try l.symbol("nvrtcDestroyProgram", as: NvrtcDestroyProgram.self)
        nvrtcCompileProgram = try l.symbol("nvrtcCompileProgram", as: NvrtcCompileProgram.self)
        nvrtcGetProgramLogSize = try l.symbol("nvrtcGetProgramLogSize", as: NvrtcGetSize.self)
        nvrtcGetProgramLog = try l.symbol("nvrtcGetProgramLog", as: NvrtcGetBytes.self)
        nvrtcGetCUBINSize = try l.symbol("nvrtcGetCUBINSize", as: NvrtcGetSize.self)
        nvrtcGetCUBIN = try l.symbol("nvrtcGetCUBIN", as: NvrtcGetBytes.self)
        nvrtcGetPTXSize = try l.symbol("nvrtcGetPTXSize", as: NvrtcGetSize.self)
        nvrtcGetPTX = try l.symbol("nvrtcGetPTX", as: NvrtcGetBytes.self)
        preloadBuiltins()
    }

    func check(_ code: Int32, _ call: @autoclosure () -> String) throws {
        guard code != 0 else { return }
        let text = nvrtcGetErrorString(code).map { String(cString: $0) } ?? "unrecognised error code"
        throw CUDAError.nvrtc(call: call(), code: code, message: text)
    }

    /// The file NVRTC was actually loaded from: the path itself, or for a plain soname the
    /// mapping of it that /proc/self/maps lists.
    var loadedPath: String {
        if library.path.hasPrefix("/") { return library.path }
        return mappedFile(containing: "/libnvrtc.so") ?? library.path
    }

    /// NVRTC loads `libnvrtc-builtins.so.<major>.<minor>` itself when it compiles; when that file
    /// sits beside libnvrtc but outside the loader's search path (a wheel, a toolkit folder not in
    /// ldconfig), it can fail with NVRTC_ERROR_BUILTIN_OPERATION_FAILURE. Loading it first, from
    /// the same folder, makes the later lookup find it. A miss here is harmless.
    private func preloadBuiltins() {
        var major: Int32 = 0, minor: Int32 = 0
        guard nvrtcVersion(&major, &minor) == 0 else { return }
        let path = loadedPath
        guard let slash = path.lastIndex(of: "/") else { return }
        let dir = String(path[..<slash])
        for name in ["libnvrtc-builtins.so.\(major).\(minor)", "libnvrtc-builtins.so"] {
            if dlopen(dir + "/" + name, RTLD_NOW | RTLD_GLOBAL) != nil { return }
        }
    }
}
