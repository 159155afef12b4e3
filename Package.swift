// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "vramfit",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "vramfit", targets: ["vramfit"]),
        .library(name: "VramfitCore", targets: ["VramfitCore"]),
        .library(name: "VramfitCatalog", targets: ["VramfitCatalog"]),
        .library(name: "VramfitRunner", targets: ["VramfitRunner"]),
        // Regenerates docs/accuracy.md from validation/data: swift run vramfit-accuracy
        .executable(name: "vramfit-accuracy", targets: ["AccuracyReport"]),
        // Times the whole-catalog sweep and the catalog load: swift run -c release vramfit-sweep-bench
        .executable(name: "vramfit-sweep-bench", targets: ["SweepBenchmark"]),
        // Micro-runner speed per scheme (prefill GFLOP/s, decode GB/s vs measured bandwidth): swift run -c release vramfit-runner-bench
        .executable(name: "vramfit-runner-bench", targets: ["RunnerBenchmark"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // Pure arithmetic and types: no I/O, no YAML, no CLI.
        .target(name: "VramfitCore"),
        // YAML → core types, with file:line:column errors; embeds the built-in catalogs.
        .target(
            name: "VramfitCatalog",
            dependencies: ["VramfitCore", .product(name: "Yams", package: "Yams")],
            plugins: ["EmbedCatalogs"]
        ),
        // The micro-runner: quantizes one decoder layer with a scheme's real storage and runs it on a
        // backend (CPU here; CUDA through run-time dlopen), so estimates are checked by execution.
        // Optimised in debug builds too: its kernels run 10–100× slower at -Onone (every SIMD operation
        // a generic call), which would make `swift build && vramfit validate` on a 7B layer take tens of minutes.
        .target(name: "VramfitRunner", dependencies: ["VramfitCore"],
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        // The only code that touches CUDA: libcuda, NVRTC and NVML through dlopen at run time, so
        // nothing links against CUDA and the package builds and tests on GPU-less machines.
        .target(name: "CUDADriver"),
        // The CUDA backend of the micro-runner: NVRTC-compiled kernels for every weight format.
        .target(name: "VramfitCUDA", dependencies: ["VramfitRunner", "VramfitCore", "CUDADriver"]),
        // Turns catalogs/*.yaml into a Swift source so the binary carries them wherever it is copied.
        .executableTarget(name: "EmbedCatalogsTool"),
        .plugin(name: "EmbedCatalogs", capability: .buildTool(), dependencies: ["EmbedCatalogsTool"]),
        .executableTarget(
            name: "vramfit",
            dependencies: [
                "VramfitCore", "VramfitCatalog", "VramfitRunner", "VramfitCUDA", "CUDADriver",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The sweep benchmark (a figure in README.md), not a timed test.
        .executableTarget(name: "SweepBenchmark", dependencies: ["VramfitCore", "VramfitCatalog"]),
        // The micro-runner benchmark: where its speed targets live, not in timed tests.
        .executableTarget(name: "RunnerBenchmark", dependencies: ["VramfitRunner", "VramfitCore", "VramfitCatalog"]),
        // Estimator vs measured engines (validation/data) → docs/accuracy.md.
        .executableTarget(name: "AccuracyReport", dependencies: ["VramfitCore", "VramfitCatalog"]),
        .testTarget(name: "VramfitCoreTests", dependencies: ["VramfitCore"]),
        .testTarget(name: "VramfitRunnerTests", dependencies: ["VramfitRunner", "VramfitCore", "VramfitCatalog"]),
        .testTarget(name: "VramfitCatalogTests", dependencies: ["VramfitCatalog", "VramfitCore"]),
        .testTarget(name: "VramfitCUDATests", dependencies: ["VramfitCUDA", "CUDADriver", "VramfitRunner", "VramfitCore"]),
        .testTarget(name: "vramfitTests", dependencies: ["vramfit", "VramfitCore", "VramfitCatalog"]),
    ],
    swiftLanguageModes: [.v6]
)
