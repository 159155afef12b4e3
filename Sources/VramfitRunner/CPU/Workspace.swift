/// Every activation and scratch buffer the CPU backend allocates goes through here, so the peak
/// working memory it reports is the exact sum of what was live, not a process-wide RSS guess.
/// The one thing not counted: the per-call tiles inside the weight formats' own kernels
/// (≤ 16 KiB per thread, `PanelGEMM.scratchFloats` / the quantizers' TileKernels).
final class Workspace {
    private struct Live { var name: String; var bytes: Int; var pointer: UnsafeMutableRawPointer }
    private var live: [Live] = []
    private(set) var liveBytes = 0
    private(set) var peakBytes = 0
    private(set) var peakPhase = ""
    private(set) var peakBuffers: [WorkingMemoryReport.Buffer] = []
    /// Label of what the session is doing, recorded with the peak.
    var phase = ""

    /// `count` Floats, uninitialised, named for the report.
    func floats(_ name: String, _ count: Int) -> UnsafeMutableBufferPointer<Float> {
        let bytes = max(count, 1) * MemoryLayout<Float>.stride
        let p = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        live.append(Live(name: name, bytes: bytes, pointer: p))
        liveBytes += bytes
        if liveBytes > peakBytes {
            peakBytes = liveBytes
            peakPhase = phase
            peakBuffers = live.map { WorkingMemoryReport.Buffer(name: $0.name, bytes: .init($0.bytes)) }
        }
        return UnsafeMutableBufferPointer(start: p.assumingMemoryBound(to: Float.self), count: count)
    }

    /// `count` Floats set to zero.
    func zeros(_ name: String, _ count: Int) -> UnsafeMutableBufferPointer<Float> {
        let b = floats(name, count)
        b.initialize(repeating: 0)
        return b
    }

    func free(_ b: UnsafeMutableBufferPointer<Float>) {
        guard let base = b.baseAddress else { return }
        let raw = UnsafeMutableRawPointer(base)
        guard let i = live.firstIndex(where: { $0.pointer == raw }) else { preconditionFailure("freeing a buffer the workspace does not own") }
        liveBytes -= live[i].bytes
        live[i].pointer.deallocate()
        live.remove(at: i)
    }

    var report: WorkingMemoryReport {
        WorkingMemoryReport(peak: .init(peakBytes), phase: peakPhase, buffersAtPeak: peakBuffers)
    }

    deinit { for l in live { l.pointer.deallocate() } }
}
