import Foundation

/// A one-line progress bar on stderr for multi-layer or multi-scheme runs — only when stderr is a
/// terminal, so pipes, logs and `--json` consumers never see it. Redrawn in place with `\r`,
/// erased when done.
final class ProgressBar {
    private let enabled: Bool
    private let width = 28
    private var lastDraw = 0.0

    init(enabled: Bool) { self.enabled = enabled && isatty(2) == 1 }

    /// `fraction` of the whole run (0…1) and what is happening now.
    func update(_ fraction: Double, _ label: String) {
        guard enabled else { return }
        let now = Date().timeIntervalSince1970
        guard now - lastDraw > 0.1 || fraction >= 1 else { return }
        lastDraw = now
        let f = min(max(fraction, 0), 1)
        let filled = Int((Double(width) * f).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let text = "\r\u{1B}[2K[\(bar)] \(String(format: "%3.0f", f * 100)) %  \(label)"
        FileHandle.standardError.write(Data(text.utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
