import CUDADriver

/// One device, its primary context, NVRTC and the compiled kernel modules: what every CUDA
/// backend object shares. Opening it also takes the free-memory readings around context creation
/// (NVML before, cuMemGetInfo after), the figures the estimator's "CUDA context" overhead is
/// checked against.
public final class CUDARuntime: @unchecked Sendable {
    public let cuda: CUDA
    public let device: CUDADevice
    public let context: CUDAContext
    public let nvrtc: NVRTC
    public let nvml: NVML?
    /// The NVIDIA driver's version string from NVML ("580.159.04"), when NVML loaded.
    public let driverRelease: String?
    public private(set) var memoryReadings: [MemoryReading] = []
    public private(set) var compileSeconds: Double = 0
    /// ptxas' resource report per compiled module (registers, spills), for the validation notes.
    public private(set) var compileLogs: [String: String] = [:]
    private var modules: [ModuleKey: CUDAModule] = [:]
    private var functions: [String: CUDAFunction] = [:]
    private var sharedLimits: [String: Int] = [:]

    public enum ModuleKey: Hashable, Sendable, CustomStringConvertible {
        case layer
        case matrix(DeviceFormat)
        public var description: String {
            switch self {
            case .layer: "layer"
            case .matrix(let f): "matrix-\(f.rawValue)"
            }
        }
    }

    /// A free-memory reading at a named moment.
    public struct MemoryReading: Sendable, Equatable {
        public var label: String
        public var freeBytes: Int
        public var totalBytes: Int
        /// "NVML" (no context needed) or "cuMemGetInfo".
        public var source: String
    }

    /// Opens device `ordinal`: NVML reading first (before this process has any CUDA context),
    /// then the driver, NVRTC, the primary context. Throws `CUDAError.unavailable`/`.noDevice`
    /// with the reason when any of them is missing.
    public static func open(ordinal: Int = 0) throws -> CUDARuntime {
        let nvml = try? NVML.load()
        var readings: [MemoryReading] = []
        // NVML numbers devices in PCI order, CUDA fastest first; on one-GPU machines they agree.
        if let m = try? nvml?.memory(index: ordinal) {
            readings.append(MemoryReading(label: "before cuInit", freeBytes: m.free, totalBytes: m.total, source: "NVML"))
        }
        let cuda = try CUDA.load()
        let device = try cuda.device(ordinal)
        if let m = try? nvml?.memory(pciBusID: device.pciBusID) {
            readings.append(MemoryReading(label: "before context", freeBytes: m.free, totalBytes: m.total, source: "NVML"))
        }
        let nvrtc = try NVRTC.load()
        let context = try cuda.context(on: device)
        let after = try context.memoryInfo()
        readings.append(MemoryReading(label: "after context", freeBytes: after.free, totalBytes: after.total, source: "cuMemGetInfo"))
        if let m = try? nvml?.memory(pciBusID: device.pciBusID) {
            readings.append(MemoryReading(label: "after context", freeBytes: m.free, totalBytes: m.total, source: "NVML"))
        }
        let rt = CUDARuntime(cuda: cuda, device: device, context: context, nvrtc: nvrtc, nvml: nvml,
                             driverRelease: try? nvml?.driverVersion())
        rt.memoryReadings = readings
        return rt
    }

    init(cuda: CUDA, device: CUDADevice, context: CUDAContext, nvrtc: NVRTC, nvml: NVML?, driverRelease: String?) {
        self.cuda = cuda; self.device = device; self.context = context; self.nvrtc = nvrtc; self.nvml = nvml
        self.driverRelease = driverRelease
    }

    /// Records cuMemGetInfo's free bytes now (after synchronising, so frees and allocations are settled).
    @discardableResult
    public func recordMemory(_ label: String) throws -> MemoryReading {
        try context.synchronize()
        let m = try context.memoryInfo()
        let r = MemoryReading(label: label, freeBytes: m.free, totalBytes: m.total, source: "cuMemGetInfo")
        memoryReadings.append(r)
        return r
    }

    /// "NVIDIA H100 80GB HBM3 (sm_90, 132 SMs, driver 580.159.04, CUDA 13.0)".
    public var deviceDescription: String {
        var parts = [device.computeCapability.smName, "\(device.multiprocessors) SMs"]
        if let d = driverRelease { parts.append("driver \(d)") }
        parts.append("CUDA \(cuda.driverVersionString)")
        return "\(device.name) (\(parts.joined(separator: ", ")))"
    }

    /// NVRTC options for this device: real machine code for its architecture when NVRTC knows it.
    public var compileOptions: [String] {
        [nvrtc.architectureOption(for: device.computeCapability).option, "-std=c++17", "--ptxas-options=-v"]
    }

    /// The kernel `name` of `module`, compiling and loading the module the first time.
    public func function(_ name: String, in module: ModuleKey) throws -> CUDAFunction {
        if let f = functions[name] { return f }
        let m = try loadModule(module)
        let f = try m.function(name)
        functions[name] = f
        return f
    }

    func loadModule(_ key: ModuleKey) throws -> CUDAModule {
        if let m = modules[key] { return m }
        let source: String
        switch key {
        case .layer: source = KernelSource.layerModule
        case .matrix(let f): source = KernelSource.matrixModule(f)
        }
        let arch = nvrtc.architectureOption(for: device.computeCapability)
        let t0 = monotonicSeconds()
        let (image, log) = try nvrtc.compile(source: source, name: "vramfit-\(key).cu", options: compileOptions, cubin: arch.emitsCubin)
        compileSeconds += monotonicSeconds() - t0
        compileLogs[key.description] = log
        let m = try context.loadModule(image)
        modules[key] = m
        return m
    }

    /// Raises `f`'s dynamic shared-memory limit when a launch needs more than the default 48 KB
    /// (once per kernel and size; the opt-in maximum is the device's, 227 KB on Hopper).
    func allowDynamicShared(_ f: CUDAFunction, bytes: Int) throws {
        guard bytes > 48 * 1024, (sharedLimits[f.name] ?? 0) < bytes else { return }
        guard bytes + 2048 <= device.maxSharedMemoryPerBlockOptin else {
            throw CUDAError.unsupported("\(f.name) needs \(bytes) B of shared memory; the device allows \(device.maxSharedMemoryPerBlockOptin) B per block")
        }
        try f.setMaxDynamicSharedMemory(bytes)
        sharedLimits[f.name] = bytes
    }

    /// Launches a one-thread-per-element kernel over `count` elements.
    func launchElementwise(_ name: String, count: Int, _ args: [KernelArgument]) throws {
        guard count > 0 else { return }
        try function(name, in: .layer).launch(grid: LaunchGeometry.elementwise(count), block: Dim3(LaunchGeometry.threads), args)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Seconds on a monotonic clock (host-side timings: compile, upload).
func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
