import CUDADriver
import VramfitCUDA

/// What this machine has, probed once: the GPU tests run only where a CUDA device and NVRTC
/// load; the NVRTC compile checks only where NVRTC loads (it needs no GPU: set VRAMFIT_NVRTC to a
/// libnvrtc.so.* to run them on a GPU-less machine).
enum TestDevice {
    static let runtime: CUDARuntime? = try? CUDARuntime.open()
    static let nvrtc: NVRTC? = try? NVRTC.load()
    static var hasGPU: Bool { runtime != nil }
    static var hasNVRTC: Bool { nvrtc != nil }
    static var driverMissing: Bool { (try? CUDA.load()) == nil }
}
