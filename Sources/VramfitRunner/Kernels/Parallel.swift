import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// All cores, through `DispatchQueue.concurrentPerform`. Work is always split into tasks whose
/// results do not depend on which thread runs them, so outputs are identical at any core count.
public enum Parallel {
    /// Cores to use: `VRAMFIT_THREADS` when set to a positive number (to pin a run to fewer cores,
    /// e.g. with `taskset`), else the online processors (sysconf); at least 1.
    public static let cores: Int = {
        if let v = getenv("VRAMFIT_THREADS"), let n = Int(String(cString: v)), n > 0 { return n }
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }()

    /// Runs `body(i)` for i in 0..<n on all cores.
    public static func forEach(_ n: Int, _ body: (Int) -> Void) {
        if n <= 0 { return }
        if n == 1 || cores == 1 { for i in 0..<n { body(i) }; return }
        // concurrentPerform wants a @Sendable closure; the tasks write disjoint memory (the
        // contract of every caller), and the closure does not outlive this call.
        withoutActuallyEscaping(body) { b in
            let box = UncheckedBox(b)
            DispatchQueue.concurrentPerform(iterations: n) { i in box.value(i) }
        }
    }

    /// Runs `body(worker, task)` for every task in 0..<tasks on `workers(tasks)` workers, each
    /// taking tasks worker, worker + W, …: lets a caller give each worker one scratch buffer and
    /// count exactly how much scratch was live.
    public static func forEachWorker(tasks: Int, workers: Int, _ body: (_ worker: Int, _ task: Int) -> Void) {
        if tasks <= 0 { return }
        let w = max(1, min(workers, tasks))
        forEach(w) { wk in
            var t = wk
            while t < tasks { body(wk, t); t += w }
        }
    }

    /// How many workers `forEachWorker` uses for `tasks` tasks.
    public static func workers(for tasks: Int) -> Int { max(1, min(cores, tasks)) }

    /// Splits `0..<count` into about `parts` ranges whose bounds are multiples of `align`
    /// (except the end), for row-parallel matrix products.
    public static func ranges(_ count: Int, parts: Int, align: Int = 8) -> [Range<Int>] {
        guard count > 0 else { return [] }
        let a = max(1, align)
        let units = (count + a - 1) / a
        let p = max(1, min(parts, units))
        var out: [Range<Int>] = []
        out.reserveCapacity(p)
        var start = 0
        for i in 0..<p {
            let endUnits = (units * (i + 1)) / p
            let end = min(count, endUnits * a)
            if end > start { out.append(start..<end) }
            start = end
        }
        return out
    }
}

struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ v: T) { value = v }
}

/// A raw pointer handed to parallel workers that write disjoint parts of one buffer.
public struct SendablePointer<T>: @unchecked Sendable {
    public let pointer: UnsafeMutablePointer<T>
    public init(_ p: UnsafeMutablePointer<T>) { pointer = p }
}
