/// Everything that can go wrong between vramfit and the CUDA libraries, with the library's own
/// words attached: a failed call carries the driver's `cuGetErrorName`/`cuGetErrorString` (or
/// NVRTC's `nvrtcGetErrorString`) so a user sees `CUDA_ERROR_OUT_OF_MEMORY: out of memory`, not a
/// bare number.
public enum CUDAError: Error, Equatable, CustomStringConvertible {
    /// A library could not be loaded or lacks a symbol; the backend is unusable, the CPU one is not.
    case unavailable(library: String, reason: String)
    /// A driver API call returned a status other than CUDA_SUCCESS.
    case driver(call: String, code: Int32, name: String, message: String)
    /// An NVRTC call returned a status other than NVRTC_SUCCESS.
    case nvrtc(call: String, code: Int32, message: String)
    /// NVRTC compiled nothing: the log says why (file:line: error ...).
    case compilation(program: String, options: [String], log: String)
    /// An NVML call failed (used only for the free-memory reading before the CUDA context exists).
    case nvml(call: String, code: Int32, message: String)
    /// The machine has no CUDA device, or not the one asked for.
    case noDevice(ordinal: Int, count: Int)
    /// A request the device cannot serve (compute capability too low for a scheme, size limits).
    case unsupported(String)

    public var description: String {
        switch self {
        case let .unavailable(library, reason):
            return "CUDA unavailable: \(library): \(reason)"
        case let .driver(call, code, name, message):
            return "\(call) failed: \(name) (\(code)): \(message)"
        case let .nvrtc(call, code, message):
            return "\(call) failed: NVRTC error \(code): \(message)"
        case let .compilation(program, options, log):
            return "NVRTC could not compile \(program) (options: \(options.joined(separator: " "))):\n\(log)"
        case let .nvml(call, code, message):
            return "\(call) failed: NVML error \(code): \(message)"
        case let .noDevice(ordinal, count):
            return count == 0 ? "CUDA unavailable: the driver found no CUDA device"
                : "CUDA device \(ordinal) does not exist (the driver sees \(count))"
        case let .unsupported(what):
            return "not supported on this device: \(what)"
        }
    }

    /// True for the errors that mean "no usable CUDA here" (so callers fall back or skip), as
    /// opposed to a failure of something that was running.
    public var isUnavailable: Bool {
        switch self {
        case .unavailable, .noDevice: return true
        case let .driver(_, code, _, _): return code == 100 || code == 35  // CUDA_ERROR_NO_DEVICE, CUDA_ERROR_INSUFFICIENT_DRIVER
        default: return false
        }
    }
}
