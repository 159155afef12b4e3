/// The run-time compiler: CUDA C source → a cubin for one GPU architecture.
public final class NVRTC: @unchecked Sendable {
    let api: NVRTCAPI
    public let version: (major: Int, minor: Int)
    /// The real architectures this NVRTC can emit machine code for (e.g. 75...120), when it says.
    public let supportedArchitectures: [Int]

    init(api: NVRTCAPI) throws {
        self.api = api
        var major: Int32 = 0, minor: Int32 = 0
        try api.check(api.nvrtcVersion(&major, &minor), "nvrtcVersion")
        version = (Int(major), Int(minor))
        var archs: [Int] = []
        if let getN = api.nvrtcGetNumSupportedArchs, let get = api.nvrtcGetSupportedArchs {
            var n: Int32 = 0
            if getN(&n) == 0, n > 0 {
                var a = [Int32](repeating: 0, count: Int(n))
                if get(&a) == 0 { archs = a.map(Int.init) }
            }
        }
        supportedArchitectures = archs
    }

    /// Loads NVRTC from `candidates` (default: `VRAMFIT_NVRTC`, the unversioned and versioned
    /// sonames, the toolkit's folders).
    public static func load(candidates: [String]? = nil) throws -> NVRTC {
        let lib = try DynamicLibrary.open("NVRTC (libnvrtc, the CUDA run-time compiler)", candidates: candidates ?? NVRTCAPI.candidates)
        return try NVRTC(api: NVRTCAPI(library: lib))
    }

    public var libraryPath: String { api.loadedPath }

    /// The architecture flag for `capability`: real machine code (`sm_XX`) when this NVRTC knows
    /// the architecture, otherwise PTX for the newest one it knows (`compute_YY`), which the
    /// driver compiles at load time.
    public func architectureOption(for capability: ComputeCapability) -> (option: String, emitsCubin: Bool) {
        let n = capability.number
        if supportedArchitectures.isEmpty || supportedArchitectures.contains(n) {
            return ("--gpu-architecture=sm_\(n)", true)
        }
        let best = supportedArchitectures.filter { $0 <= n }.max() ?? supportedArchitectures.min()!
        return ("--gpu-architecture=compute_\(best)", false)
    }

    /// Compiles `source` (named `name` in diagnostics) with `options`; returns the cubin (or PTX,
    /// NUL-terminated, when `cubin` is false) and the compiler's log (warnings, and with
    /// `--ptxas-options=-v` the registers and spills of each kernel).
    public func compile(source: String, name: String, options: [String], cubin: Bool = true) throws -> (image: [UInt8], log: String) {
        var prog: OpaquePointer? = nil
        try api.check(api.nvrtcCreateProgram(&prog, source, name, 0, nil, nil), "nvrtcCreateProgram(\(name))")
        defer { _ = api.nvrtcDestroyProgram(&prog) }
        let cOptions = options.map { strdupC($0) }
        defer { for p in cOptions { p.deallocate() } }
        let compiled: Int32 = cOptions.map { UnsafePointer<CChar>?(UnsafePointer($0)) }.withUnsafeBufferPointer { opts in
            api.nvrtcCompileProgram(prog, Int32(opts.count), opts.baseAddress)
        }
        var logSize = 0
        try api.check(api.nvrtcGetProgramLogSize(prog, &logSize), "nvrtcGetProgramLogSize")
        var logBytes = [CChar](repeating: 0, count: max(logSize, 1))
        if logSize > 1 { try api.check(api.nvrtcGetProgramLog(prog, &logBytes), "nvrtcGetProgramLog") }
        let log = cString(logBytes)
        if compiled != 0 { throw CUDAError.compilation(program: name, options: options, log: log.isEmpty ? "(empty log, status \(compiled))" : log) }
        var size = 0
        if cubin {
            try api.check(api.nvrtcGetCUBINSize(prog, &size), "nvrtcGetCUBINSize")
            var out = [CChar](repeating: 0, count: size)
            try api.check(api.nvrtcGetCUBIN(prog, &out), "nvrtcGetCUBIN")
            return (out.map { UInt8(bitPattern: $0) }, log)
        } else {
            try api.check(api.nvrtcGetPTXSize(prog, &size), "nvrtcGetPTXSize")
            var out = [CChar](repeating: 0, count: size)
            try api.check(api.nvrtcGetPTX(prog, &out), "nvrtcGetPTX")
            return (out.map { UInt8(bitPattern: $0) }, log)
        }
    }
}

/// A C string copy whose lifetime the caller controls.
private func strdupC(_ s: String) -> UnsafeMutablePointer<CChar> {
    let utf8 = Array(s.utf8CString)
    let p = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count)
    p.initialize(from: utf8, count: utf8.count)
    return p
}
