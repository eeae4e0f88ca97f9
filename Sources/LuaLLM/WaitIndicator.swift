// The one-line wait indicator:
//   waiting 4.2 s · 429 from claude · retry 2/3      (this call's backoff)
//   waiting 0.9 s · 429 from claude · 49 queued      (everyone waits for a 429's retry-after)
//   waiting 0.3 s · claude's limit (headers) · 12 queued
//   waiting 6.0 s · rate limit (rpm) · 3 queued
// It counts down on the loop's timers and clears itself when the wait ends.
// It draws through the runtime's status sink when the host has one (the REPL
// keeps it off streamed text), else on stderr when that is a terminal.
// Silent with NO_COLOR or MOONWIRE_QUIET set, or `moonwire run --quiet`.
import Foundation
import LLMCore
import LLMTransport

final class WaitIndicator {
    private var timer: TimerID?
    private var visible = false
    private let draw: (String?) -> Void

    init(draw: @escaping (String?) -> Void) {
        self.draw = draw
    }

    /// The indicator for a client of `runtime`, or nil when waits stay
    /// silent (NO_COLOR, MOONWIRE_QUIET, `--quiet`: LLMConfiguration.quietWaits).
    static func forRuntime(_ runtime: LLMRuntime,
                           environment: [String: String] = ProcessInfo.processInfo.environment) -> WaitIndicator? {
        guard !runtime.configuration.quietWaits else { return nil }
        let terminal = StderrTerminal.canRedraw(environment: environment)
        return WaitIndicator { [weak runtime] text in
            if let sink = runtime?.statusSink {
                sink(text)
            } else if terminal {
                FileHandle.standardError.write(Data(("\r\u{1B}[K" + (text ?? "")).utf8))
            }
        }
    }

    static func describe(_ w: WaitInfo, remaining: Double) -> String {
        var parts = [String(format: "waiting %.1f s", max(0, remaining))]
        switch w.reason {
        case .rateLimit:
            switch w.cause {
            case .rateLimited?: parts.append("429 from \(w.provider)")
            case .providerLimit?: parts.append("\(w.provider)'s limit (headers)")
            case .tokens?: parts.append("rate limit (tpm)")
            default: parts.append("rate limit (rpm)")
            }
            if let q = w.queued ?? w.position { parts.append("\(q) queued") }
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
        draw(Self.describe(w, remaining: remaining))
        visible = true
        timer = loop.schedule(after: min(0.1, remaining)) { [weak self] in self?.tick(w, end: end, loop: loop) }
    }

    func clear() {
        guard visible else { return }
        draw(nil)
        visible = false
    }
}
