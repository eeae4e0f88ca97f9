// CallMachine as a pure value: inputs at exact virtual times, the actions it
// returns, against a board whose routes the test sets (issue 10).
import LLMCore
import Testing

final class TestBoard: RouteBoard {
    var verdicts: [Int: RouteVerdict] = [:]
    var healthy: Set<Int> = []
    var retriesLeft: [Int: Int] = [:]
    func verdict(route: Int, at now: Double) -> RouteVerdict { verdicts[route] ?? .open }
    func isHealthy(route: Int, at now: Double) -> Bool { healthy.contains(route) }
    func spendRetry(route: Int, at now: Double) -> Bool {
        guard let left = retriesLeft[route] else { return true }
        retriesLeft[route] = left - 1
        return left > 0
    }
}

@Suite struct CallMachineTests {
    func machine(routes: [String] = ["a"], retry: RetryPolicy = RetryPolicy(jitter: 0), deadline: Double? = 300) -> CallMachine {
        var t = Timeouts()
        t.deadline = deadline
        return CallMachine(settings: .init(retry: retry, timeouts: t, chain: routes.enumerated().map { RouteRef(id: $0.offset, name: $0.element) },
                                           jitterSeed: 1), estimate: 100)
    }

    func response(_ text: String) -> ChatResponse {
        ChatResponse(message: Message(role: .assistant, text: text), usage: Usage(inputTokens: 3, outputTokens: 4))
    }

    func failure(_ kind: LLMError.Kind, status: Int? = nil, retryAfter: Double? = nil, seen: Bool = false, partial: String = "") -> CallMachine.Input {
        .failed(.init(error: LLMError(kind, "x", status: status, retryAfter: retryAfter), seen: seen, partialText: partial))
    }

    static func failureKind(_ actions: [CallMachine.Action]) -> LLMError.Kind? {
        if case .finish(.failure(let e))? = actions.last { return e.kind }
        return nil
    }

    @Test func aCallQueuesSendsAndArmsItsTimersOnlyWhenSent() {
        var m = machine()
        let board = TestBoard()
        #expect(m.handle(.start, at: 0, board: board) == [.arm(.deadline, after: 300), .enqueue(route: 0, estimate: 100, quiet: false)])
        #expect(m.state == .queued(0))
        // Admitted 2 s later: connect and first-token timers start now, not at 0.
        #expect(m.handle(.admitted, at: 2, board: board) == [
            .send(route: 0, firstOnRoute: true, continuation: nil), .arm(.connect, after: 10), .arm(.firstToken, after: 60)])
        #expect(m.queueWait == 2)
        #expect(m.handle(.head, at: 2.1, board: board) == [.disarm(.connect)])
        #expect(m.handle(.content, at: 2.5, board: board) == [.disarm(.firstToken), .arm(.idle, after: 30)])
        let end = m.handle(.succeeded(response("hi")), at: 3, board: board)
        #expect(end.first == .disarm(.idle))
        #expect(end.contains(.report(AttemptReport(route: 0, breaker: .success, congestion: .latency(0.5), tokens: 7, error: nil))))
        #expect(end.last == .finish(.success(response("hi"))))
        #expect(m.firstTokenAt == 2.5 && m.attempts == 1)
    }

    @Test func a429RequeuesBehindTheRouteLimitAndTellsTheRouteUntilWhen() {
        var m = machine()
        let board = TestBoard()
        _ = m.handle(.start, at: 0, board: board)
        _ = m.handle(.admitted, at: 0, board: board)
        let actions = m.handle(failure(.rateLimited, status: 429, retryAfter: 1), at: 0.2, board: board)
        #expect(actions.contains(.report(AttemptReport(route: 0, breaker: .neutral, congestion: .overloaded, tokens: 0,
                                                       limitedUntil: 1.2, error: .rateLimited))))
        #expect(actions.last == .enqueue(route: 0, estimate: 100, quiet: true))
        #expect(!actions.contains { if case .arm(.backoff, _) = $0 { true } else { false } }, "the route's gate waits, not a timer")
        #expect(m.state == .queued(0))
    }

    @Test func aLimitedRouteIsWaitedForWhenNothingHealthierIsBehindIt() {
        let board = TestBoard()
        board.verdicts[0] = .limited(until: 5)
        var alone = machine()
        #expect(alone.handle(.start, at: 4, board: board).last == .enqueue(route: 0, estimate: 100, quiet: false))
        // With a healthy fallback, the call goes there at once.
        board.healthy = [1]
        var chained = machine(routes: ["a", "b"])
        let actions = chained.handle(.start, at: 4, board: board)
        #expect(actions.last == .enqueue(route: 1, estimate: 100, quiet: false))
        #expect(actions.contains { if case .notify(.fallback(let f)) = $0 { f.from == "a" && f.error.kind == .rateLimited } else { false } })
        // Beyond max_retry_after: not waited for.
        board.verdicts[0] = .limited(until: 500)
        board.healthy = []
        var far = machine()
        let failed = far.handle(.start, at: 0, board: board)
        #expect(Self.failureKind(failed) == .rateLimited)
    }

    @Test func backoffIsExactAndTheBudgetCanRefuseARetry() {
        var m = machine(retry: RetryPolicy(baseDelay: 1, jitter: 0))
        let board = TestBoard()
        board.retriesLeft[0] = 1
        _ = m.handle(.start, at: 0, board: board)
        _ = m.handle(.admitted, at: 0, board: board)
        let first = m.handle(failure(.server, status: 500), at: 0.1, board: board)
        #expect(first.contains(.arm(.backoff, after: 1)))
        #expect(m.state == .backingOff(0))
        #expect(m.handle(.timer(.backoff), at: 1.1, board: board) == [.enqueue(route: 0, estimate: 100, quiet: false)])
        _ = m.handle(.admitted, at: 1.1, board: board)
        let second = m.handle(failure(.server, status: 500), at: 1.2, board: board)
        guard case .finish(.failure(let e))? = second.last else { Issue.record("no finish: \(second)"); return }
        #expect(e.message.contains("retry budget of a is spent"), "\(e.message)")
        #expect(e.attempts == 2)
    }

    @Test func aTimeoutAbortsTheAttemptAndItsEndDecides() {
        var m = machine()
        let board = TestBoard()
        _ = m.handle(.start, at: 0, board: board)
        _ = m.handle(.admitted, at: 0, board: board)
        let abort = m.handle(.timer(.connect), at: 10, board: board)
        guard case .abortAttempt(let e)? = abort.first else { Issue.record("\(abort)"); return }
        #expect(e.kind == .timeout && e.message.contains("connect"))
        let next = m.handle(.failed(.init(error: e)), at: 10, board: board)
        #expect(next.contains { if case .arm(.backoff, _) = $0 { true } else { false } }, "timeouts are retried: \(next)")
    }

    @Test func contentTheScriptDidNotSeeIsDroppedAndRestarted() {
        var m = machine()
        let board = TestBoard()
        _ = m.handle(.start, at: 0, board: board)
        _ = m.handle(.admitted, at: 0, board: board)
        _ = m.handle(.content, at: 0.1, board: board)
        let cut = m.handle(failure(.network, seen: false), at: 0.2, board: board)
        #expect(cut.contains(.notify(.restartUnseen(provider: "a"))))
        #expect(cut.contains { if case .arm(.backoff, _) = $0 { true } else { false } })
        // Seen content with on_mid_stream = fail (the default) ends the call.
        var seen = machine()
        _ = seen.handle(.start, at: 0, board: board)
        _ = seen.handle(.admitted, at: 0, board: board)
        _ = seen.handle(.content, at: 0.1, board: board)
        let failed = seen.handle(failure(.network, seen: true), at: 0.2, board: board)
        #expect(Self.failureKind(failed) == .network)
    }

    @Test func continueCarriesTheSeenTextIntoTheNextAttemptAndTheAnswer() {
        var m = machine(retry: RetryPolicy(jitter: 0, streamRecovery: .continue))
        let board = TestBoard()
        _ = m.handle(.start, at: 0, board: board)
        _ = m.handle(.admitted, at: 0, board: board)
        _ = m.handle(.content, at: 0.1, board: board)
        let cut = m.handle(failure(.network, seen: true, partial: "Hello, "), at: 0.2, board: board)
        #expect(cut.contains(.notify(.recovered(provider: "a", mode: .continue, partialText: "Hello, "))))
        _ = m.handle(.timer(.backoff), at: 1, board: board)
        #expect(m.handle(.admitted, at: 1, board: board).first == .send(route: 0, firstOnRoute: false, continuation: "Hello, "))
        let end = m.handle(.succeeded(response("world!")), at: 2, board: board)
        #expect(end.last == .finish(.success(response("Hello, world!"))))
    }

    @Test func shouldRetryTrueIsStillBoundedByMaxRetries() {
        var m = machine(retry: RetryPolicy(maxRetries: 2, baseDelay: 0, jitter: 0))
        let board = TestBoard()
        _ = m.handle(.start, at: 0, board: board)
        var sends = 0
        var now = 0.0
        for _ in 0..<10 where !m.isFinished {
            if case .queued = m.state { _ = m.handle(.admitted, at: now, board: board); sends += 1 }
            let out = m.handle(.failed(.init(error: LLMError(.invalidRequest, "bad", status: 400), scriptVerdict: true)), at: now, board: board)
            now += 0.01
            if out.contains(where: { if case .arm(.backoff, _) = $0 { true } else { false } }) { _ = m.handle(.timer(.backoff), at: now, board: board) }
        }
        #expect(sends == 3, "three attempts, then the error")
        #expect(m.isFinished)
    }

    @Test func theDeadlineStopsAQueuedCallAndLeavesTheQueue() {
        var m = machine(deadline: 5)
        let board = TestBoard()
        _ = m.handle(.start, at: 0, board: board)
        let out = m.handle(.timer(.deadline), at: 5, board: board)
        #expect(out.first == .leaveQueue(route: 0))
        guard case .finish(.failure(let e))? = out.last else { Issue.record("\(out)"); return }
        #expect(e.kind == .timeout && e.message.contains("deadline of 5 s"))
        let late = m.handle(.admitted, at: 6, board: board)
        #expect(late.isEmpty, "late inputs are ignored")
    }

    @Test func aRouteLeftForAHealthyOneIsComeBackToWithTheRetriesItHasLeft() {
        var m = machine(routes: ["a", "b"], retry: RetryPolicy(maxRetries: 1, baseDelay: 0.5, jitter: 0))
        let board = TestBoard()
        board.healthy = [1]
        _ = m.handle(.start, at: 0, board: board)
        _ = m.handle(.admitted, at: 0, board: board)
        // a fails with b healthy behind it: straight to b, no wait.
        #expect(m.handle(failure(.server, status: 500), at: 0.1, board: board).last == .enqueue(route: 1, estimate: 100, quiet: false))
        _ = m.handle(.admitted, at: 0.1, board: board)
        // b fails, nothing healthy behind it: b backs off and retries once.
        #expect(m.handle(failure(.server, status: 500), at: 0.2, board: board).contains(.arm(.backoff, after: 0.5)))
        _ = m.handle(.timer(.backoff), at: 0.7, board: board)
        _ = m.handle(.admitted, at: 0.7, board: board)
        // b is spent: back to a, which still has its one retry.
        let back = m.handle(failure(.server, status: 500), at: 0.8, board: board)
        #expect(back.contains { if case .notify(.fallback(let f)) = $0 { f.from == "b" && f.to == "a" } else { false } }, "\(back)")
        #expect(back.last == .enqueue(route: 0, estimate: 100, quiet: false))
        _ = m.handle(.admitted, at: 0.8, board: board)
        let end = m.handle(failure(.server, status: 500), at: 0.9, board: board)
        #expect(Self.failureKind(end) == .allFailed, "a's retries are spent too: \(end)")
        #expect(m.attempts == 4)
    }

    @Test func breakerAndCongestionMappings() {
        #expect(CallMachine.breakerOutcome(for: LLMError(.badResponse, "html")) == .failure)
        #expect(CallMachine.breakerOutcome(for: LLMError(.rateLimited, "429")) == .neutral)
        #expect(CallMachine.breakerOutcome(for: LLMError(.invalidRequest, "400")) == .neutral)
        #expect(CallMachine.congestion(for: LLMError(.overloaded, "529")) == .overloaded)
        #expect(CallMachine.congestion(for: LLMError(.auth, "401")) == .neutral)
    }
}
