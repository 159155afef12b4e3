import Foundation
import Testing
import VramfitRunner
@testable import VramfitCUDA

/// The kernels' per-thread code run on the CPU, where no GPU is: scripts/emulate compiles the
/// format structs, `int4_repack`, `stage_x` and `kv_store` (taken from the very strings the
/// backend hands NVRTC) as C++ with host stand-ins for the PTX half2 instructions, and checks
/// them against independent references — Int4 (AWQ, GPTQ, act-order; groups of 32…256) dequant
/// exactly and the grouped GEMV within fp16 rounding of a float64 sum; q8_0/q4_0 stores byte for
/// byte against ggml's quantize_row_*_ref. Here the q8_0/q4_0 bytes are also compared with the
/// host encoder (`KVCacheStorage.encode`), the oracle of the device check. What the CPU cannot
/// show (NVRTC's code generation, the device's math library) stays the device check's job.
/// Skipped with the reason where no C++ compiler is found.
@Suite(.enabled(if: KernelEmulation.compiler != nil, "no clang++ on PATH or beside the Swift toolchain: the kernel emulation compiles C++"))
struct KernelEmulationTests {
    @Test func kernelsMatchTheirReferencesOnTheCPU() throws {
        let emu = try KernelEmulation.build()
        let run = try KernelEmulation.run(emu, [])
        #expect(run.status == 0, "\(run.output)")
        #expect(!run.output.contains("FAIL"), "\(run.output)")
        // 14 Int4 cases and 4 KV-store cases, each reported.
        #expect(run.output.split(separator: "\n").filter { $0.hasSuffix(" ok") }.count == 18, "\(run.output)")
    }

    @Test func kvStoreWritesTheHostEncodersBytes() throws {
        let emu = try KernelEmulation.build()
        let width = 1024, tokens = 6
        let values = GaussianFill.values(tokens * width, seed: 21, std: 1.5)
        let dir = emu.deletingLastPathComponent()
        let input = dir.appendingPathComponent("values.f32"), q8 = dir.appendingPathComponent("q8_0.bin"), q4 = dir.appendingPathComponent("q4_0.bin")
        try values.withUnsafeBytes { try Data($0).write(to: input) }
        let run = try KernelEmulation.run(emu, [input.path, q8.path, q4.path])
        #expect(run.status == 0, "\(run.output)")
        for (storage, file) in [(KVCacheStorage.q8_0, q8), (.q4_0, q4)] {
            let device = [UInt8](try Data(contentsOf: file))
            let rowBytes = storage.bytes(forValues: width)
            var host = [UInt8](repeating: 0, count: rowBytes * (tokens + 1))
            values.withUnsafeBufferPointer { vp in
                host.withUnsafeMutableBytes { hp in
                    for t in 0..<tokens { storage.encode(vp.baseAddress! + t * width, count: width, into: hp.baseAddress! + (t + 1) * rowBytes) }
                }
            }
            #expect(device.count == host.count)
            #expect(zip(device, host).filter { $0 != $1 }.count == 0, "\(storage) bytes differ from KVCacheStorage.encode")
        }
    }
}

/// Builds scripts/emulate into a temporary folder (once per test process).
enum KernelEmulation {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let scripts = root.appendingPathComponent("scripts/emulate")

    static let compiler: String? = {
        let env = ProcessInfo.processInfo.environment
        var candidates = (env["PATH"] ?? "").split(separator: ":").map { "\($0)/clang++" }
        candidates += ["/opt/swift/usr/bin/clang++", "/usr/bin/clang++"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    struct Failure: Error, CustomStringConvertible { var description: String }

    private static let lock = NSLock()
    nonisolated(unsafe) private static var built: URL?

    /// The source the backend compiles, cut to what runs per thread (the same cut as
    /// scripts/emulate/extract.py): FormatArgs, the formats, stage_x, the KV store.
    static var kernelsInclude: String {
        func cut(_ text: String, from a: String, to b: String) -> String {
            guard let r = text.range(of: a), let e = text.range(of: b, range: r.upperBound..<text.endIndex) else { return "" }
            return String(text[r.lowerBound..<e.lowerBound])
        }
        let pre = PreludeSource.text
        let prelude = pre.range(of: "struct FormatArgs").map { String(pre[$0.lowerBound...]) } ?? ""
        return [prelude, FormatSource.text,
                cut(MatrixSource.text, from: "template <class F>\nDEVI void stage_x", to: "template <class F, int ROWS, int U>"),
                cut(LayerSource.text, from: "DEVI u16 f2bf", to: "/* q [T][H][d]")].joined(separator: "\n")
    }

    static func build() throws -> URL {
        lock.lock(); defer { lock.unlock() }
        if let b = built { return b }
        guard let cxx = compiler else { throw Failure(description: "no clang++") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vramfit-emulate-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try kernelsInclude.write(to: dir.appendingPathComponent("kernels.inc"), atomically: true, encoding: .utf8)
        let exe = dir.appendingPathComponent("emulate")
        let flags = ["-std=c++17", "-O1", "-ffp-contract=off", "-Wno-deprecated-declarations"]
        let ref = try run(URL(fileURLWithPath: cxx), flags + ["-c", scripts.appendingPathComponent("ggml_ref.cpp").path, "-o", dir.appendingPathComponent("ref.o").path])
        guard ref.status == 0 else { throw Failure(description: "ggml_ref.cpp: \(ref.output)") }
        let main = try run(URL(fileURLWithPath: cxx), flags + ["-I", scripts.path, "-I", dir.path, scripts.appendingPathComponent("main.cpp").path,
                                                            dir.appendingPathComponent("ref.o").path, "-o", exe.path])
        guard main.status == 0 else { throw Failure(description: "main.cpp: \(main.output)") }
        built = exe
        return exe
    }

    static func run(_ exe: URL, _ args: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = exe
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
