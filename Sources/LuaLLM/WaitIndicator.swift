// The one-line wait indicator on a terminal's stderr:
//   waiting 4.2 s · 429 from claude · retry 2/3
// It counts down on the loop's timers and clears itself when the wait ends.
// Silent when stderr is not a terminal, or with NO_COLOR or MOONWIRE_QUIET set.
import Foundation
import LLMCore
import LLMTransport

final class WaitIndicator {
    private var timer: TimerID?
    private var visible = false

    static func forStderr(environment: [String: String] = ProcessInfo.processInfo.environment) -> WaitIndicator? {
        guard isatty(STDERR_FILENO) != 0, environment["NO_COLOR"] == nil, environment["MOONWIRE_QUIET"] == nil else { return nil }
        return WaitIndicator()
    }

    static func describe(_ w: WaitInfo, remaining: Double) -> String {
        var parts = [String(format: "waiting %.1f s", max(0, remaining))]
        switch w.reason {
        case .rateLimit, .queue:
            parts.append("rate limit" + (w.position.map { " (queue \($0))" } ?? ""))
        case .backoff:
            if let e = w.error { parts.append("\(e.status.map { String($0) } ?? e.kind.rawValue) from \(w.provider)") }
            parts.append("retry \(w.attempt - 1)/\(w.maxAttempts - 1)")
        }
        return parts.joined(separator: " · ")
    }

    func show(_ w: WaitInfo, loop: EventLoop) {
        let end = loop.clock.now + w.seconds
        tick(w, end: end, loop: loop)
    }

    private func tick(_ w: WaitInfo, end: Double, loop: EventLoop) {
        if let timer { loop.cancelTimer(timer) }
        let remaining = end - loop.clock.now
        guard remaining > 0.05 else { clear(); return }
        write("\r\u{1B}[K" + Self.describe(w, remaining: remaining))
        visible = true
        timer = loop.schedule(after: min(0.1, remaining)) { [weak self] in self?.tick(w, end: end, loop: loop) }
    }

    func clear() {
        guard visible else { return }
        write("\r\u{1B}[K")
        visible = false
    }

    private func write(_ s: String) {
        FileHandle.standardError.write(Data(s.utf8))
    }
}
