import VramfitCore
import VramfitCUDA
import VramfitRunner

/// The targets `vramfit validate --target` knows. One entry per backend; a backend that cannot
/// run here (no NVIDIA driver, no GPU) throws `RunnerError.backendUnavailable` from `make`.
enum RunnerBackends {
    static var registry: BackendRegistry {
        BackendRegistry(entries: [
            .init(target: "cpu", summary: "Swift SIMD kernels on all CPU cores") {
                CPUBackend(deviceName: HostInfo.cpuName, availableMemory: { HostInfo.availableMemory })
            },
            .init(target: "cuda", summary: "NVRTC kernels on an NVIDIA GPU through the CUDA driver API") { try CUDABackend() },
        ])
    }
}
