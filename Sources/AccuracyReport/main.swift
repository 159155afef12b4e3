import Foundation
import VramfitCatalog
import VramfitCore

// vramfit-accuracy: regenerates docs/accuracy.md from the measured data.
//
//     swift run vramfit-accuracy [--root DIR] [--check]
//
// Reads validation/data/*.jsonl (the measurement scripts' output), validation/data/baselines-accelerate.jsonl,
// validation/models.yaml (validation-only architectures, as an extra catalog) and docs/accuracy-notes.md;
// writes docs/accuracy.md. `--check` writes nothing and exits 1 when the page is out of date.
// Exit 2 on unreadable input, with the file and line.

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("vramfit-accuracy: \(message)\n".utf8))
    exit(2)
}

func parseArguments() -> (root: String, check: Bool) {
    var root = FileManager.default.currentDirectoryPath
    var check = false
    var args = CommandLine.arguments.dropFirst()
    while let a = args.popFirst() {
        switch a {
        case "--root":
            guard let r = args.popFirst() else { fail("--root needs a folder") }
            root = r
        case "--check": check = true
        case "-h", "--help":
            print("usage: vramfit-accuracy [--root DIR] [--check]\nRegenerates docs/accuracy.md from validation/data/*.jsonl.")
            exit(0)
        default: fail("unknown argument '\(a)' (expected --root DIR or --check)")
        }
    }
    return (root, check)
}

let (root, check) = parseArguments()

func read(_ rel: String) -> String {
    let path = (root as NSString).appendingPathComponent(rel)
    guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
        fail("cannot read \(path)")
    }
    return text
}

do {
    var catalog = try CatalogLoader.builtIn()
    catalog.merge(try CatalogLoader.read(path: (root as NSString).appendingPathComponent("validation/models.yaml")))
    let dataDir = "validation/data"
    let files = (try FileManager.default.contentsOfDirectory(atPath: (root as NSString).appendingPathComponent(dataDir)))
        .filter { $0.hasSuffix(".jsonl") }.sorted()
    let accelerate = files.contains("baselines-accelerate.jsonl")
        ? try MeasurementReader.accelerateTotals(read("\(dataDir)/baselines-accelerate.jsonl"), file: "\(dataDir)/baselines-accelerate.jsonl")
        : [:]
    var cases: [AccuracyCase] = [], failed: [String] = [], provenance: [String] = []
    for f in files where !f.hasPrefix("baselines") {
        let rel = "\(dataDir)/\(f)"
        let text = read(rel)
        let r = try MeasurementReader.cases(text, file: rel, accelerate: accelerate)
        cases += r.cases
        failed += r.failedRuns
        provenance.append(MeasurementReader.provenance(text, file: rel))
    }
    if !accelerate.isEmpty {
        provenance.append("`baselines-accelerate.jsonl`: accelerate's estimate-memory computation on the catalog configs (validation/baselines/accelerate_estimate.py)")
    }
    let results = AccuracyEvaluator.evaluate(cases, catalog: catalog)
    let page = AccuracyMarkdown.render(.init(results: results, failedRuns: failed, provenance: provenance,
                                             notes: read("docs/accuracy-notes.md")))
    let out = (root as NSString).appendingPathComponent("docs/accuracy.md")
    if check {
        let current = FileManager.default.contents(atPath: out).flatMap { String(data: $0, encoding: .utf8) }
        if current != page {
            FileHandle.standardError.write(Data("docs/accuracy.md is out of date: run swift run vramfit-accuracy\n".utf8))
            exit(1)
        }
        print("docs/accuracy.md is up to date (\(results.count) cases)")
    } else {
        try page.write(toFile: out, atomically: true, encoding: .utf8)
        let misses = AccuracySummary.violations(results)
        print("wrote docs/accuracy.md: \(results.count) cases, \(failed.count) runs that did not complete, \(misses.count) targets missed")
        for m in misses { print("  miss: \(m)") }
    }
} catch {
    fail("\(error)")
}
