/// The targets `vramfit validate --target` can name, and how to make each. The executable builds
/// the registry (Sources/vramfit/Commands/RunnerBackends.swift): the CPU backend always, the CUDA
/// backend where its target is linked in. A backend that exists but cannot run on this machine
/// (no libcuda, no GPU) throws `RunnerError.backendUnavailable` from `make` with the reason.
public struct BackendRegistry: Sendable {
    public struct Entry: Sendable {
        public var target: String
        /// One line for help and errors, e.g. "Swift SIMD on all CPU cores".
        public var summary: String
        public var make: @Sendable () throws -> any RunnerBackend
        public init(target: String, summary: String, make: @escaping @Sendable () throws -> any RunnerBackend) {
            self.target = target; self.summary = summary; self.make = make
        }
    }

    public var entries: [Entry]
    /// Targets users may name that this build has no backend for, with the reason (e.g. "cuda":
    /// "this build has no CUDA backend"), so they get "not available" instead of "unknown".
    public var absent: [String: String]

    public init(entries: [Entry], absent: [String: String] = [:]) { self.entries = entries; self.absent = absent }

    public var targets: [String] { entries.map(\.target) + absent.keys.sorted().filter { k in !entries.contains { $0.target == k } } }

    /// The backend for `target` (case-insensitive).
    public func make(_ target: String) throws -> any RunnerBackend {
        let t = target.lowercased()
        if let e = entries.first(where: { $0.target == t }) { return try e.make() }
        if let why = absent[t] { throw RunnerError.backendUnavailable(target: t, reason: why) }
        throw RunnerError.unknownTarget(target, known: targets)
    }
}
