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
        .target(name: "VramfitRunner", dependencies: ["VramfitCore"]),
        // Turns catalogs/*.yaml into a Swift source so the binary carries them wherever it is copied.
        .executableTarget(name: "EmbedCatalogsTool"),
        .plugin(name: "EmbedCatalogs", capability: .buildTool(), dependencies: ["EmbedCatalogsTool"]),
        .executableTarget(
            name: "vramfit",
            dependencies: [
                "VramfitCore", "VramfitCatalog", "VramfitRunner",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "VramfitCoreTests", dependencies: ["VramfitCore"]),
        .testTarget(name: "VramfitRunnerTests", dependencies: ["VramfitRunner", "VramfitCore"]),
        .testTarget(name: "VramfitCatalogTests", dependencies: ["VramfitCatalog", "VramfitCore"]),
        .testTarget(name: "vramfitTests", dependencies: ["vramfit", "VramfitCore", "VramfitCatalog"]),
    ],
    swiftLanguageModes: [.v6]
)
