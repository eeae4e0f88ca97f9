// The progress of an llm.map on stderr. On a terminal, one line redrawn in
// place at most ten times a second (of the loop's clock):
//   llm.map  412/1000  41% [████████░░░░░░░░░░░░]  37.2/s  ETA 16 s  50 in flight · waiting 4.2 s · rate limit
// and, at the end, the summary line in its place. Not on a terminal: only the
// summary line.
//   llm.map: 1000 items in 26.9 s (37.2/s): 995 ok, 5 failed (rate_limited 3, server 2)
import Foundation
import LLMCore

final class ProgressBar {
    let total: Int
    private let terminal: Bool
    private let clock: any LLMCore.Clock
    private let started: Double
    private let write: (String) -> Void
    private var lastDraw = -Double.infinity
    private var drawn = false
    private(set) var done = 0
    private(set) var failed = 0
    private(set) var inFlight = 0
    /// The resilient client's wait, if one is going on.
    var waiting: String? {
        didSet { if waiting != oldValue { draw(force: true) } }
    }

    init(total: Int, clock: any LLMCore.Clock, terminal: Bool, write: @escaping (String) -> Void) {
        self.total = total
        self.clock = clock
        self.terminal = terminal
        self.write = write
        started = clock.now
    }

    /// Progress on stderr, redrawn in place when stderr is a terminal.
    static func forStderr(total: Int, clock: any LLMCore.Clock, environment: [String: String] = ProcessInfo.processInfo.environment) -> ProgressBar {
        ProgressBar(total: total, clock: clock, terminal: StderrTerminal.canRedraw(environment: environment)) { FileHandle.standardError.write(Data($0.utf8)) }
    }

    func update(done: Int, failed: Int, inFlight: Int) {
        self.done = done
        self.failed = failed
        self.inFlight = inFlight
        draw(force: done == total)
    }

    /// Replaces the bar with the summary line.
    func finish(summary: String) {
        write((terminal && drawn ? "\r\u{1B}[K" : "") + summary + "\n")
    }

    private func draw(force: Bool) {
        guard terminal else { return }
        let now = clock.now
        guard force || now - lastDraw >= 0.1 else { return }
        lastDraw = now
        drawn = true
        write("\r\u{1B}[K" + line(now: now))
    }

    func line(now: Double) -> String {
        let fraction = total == 0 ? 1 : Double(done) / Double(total)
        let width = 20
        let filled = min(width, Int((fraction * Double(width)).rounded(.down)))
        var parts = [
            "llm.map  \(done)/\(total)  \(Int((fraction * 100).rounded(.down)))%",
            "[" + String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled) + "]",
        ]
        let elapsed = now - started
        if elapsed > 0, done > 0 {
            let rate = Double(done) / elapsed
            parts.append(String(format: "%.1f/s", rate))
            if done < total { parts.append("ETA " + Self.duration(Double(total - done) / rate)) }
        }
        var text = parts.joined(separator: "  ") + "  \(inFlight) in flight"
        if failed > 0 { text += " · \(failed) failed" }
        if let waiting { text += " · " + waiting }
        return text
    }

    static func duration(_ seconds: Double) -> String {
        if seconds < 60 { return String(format: "%.0f s", seconds.rounded(.up)) }
        let s = Int(min(seconds, 1e9).rounded(.up))  // finite here: done > 0 and elapsed > 0
        return s < 3600 ? "\(s / 60) min \(s % 60) s" : "\(s / 3600) h \(s % 3600 / 60) min"
    }
}
