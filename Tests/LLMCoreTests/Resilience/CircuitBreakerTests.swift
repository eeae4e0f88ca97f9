// CircuitBreaker in virtual time: closed → open → half-open → closed, re-opens
// that grow, 429s that limit without opening, and a window that forgets.
import LLMCore
import Testing

@Suite struct CircuitBreakerTests {
    /// Records `outcomes` one second apart from `start`.
    func feed(_ breaker: inout CircuitBreaker, _ outcomes: [BreakerOutcome], from start: Double = 0) {
        for (i, outcome) in outcomes.enumerated() { breaker.record(outcome, at: start + Double(i)) }
    }

    /// A breaker opened at t = 4 (two successes, three failures), until 34.
    func openedBreaker(policy: CircuitBreakerPolicy = CircuitBreakerPolicy()) -> CircuitBreaker {
        var breaker = CircuitBreaker(policy: policy)
        feed(&breaker, [.success, .failure, .success, .failure, .failure])
        return breaker
    }

    @Test func opensWhenTheRateReachesTheThresholdWithMinCalls() {
        var breaker = CircuitBreaker()
        feed(&breaker, [.success, .failure, .success, .failure])
        #expect(breaker.state == .closed)  // 2 of 4 is half, but 4 calls are too few
        breaker.record(.failure, at: 4)
        #expect(breaker.state == .open(until: 34))
        #expect(breaker.canPass(at: 10) == .rejected(retryAt: 34, reason: .open))
    }

    @Test func aRateBelowTheThresholdStaysClosed() {
        var breaker = CircuitBreaker()
        feed(&breaker, [.failure, .success, .failure, .success, .success, .success, .failure])
        #expect(breaker.state == .closed)  // 3 of 7
        #expect(breaker.canPass(at: 7) == .allowed)
    }

    @Test func fewerThanMinCallsNeverOpen() {
        var breaker = CircuitBreaker()
        feed(&breaker, [.failure, .failure, .failure, .failure])
        #expect(breaker.state == .closed)
    }

    @Test func halfOpenAfterOpenForAndASuccessfulProbeCloses() {
        var breaker = openedBreaker()
        #expect(breaker.canPass(at: 33.999) == .rejected(retryAt: 34, reason: .open))
        #expect(breaker.canPass(at: 34) == .allowed)
        #expect(breaker.state == .halfOpen)
        #expect(breaker.canPass(at: 34.5) == .rejected(retryAt: nil, reason: .probing))
        breaker.record(.success, at: 35)
        #expect(breaker.state == .closed && breaker.consecutiveOpens == 0)
        #expect(breaker.canPass(at: 35) == .allowed)
        // The failures that opened it are gone: four more are not enough.
        feed(&breaker, [.failure, .failure, .failure, .failure], from: 36)
        #expect(breaker.state == .closed)
    }

    @Test func aFailedProbeReopensForLongerEachTimeUpToTheCap() {
        var breaker = openedBreaker()
        var now = 34.0
        var openPeriods: [Double] = []
        for _ in 0..<7 {
            #expect(breaker.canPass(at: now) == .allowed)
            breaker.record(.failure, at: now + 1)
            guard case .open(let until) = breaker.state else {
                Issue.record("not open after a failed probe")
                return
            }
            openPeriods.append(until - (now + 1))
            now = until
        }
        #expect(openPeriods == [60, 120, 240, 480, 600, 600, 600])
        #expect(breaker.consecutiveOpens == 8)
        // A successful probe closes it, and the next open is short again.
        #expect(breaker.canPass(at: now) == .allowed)
        breaker.record(.success, at: now)
        feed(&breaker, Array(repeating: .failure, count: 5), from: now + 1)
        #expect(breaker.state == .open(until: now + 5 + 30))
    }

    @Test func growthCanBeTurnedOff() {
        var breaker = openedBreaker(policy: CircuitBreakerPolicy(openGrowth: 1))
        #expect(breaker.canPass(at: 34) == .allowed)
        breaker.record(.failure, at: 40)
        #expect(breaker.state == .open(until: 70))
    }

    @Test func openDurations() {
        let policy = CircuitBreakerPolicy(openFor: 30, openGrowth: 2, maxOpenFor: 600)
        #expect((1...7).map(policy.openDuration(opens:)) == [30, 60, 120, 240, 480, 600, 600])
        #expect(policy.openDuration(opens: 10_000) == 600)
    }

    @Test func everyHalfOpenProbeMustSucceed() {
        var breaker = openedBreaker(policy: CircuitBreakerPolicy(halfOpenCalls: 2))
        #expect(breaker.canPass(at: 34) == .allowed)
        #expect(breaker.canPass(at: 34) == .allowed)
        #expect(breaker.canPass(at: 34) == .rejected(retryAt: nil, reason: .probing))
        breaker.record(.success, at: 35)
        #expect(breaker.state == .halfOpen)
        // A cancelled probe frees its slot without a verdict.
        breaker.record(.neutral, at: 36)
        #expect(breaker.canPass(at: 36) == .allowed)
        breaker.record(.success, at: 37)
        #expect(breaker.state == .closed)
    }

    @Test func outcomesOfCallsThatStartedBeforeItOpenedAreIgnored() {
        var breaker = openedBreaker()
        breaker.record(.success, at: 5)
        breaker.record(.failure, at: 6)
        #expect(breaker.state == .open(until: 34))
    }

    @Test func a429StormNeverOpens() {
        // 429s reach the breaker as `.neutral`; the route's limiter does the waiting.
        var breaker = CircuitBreaker()
        for t in 0..<100 { breaker.record(.neutral, at: Double(t)) }
        #expect(breaker.state == .closed)
        #expect(breaker.canPass(at: 100) == .allowed)
    }

    @Test func theSlidingWindowForgetsOldFailures() {
        var forgetting = CircuitBreaker()
        feed(&forgetting, [.failure, .failure, .failure, .failure], from: 0)  // t = 0…3
        forgetting.record(.failure, at: 61)  // t = 0 and 1 are 60 s old or more
        forgetting.record(.failure, at: 61.5)
        #expect(forgetting.state == .closed)  // 2, 3, 61, 61.5
        forgetting.record(.failure, at: 61.75)
        #expect(forgetting.state == .open(until: 91.75))  // 2, 3, 61, 61.5, 61.75

        var remembering = CircuitBreaker()
        feed(&remembering, [.failure, .failure, .failure, .failure], from: 0)
        remembering.record(.failure, at: 59.5)
        #expect(remembering.state == .open(until: 89.5))
    }

    @Test func aLongRunExpiresExactly() {
        // A success a second for 1000 s, then a failure a second. At T = 1000 + k
        // the window (T − 60, T] holds 59 − k successes and k + 1 failures, so
        // the rate first reaches one half at k = 29.
        var breaker = CircuitBreaker()
        for t in 0..<1000 { breaker.record(.success, at: Double(t)) }
        for t in 1000..<1029 { breaker.record(.failure, at: Double(t)) }
        #expect(breaker.state == .closed)
        breaker.record(.failure, at: 1029)
        #expect(breaker.state == .open(until: 1059))
    }

    @Test func neutralOutcomesDoNotCount() {
        var breaker = CircuitBreaker()
        feed(&breaker, [.failure, .failure, .neutral, .neutral, .neutral, .neutral, .failure])
        #expect(breaker.state == .closed)  // three calls, not seven
    }

    @Test func resetForgetsEverything() {
        var breaker = openedBreaker()
        breaker.reset()
        #expect(breaker.state == .closed && breaker.consecutiveOpens == 0)
        #expect(breaker.canPass(at: 6) == .allowed)
        feed(&breaker, [.failure, .failure, .failure, .failure], from: 6)
        #expect(breaker.state == .closed)
    }
}
