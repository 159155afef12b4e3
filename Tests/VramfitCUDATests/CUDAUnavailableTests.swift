import CUDADriver
import Testing
import VramfitCUDA
import VramfitRunner

/// The path every GPU-less machine (CI) takes: the libraries are missing, and the error says
/// which one and why, typed, so the CLI can print it and exit 2 while the CPU backend works.
@Suite struct CUDAUnavailableTests {
    @Test func missingDriverIsUnavailableWithTheLoaderMessage() {
        do {
            _ = try CUDA.load(candidates: ["/nonexistent/libcuda.so.1"])
            Issue.record("loading a nonexistent libcuda succeeded")
        } catch let e as CUDAError {
            #expect(e.isUnavailable)
            guard case .unavailable(let lib, let reason) = e else { Issue.record("wrong case \(e)"); return }
            #expect(lib.contains("libcuda"))
            #expect(reason.contains("/nonexistent/libcuda.so.1"))
            #expect(e.description.hasPrefix("CUDA unavailable: libcuda"))
        } catch { Issue.record("untyped error \(error)") }
    }

    @Test func missingNVRTCIsUnavailable() {
        do {
            _ = try NVRTC.load(candidates: ["/nonexistent/libnvrtc.so.13", "libnvrtc-that-does-not-exist.so"])
            Issue.record("loading a nonexistent NVRTC succeeded")
        } catch let e as CUDAError {
            guard case .unavailable(let lib, let reason) = e else { Issue.record("wrong case \(e)"); return }
            #expect(lib.contains("NVRTC"))
            #expect(reason.contains("libnvrtc-that-does-not-exist.so"))
        } catch { Issue.record("untyped error \(error)") }
    }

    @Test func aLibraryWithoutTheSymbolsIsUnavailableNamingTheSymbol() {
        // libm loads but exports no cuInit: the message names the missing symbol.
        do {
            _ = try CUDA.load(candidates: ["libm.so.6"])
            Issue.record("libm was taken for libcuda")
        } catch let e as CUDAError {
            #expect(e.isUnavailable)
            #expect(e.description.contains("cuInit"))
        } catch { Issue.record("untyped error \(error)") }
    }

    @Test(.enabled(if: TestDevice.driverMissing, "this machine has libcuda; the unavailable path is tested where it is missing"))
    func backendReportsUnavailableAndTheCPUBackendStillRuns() throws {
        #expect(throws: RunnerError.self) { _ = try CUDABackend() }
        do { _ = try CUDABackend() } catch let e as RunnerError {
            guard case .backendUnavailable(let target, let reason) = e else { Issue.record("wrong case \(e)"); return }
            #expect(target == "cuda")
            #expect(reason.contains("libcuda"))
        }
        let cpu = CPUBackend(availableMemory: { .zero })
        #expect(cpu.unsupportedReason(weightFormat: "int4-g128-awq") == nil)
    }

    @Test func driverErrorsCarryNameAndText() {
        let e = CUDAError.driver(call: "cuMemAlloc(42 bytes)", code: 2, name: "CUDA_ERROR_OUT_OF_MEMORY", message: "out of memory")
        #expect(e.description == "cuMemAlloc(42 bytes) failed: CUDA_ERROR_OUT_OF_MEMORY (2): out of memory")
        #expect(!e.isUnavailable)
        #expect(CUDAError.driver(call: "cuInit", code: 100, name: "CUDA_ERROR_NO_DEVICE", message: "no CUDA-capable device is detected").isUnavailable)
    }

    @Test func computeCapabilityNamesAndFP8() {
        #expect(ComputeCapability(major: 9, minor: 0).smName == "sm_90")
        #expect(ComputeCapability(major: 8, minor: 9).hasFP8)
        #expect(!ComputeCapability(major: 8, minor: 6).hasFP8)
        #expect(ComputeCapability(major: 8, minor: 0) < ComputeCapability(major: 8, minor: 6))
    }
}
