/// NVML, for the readings a CUDA context cannot give: free device memory before any context
/// exists in this process, and the driver's version string ("580.159.04").
public final class NVML: @unchecked Sendable {
    let api: NVMLAPI

    init(api: NVMLAPI) throws {
        self.api = api
        try api.check(api.nvmlInit(), "nvmlInit")
    }

    deinit { _ = api.nvmlShutdown() }

    public static func load(candidates: [String]? = nil) throws -> NVML {
        let lib = try DynamicLibrary.open("NVML (libnvidia-ml, installed with the NVIDIA driver)", candidates: candidates ?? NVMLAPI.candidates)
        return try NVML(api: NVMLAPI(library: lib))
    }

    public func driverVersion() throws -> String {
        var buf = [CChar](repeating: 0, count: 96)
        try api.check(api.nvmlSystemGetDriverVersion(&buf, 96), "nvmlSystemGetDriverVersion")
        return cString(buf)
    }

    /// Device memory as NVML counts it (bytes): `free` is what a new allocation could get,
    /// whoever holds the rest. `pciBusID` is `CUDADevice.pciBusID`, so NVML's numbering (PCI
    /// order) and CUDA's (fastest first) cannot be confused.
    public func memory(pciBusID: String) throws -> (free: Int, total: Int, used: Int) {
        var dev: OpaquePointer? = nil
        try api.check(api.nvmlDeviceGetHandleByPciBusId(pciBusID, &dev), "nvmlDeviceGetHandleByPciBusId(\(pciBusID))")
        var m = [UInt64](repeating: 0, count: 3)
        try api.check(api.nvmlDeviceGetMemoryInfo(dev, &m), "nvmlDeviceGetMemoryInfo")
        return (Int(m[1]), Int(m[0]), Int(m[2]))
    }

    /// The same reading by NVML's device index (PCI order), for the moment before `cuInit`,
    /// when no CUDA device (and so no bus id) is known yet.
    public func memory(index: Int) throws -> (free: Int, total: Int, used: Int) {
        var dev: OpaquePointer? = nil
        try api.check(api.nvmlDeviceGetHandleByIndex(UInt32(index), &dev), "nvmlDeviceGetHandleByIndex(\(index))")
        var m = [UInt64](repeating: 0, count: 3)
        try api.check(api.nvmlDeviceGetMemoryInfo(dev, &m), "nvmlDeviceGetMemoryInfo")
        return (Int(m[1]), Int(m[0]), Int(m[2]))
    }

    public func deviceName(pciBusID: String) throws -> String {
        var dev: OpaquePointer? = nil
        try api.check(api.nvmlDeviceGetHandleByPciBusId(pciBusID, &dev), "nvmlDeviceGetHandleByPciBusId(\(pciBusID))")
        var buf = [CChar](repeating: 0, count: 96)
        try api.check(api.nvmlDeviceGetName(dev, &buf, 96), "nvmlDeviceGetName")
        return cString(buf)
    }
}
