import LLMCore
@testable import LuaLLM
import Testing

/// The progress line's text on a virtual clock.
@Suite("llm.map's progress line")
struct ProgressBarTests {
    @Test("done/total, percent, bar, rate, ETA, in flight, failures and the limiter's wait")
    func line() {
        let clock = VirtualClock()
        var written: [String] = []
        let bar = ProgressBar(total: 200, clock: clock, terminal: true) { written.append($0) }
        clock.advance(to: 10)
        bar.update(done: 50, failed: 2, inFlight: 8)
        #expect(bar.line(now: clock.now) == "llm.map  50/200  25%  [█████░░░░░░░░░░░░░░░]  5.0/s  ETA 30 s  8 in flight · 2 failed")
        bar.waiting = "waiting 4.2 s · rate limit (queue 3)"
        #expect(written.last == "\r\u{1B}[K" + bar.line(now: clock.now))
        #expect(written.last?.hasSuffix(" · 2 failed · waiting 4.2 s · rate limit (queue 3)") == true)
        clock.advance(to: 10.05)
        let count = written.count
        bar.update(done: 51, failed: 2, inFlight: 8)
        #expect(written.count == count, "redrawn at most ten times a second")
        clock.advance(to: 70)
        bar.update(done: 60, failed: 2, inFlight: 8)
        #expect(bar.line(now: clock.now).contains("ETA 2 min 44 s"))
        bar.finish(summary: "summary")
        #expect(written.last == "\r\u{1B}[Ksummary\n")
    }

    @Test("not a terminal: nothing until the summary line")
    func pipe() {
        let clock = VirtualClock()
        var written: [String] = []
        let bar = ProgressBar(total: 3, clock: clock, terminal: false) { written.append($0) }
        bar.update(done: 1, failed: 0, inFlight: 2)
        bar.waiting = "waiting"
        bar.update(done: 3, failed: 0, inFlight: 0)
        bar.finish(summary: "llm.map: 3 of 3 items")
        #expect(written == ["llm.map: 3 of 3 items\n"])
    }
}
