import Foundation
import VramfitCore
import VramfitRunner

/// What the runner needs to know about this machine, read where file I/O belongs (the CLI):
/// the CPU's name and the memory a new allocation can get.
enum HostInfo {
    /// "Intel(R) Xeon(R) Processor @ 2.80GHz, 2 cores" from /proc/cpuinfo where there is one.
    static var cpuName: String {
        let cores = Parallel.cores
        if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
           let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
           let colon = line.firstIndex(of: ":") {
            return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces) + ", \(cores) cores"
        }
        return "CPU, \(cores) cores"
    }

    /// /proc/meminfo `MemAvailable` (what the kernel can hand out without swapping); elsewhere the
    /// physical memory, the best figure Foundation offers.
    static var availableMemory: ByteCount { meminfo("MemAvailable") ?? ByteCount(Int64(ProcessInfo.processInfo.physicalMemory)) }

    static var totalMemory: ByteCount { meminfo("MemTotal") ?? ByteCount(Int64(ProcessInfo.processInfo.physicalMemory)) }

    static func meminfo(_ key: String) -> ByteCount? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
            let parts = line.split(separator: " ")
            if parts.count >= 2, let kib = Int64(parts[1]) { return ByteCount(kib * 1024) }
        }
        return nil
    }
}
