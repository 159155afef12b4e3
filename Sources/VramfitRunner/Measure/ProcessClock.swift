import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall time and this process's CPU time (user + system, all threads). Their ratio over a phase is
/// how many cores the phase actually had: on a machine shared with other work it falls below the
/// core count, and the phase's wall time overstates what the kernels need.
public struct ProcessClock: Sendable {
    public var wall: Double
    public var cpu: Double

    public static func now() -> ProcessClock {
        var u = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &u)
        #else
        getrusage(RUSAGE_SELF, &u)
        #endif
        let cpu = Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
        return ProcessClock(wall: Double(DispatchTime.now().uptimeNanoseconds) / 1e9, cpu: cpu)
    }

    /// CPU seconds per wall second since `start`.
    public func coresBusy(since start: ProcessClock) -> Double {
        let w = wall - start.wall
        return w > 0 ? (cpu - start.cpu) / w : 0
    }
}
