/// The CUDA driver, loaded and initialised: the entry point of the only code in vramfit that
/// touches CUDA. `CUDA.load()` dlopens `libcuda.so.1` and calls `cuInit`; when the library or a
/// device is missing it throws `CUDAError.unavailable`/`.noDevice` with the reason, and nothing
/// else in the program is affected (the CPU backend never loads this).
public final class CUDA: @unchecked Sendable {
    let api: DriverAPI
    /// `cuDriverGetVersion`: 1000 × major + 10 × minor of the newest CUDA the driver supports
    /// (13000 = CUDA 13.0).
    public let driverVersion: Int32
    /// Where libcuda was loaded from.
    public var libraryPath: String { api.library.path }

    init(api: DriverAPI) throws {
        self.api = api
        try api.check(api.cuInit(0), "cuInit")
        var v: Int32 = 0
        try api.check(api.cuDriverGetVersion(&v), "cuDriverGetVersion")
        driverVersion = v
    }

    /// Loads the driver API from `candidates` (default: `VRAMFIT_LIBCUDA`, `libcuda.so.1`,
    /// `libcuda.so`) and initialises it.
    public static func load(candidates: [String]? = nil) throws -> CUDA {
        let lib = try DynamicLibrary.open("libcuda (the NVIDIA driver's CUDA library)", candidates: candidates ?? DriverAPI.candidates)
        return try CUDA(api: DriverAPI(library: lib))
    }

    /// "13.0" from 13000.
    public var driverVersionString: String { "\(driverVersion / 1000).\(driverVersion % 1000 / 10)" }

    public func deviceCount() throws -> Int {
        var n: Int32 = 0
        try api.check(api.cuDeviceGetCount(&n), "cuDeviceGetCount")
        return Int(n)
    }

    public func device(_ ordinal: Int = 0) throws -> CUDADevice {
        let count = try deviceCount()
        guard ordinal >= 0, ordinal < count else { throw CUDAError.noDevice(ordinal: ordinal, count: count) }
        var d: CUdevice = 0
        try api.check(api.cuDeviceGet(&d, Int32(ordinal)), "cuDeviceGet(\(ordinal))")
        return try CUDADevice(api: api, ordinal: ordinal, handle: d)
    }

    /// Retains the device's primary context (the one the CUDA runtime, PyTorch and every engine
    /// use, so its memory cost is the one they pay) and makes it current on this thread.
    public func context(on device: CUDADevice) throws -> CUDAContext {
        try CUDAContext(api: api, device: device)
    }
}

/// One CUDA device's identity and the attributes kernels are sized from.
public struct CUDADevice: Sendable {
    public let ordinal: Int
    let handle: CUdevice
    public let name: String
    public let computeCapability: ComputeCapability
    public let totalMemoryBytes: Int
    /// "0000:65:00.0": how NVML finds the same device without a context.
    public let pciBusID: String
    public let multiprocessors: Int
    public let l2CacheBytes: Int
    public let maxSharedMemoryPerBlockOptin: Int
    public let clockRateKHz: Int
    public let memoryClockRateKHz: Int
    public let memoryBusWidthBits: Int

    init(api: DriverAPI, ordinal: Int, handle: CUdevice) throws {
        self.ordinal = ordinal
        self.handle = handle
        var buf = [CChar](repeating: 0, count: 256)
        try api.check(api.cuDeviceGetName(&buf, 255, handle), "cuDeviceGetName")
        name = cString(buf)
        var bus = [CChar](repeating: 0, count: 64)
        try api.check(api.cuDeviceGetPCIBusId(&bus, 63, handle), "cuDeviceGetPCIBusId")
        pciBusID = cString(bus)
        var total = 0
        try api.check(api.cuDeviceTotalMem(&total, handle), "cuDeviceTotalMem")
        totalMemoryBytes = total
        func attr(_ a: DeviceAttribute) throws -> Int {
            var v: Int32 = 0
            try api.check(api.cuDeviceGetAttribute(&v, a.rawValue, handle), "cuDeviceGetAttribute(\(a))")
            return Int(v)
        }
        computeCapability = ComputeCapability(major: try attr(.computeCapabilityMajor), minor: try attr(.computeCapabilityMinor))
        multiprocessors = try attr(.multiprocessorCount)
        l2CacheBytes = try attr(.l2CacheBytes)
        maxSharedMemoryPerBlockOptin = try attr(.maxSharedMemoryPerBlockOptin)
        clockRateKHz = try attr(.clockRateKHz)
        memoryClockRateKHz = try attr(.memoryClockRateKHz)
        memoryBusWidthBits = try attr(.globalMemoryBusWidthBits)
    }
}

/// A compute capability such as 9.0 (Hopper) or 8.9 (Ada).
public struct ComputeCapability: Sendable, Comparable, CustomStringConvertible {
    public let major: Int
    public let minor: Int
    public init(major: Int, minor: Int) { self.major = major; self.minor = minor }
    /// NVRTC's `--gpu-architecture` value for real machine code of this device: "sm_90".
    public var smName: String { "sm_\(major)\(minor)" }
    public var number: Int { major * 10 + minor }
    public var description: String { "\(major).\(minor)" }
    public static func < (a: Self, b: Self) -> Bool { a.number < b.number }
    /// FP8 (E4M3/E5M2) conversion instructions exist from sm_89 (Ada) on.
    public var hasFP8: Bool { number >= 89 }
}
