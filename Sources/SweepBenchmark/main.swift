import Foundation
import VramfitCatalog
import VramfitCore

// vramfit-sweep-bench: times the built-in catalog's load and the whole-catalog sweep (every
// model × GPU × scheme at 4k/32k/128k), median of repeated runs. Build in release:
//
//   swift run -c release vramfit-sweep-bench [--runs N]
//
// The figure goes in README.md ("`sweep`: speed"); targets live here, not in timed tests.
//
// Measured 2026-11-23 on a 2-core x86-64 Linux machine shared with other jobs (load average
// 0.05–1.4), Swift 6.3.1, `swift build -c release --product vramfit-sweep-bench`, `--runs 7`:
//   catalog load 50–70 ms; usual-engine whole-catalog sweep (111,069 cells) 1.05–1.23 s median on
//   one thread (9.5–11 µs per cell; 7.5 s / 68 µs per cell before the sums, layouts and rule checks
//   moved out of the per-cell path), 0.63–0.68 s median on both cores (5.7–6.2 µs per cell);
//   every engine (265,482 cells) 2.6–2.8 s on one thread; without reusing weights 7.7–9.8 s.
//   End to end, `time vramfit sweep > /dev/null`: 0.66–0.82 s (was 4.3–4.9 s).

var runs = 15
var args = CommandLine.arguments.dropFirst()
while let a = args.popFirst() {
    if a == "--runs", let v = args.popFirst().flatMap(Int.init), v >= 1 { runs = v; continue }
    print("usage: vramfit-sweep-bench [--runs N]")
    exit(2)
}

#if DEBUG
print("warning: debug build; timings mean little (swift run -c release vramfit-sweep-bench)")
#endif

/// Median, min and max of `runs` timings of `body`, in milliseconds.
func time<T>(_ runs: Int, _ body: () throws -> T) rethrows -> (median: Double, min: Double, max: Double, last: T) {
    let clock = ContinuousClock()
    var samples: [Double] = []
    var last: T?
    for _ in 0..<runs {
        var value: T?
        let d = try clock.measure { value = try body() }
        last = value
        samples.append(Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) / 1e15)
    }
    samples.sort()
    let mid = samples.count / 2
    let median = samples.count % 2 == 1 ? samples[mid] : (samples[mid - 1] + samples[mid]) / 2
    return (median, samples.first!, samples.last!, last!)
}

func ms(_ v: Double) -> String { String(format2: v) + " ms" }
func line(_ label: String, _ t: (median: Double, min: Double, max: Double), _ extra: String = "") {
    print("\(label): \(ms(t.median)) median [\(ms(t.min)) – \(ms(t.max))]\(extra)")
}

do {
    let load = try time(runs) { try CatalogLoader.builtIn() }
    let catalog = load.last
    print("vramfit sweep benchmark · \(runs) runs each · \(catalog.models.count) models × \(catalog.gpus.count) GPUs × \(catalog.schemes.count) schemes × 3 contexts")
    line("catalog load (built-in YAML → types)", (load.median, load.min, load.max))

    let usual = SweepQuery(catalog: catalog)
    // One untimed run to warm caches, then the timed ones. Single-threaded first (the figure that
    // does not depend on how many cores are free), then on every core as `vramfit sweep` runs it.
    _ = try Sweeper.run(usual, catalog: catalog, parallel: false)
    let sweep = try time(runs) { try Sweeper.run(usual, catalog: catalog, parallel: false) }
    let cells = sweep.last.cellCount
    line("sweep, each scheme on its usual engine, one thread (\(sweep.last.rows.count) configurations, \(cells) cells)",
         (sweep.median, sweep.min, sweep.max), " · \(String(format2: sweep.median * 1e3 / Double(max(cells, 1)))) µs per cell")
    let threaded = try time(runs) { try Sweeper.run(usual, catalog: catalog) }
    line("sweep, each scheme on its usual engine, all cores", (threaded.median, threaded.min, threaded.max),
         " · \(String(format2: threaded.median * 1e3 / Double(max(cells, 1)))) µs per cell")

    var all = usual
    all.engines = .all
    let every = try time(runs) { try Sweeper.run(all, catalog: catalog, parallel: false) }
    line("sweep, every engine of each scheme, one thread (\(every.last.rows.count) configurations, \(every.last.cellCount) cells)",
         (every.median, every.min, every.max), " · \(String(format2: every.median * 1e3 / Double(max(every.last.cellCount, 1)))) µs per cell")

    let matrix = time(runs) { FitsMatrix(sweep.last) }
    line("fits-matrix pivot (best scheme per model × GPU × context)", (matrix.median, matrix.min, matrix.max))

    // The same sweep recomputing the weights for every GPU (what one estimate per cell would do):
    // the saving of computing them once per model × scheme × engine.
    let naive = try time(max(3, runs / 5)) { try Sweeper.run(usual, catalog: catalog, reuseWeights: false, parallel: false) }
    line("sweep without reusing weights across GPUs, one thread (for comparison)", (naive.median, naive.min, naive.max))
    print("catalog load + sweep: \(ms(load.median + sweep.median))")
} catch {
    print("error: \(error)")
    exit(2)
}
