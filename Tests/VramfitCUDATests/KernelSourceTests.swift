import CUDADriver
import Testing
import VramfitRunner
@testable import VramfitCUDA

/// The kernels' CUDA C, checked without a GPU: every kernel the backend looks up is defined, the
/// decode constants do what the comments say (in Float16 arithmetic, which is what the GPU's
/// half2 instructions compute), and — where NVRTC is installed — every module compiles for
/// Ampere, Ada and Hopper.
@Suite struct KernelSourceTests {
    @Test func everyLookedUpKernelIsDefined() {
        for f in DeviceFormat.allCases {
            let src = KernelSource.matrixModule(f)
            #expect(src.contains("MATRIX_KERNELS(\(f.rawValue), \(f.structName))"))
            #expect(src.contains("struct \(f.structName)"))
            #expect(src.contains("static const int VALS = \(f.valuesPerChunk);"), "\(f)")
        }
        let layer = KernelSource.layerModule
        for k in KernelSource.layerKernels where !k.hasPrefix("attention_partial_kv") {
            #expect(layer.contains("__global__ void \(k)(") || layer.contains("__global__ void __launch_bounds__(256) \(k)("), "\(k)")
        }
        for kv in 0...5 { #expect(layer.contains("ATTENTION_KERNEL(\(kv))")) }
    }

    @Test func kvCodesMatchTheCacheTypes() {
        // kv_get's switch: 0 fp32, 1 fp16, 2 bf16, 3 fp8, 4 q8_0, 5 q4_0 — and the row sizes the
        // backend allocates are KVCacheStorage's own.
        #expect(KVCacheStorage.allCases.map(CUDALayerSession.kvCode) == [0, 1, 2, 3, 4, 5])
        #expect(KernelSource.layerModule.contains("row + (i >> 5) * 34") && KernelSource.layerModule.contains("row + (i >> 5) * 18"))
    }

    /// The int4 path: `(w & 0x000F000F) | 0x64006400` is the half 1024 + q; subtracting the half
    /// 0x6400 + z gives q − z exactly. The high nibble, `(w & 0x00F000F0) | 0x64006400`, is
    /// 1024 + 16q; ×(1/16) (0x2C00) + (0xD400 + 16z, i.e. −(64 + z)) gives q − z exactly.
    @Test func int4MagicNumbersAreExact() {
        let src = FormatSource.text
        #expect(src.contains("0x64006400u") && src.contains("0x2C002C00u") && src.contains("0xD400u + (z << 4)") && src.contains("0x6400u + z"))
        for z in 0...16 {
            for q in 0...15 {
                let lo = Float16(bitPattern: UInt16(0x6400 | q)) - Float16(bitPattern: UInt16(0x6400 + z))
                #expect(lo == Float16(q - z))
                let hi = Float16(bitPattern: UInt16(0x6400 | (q << 4)))
                let r = Float16(bitPattern: UInt16(0xD400 + (z << 4))).addingProduct(hi, Float16(bitPattern: 0x2C00))  // fma, as fma.rn.f16x2
                #expect(r == Float16(q - z), "q \(q) z \(z)")
            }
        }
    }

    /// The int8 path: byte ^ 0x80 placed under 0x64 is the half 1024 + (b + 128); minus 0x6480
    /// (1152) is the signed byte exactly. `__byte_perm(u, 0x64646464, 0x5140)` puts bytes 0 and 1
    /// of u in the low bytes of the two halves.
    @Test func int8MagicNumbersAreExact() {
        #expect(FormatSource.text.contains("0x64806480u") && FormatSource.text.contains("0x5140u") && FormatSource.text.contains("0x5342u"))
        for b in 0...255 {
            let biased = UInt16(b ^ 0x80)
            let v = Float16(bitPattern: 0x6400 | biased) - Float16(bitPattern: 0x6480)
            #expect(v == Float16(Int8(bitPattern: UInt8(b))))
        }
        // __byte_perm(x, y, s): result byte i = byte (s >> 4i) & 7 of the 8 bytes y:x.
        func bytePerm(_ x: UInt32, _ y: UInt32, _ s: UInt32) -> UInt32 {
            let bytes = (0..<4).map { (x >> (8 * $0)) & 0xFF } + (0..<4).map { (y >> (8 * $0)) & 0xFF }
            return (0..<4).reduce(0) { $0 | bytes[Int((s >> (4 * UInt32($1))) & 7)] << (8 * UInt32($1)) }
        }
        #expect(bytePerm(0xDDCC_BBAA, 0x6464_6464, 0x5140) == 0x64BB_64AA)
        #expect(bytePerm(0xDDCC_BBAA, 0x6464_6464, 0x5342) == 0x64DD_64CC)
    }

    /// AWQ's zero nibble position in the kernel, (j >> 1) | (j & 1) << 2, is AWQ_REVERSE_ORDER.
    @Test func awqNibbleOrderMatchesTheQuantizer() {
        #expect(FormatSource.text.contains("(j >> 1) | ((j & 1) << 2)"))
        let order = [0, 2, 4, 6, 1, 3, 5, 7]  // AutoAWQ AWQ_ORDER: nibble i holds column order[i]
        for j in 0..<8 { #expect(order[(j >> 1) | ((j & 1) << 2)] == j) }
        #expect(AWQWeight.order == order)
    }

    @Test(.enabled(if: TestDevice.hasNVRTC, "NVRTC is not installed here (set VRAMFIT_NVRTC to a libnvrtc.so.* to run it)"),
          arguments: [ComputeCapability(major: 8, minor: 0), ComputeCapability(major: 8, minor: 9), ComputeCapability(major: 9, minor: 0)])
    func everyModuleCompiles(_ cc: ComputeCapability) throws {
        let nvrtc = try #require(TestDevice.nvrtc)
        let arch = nvrtc.architectureOption(for: cc)
        let layer = try nvrtc.compile(source: KernelSource.layerModule, name: "layer.cu", options: [arch.option, "-std=c++17"], cubin: false)
        let ptx = String(decoding: layer.image.prefix { $0 != 0 }, as: UTF8.self)
        for k in KernelSource.layerKernels { #expect(ptx.contains(".entry \(k)("), "\(k) for \(cc)") }
        for f in DeviceFormat.allCases {
            let out = try nvrtc.compile(source: KernelSource.matrixModule(f), name: "\(f).cu", options: [arch.option, "-std=c++17"], cubin: false)
            let text = String(decoding: out.image.prefix { $0 != 0 }, as: UTF8.self)
            for k in KernelSource.kernels(in: f) { #expect(text.contains(".entry \(k)("), "\(k) for \(cc)") }
        }
    }

    @Test(.enabled(if: TestDevice.hasNVRTC, "NVRTC is not installed here"))
    func compileErrorsComeBackWithTheLog() throws {
        let nvrtc = try #require(TestDevice.nvrtc)
        do {
            _ = try nvrtc.compile(source: "extern \"C\" __global__ void k() { undefined_thing(); }", name: "bad.cu", options: ["-std=c++17"])
            Issue.record("a kernel calling an undefined function compiled")
        } catch let e as CUDAError {
            guard case .compilation(let program, _, let log) = e else { Issue.record("wrong case \(e)"); return }
            #expect(program == "bad.cu" && log.contains("undefined_thing"))
        }
    }
}
