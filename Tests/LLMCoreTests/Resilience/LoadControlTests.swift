// The values a route uses under load (issue 10): the provider's rate-limit
// headers, the adaptive concurrency limit, the retry budget, and the route's
// gate that combines them with a 429's wait.
import LLMCore
import Testing

@Suite struct LoadControlTests {
    @Test func anthropicHeadersAreReadAgainstTheResponsesDate() {
        let head = HTTPResponseHead(status: 200, headers: [
            "date": "Thu, 03 Dec 2026 12:00:00 GMT",
            "anthropic-ratelimit-requests-limit": "50", "anthropic-ratelimit-requests-remaining": "10",
            "anthropic-ratelimit-requests-reset": "2026-12-03T12:00:00.8Z",
            "anthropic-ratelimit-tokens-limit": "40000", "anthropic-ratelimit-tokens-remaining": "39000",
            "anthropic-ratelimit-tokens-reset": "2026-12-03T12:00:03+00:00",
        ])
        // A replay days later: the response's own date is the reference.
        let report = RateLimitReport(head: head, wallNow: 1_900_000_000)!
        let requests = report.windows[.requests]!
        #expect(requests.limit == 50 && requests.remaining == 10)
        #expect(abs(requests.resetIn! - 0.8) < 1e-6)
        #expect(report.windows[.tokens]?.resetIn == 3)
    }

    @Test func openAIHeadersUseDurations() {
        let head = HTTPResponseHead(status: 429, headers: [
            "x-ratelimit-limit-requests": "60", "x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": "1s",
            "x-ratelimit-limit-tokens": "150000", "x-ratelimit-remaining-tokens": "149000", "x-ratelimit-reset-tokens": "6m0s",
        ])
        let report = RateLimitReport(head: head, wallNow: 0)!
        #expect(report.windows[.requests] == .init(limit: 60, remaining: 0, resetIn: 1))
        #expect(report.windows[.tokens]?.resetIn == 360)
        #expect(RateLimitReport.duration("12ms") == 0.012)
        #expect(RateLimitReport.duration("1h2m3.5s") == 3723.5)
        #expect(RateLimitReport.duration("soon") == nil)
        #expect(RateLimitReport(head: HTTPResponseHead(status: 200), wallNow: 0) == nil)
    }

    @Test func theGateStopsAtRemainingZeroAndGoesOnAsTheProviderRefills() {
        var gate = RateLimiter()
        // The first answer says: 50 per burst, none left, full again in 1 s
        // (49/s counted, since `remaining` is rounded down).
        guard case .granted(let first) = gate.reserve(estimatedTokens: 0, at: 0) else { Issue.record("not granted"); return }
        gate.observe(RateLimitReport(windows: [.requests: .init(limit: 50, remaining: 0, resetIn: 1)]), for: first, at: 0.1)
        gate.release(first, sample: .latency(0.1), actualTokens: 0, at: 0.1)
        guard case .wait(_, let until, let reason) = gate.reserve(estimatedTokens: 0, at: 0.1) else { Issue.record("not queued"); return }
        #expect(reason == .providerLimit)
        #expect(abs(until - (0.1 + 1.0 / 49)) < 1e-9, "one request refills in 1/49 s: \(until)")
        #expect(gate.admit(at: 0.11).isEmpty)
        #expect(gate.admit(at: 0.1 + 1.0 / 49).count == 1)
    }

    @Test func requestsSentAfterTheReportedOneAreChargedAgainstIt() {
        var gate = RateLimiter()
        var ids: [ReservationID] = []
        for _ in 0..<3 { if case .granted(let id) = gate.reserve(estimatedTokens: 0, at: 0) { ids.append(id) } }
        // The answer to the first says 2 remain; two more were sent since: none is left.
        gate.observe(RateLimitReport(windows: [.requests: .init(limit: 10, remaining: 2, resetIn: 8)]), for: ids[0], at: 0)
        guard case .wait(_, _, let reason) = gate.reserve(estimatedTokens: 0, at: 0) else { Issue.record("granted"); return }
        #expect(reason == .providerLimit)
    }

    @Test func a429HoldsEveryoneUntilItsRetryAfter() {
        var gate = RateLimiter()
        gate.limit(until: 1)
        guard case .wait(let id, let until, let reason) = gate.reserve(estimatedTokens: 0, at: 0.2) else { Issue.record("granted"); return }
        #expect(until == 1 && reason == .rateLimited)
        #expect(gate.nextWakeup() == 1)
        #expect(gate.admit(at: 1) == [id])
        #expect(gate.limitedUntil == nil)
    }

    @Test func theConcurrencyLimitHoldsTheSurplusUntilAReleaseFreesASlot() {
        var gate = RateLimiter(concurrency: ConcurrencyPolicy(adaptive: false, max: 2))
        guard case .granted(let a) = gate.reserve(estimatedTokens: 0, at: 0), case .granted = gate.reserve(estimatedTokens: 0, at: 0),
              case .wait(let c, _, let reason) = gate.reserve(estimatedTokens: 0, at: 0) else { Issue.record("wrong admissions"); return }
        #expect(reason == .concurrency)
        #expect(gate.nextWakeup() == nil, "a slot, not the clock, wakes it")
        gate.release(a, sample: .latency(0.1), actualTokens: 0, at: 1)
        #expect(gate.admit(at: 1) == [c])
    }

    @Test func adaptiveConcurrencyGrowsWhileLatencyIsFlatAndShrinksOnOverloadOrQueueing() {
        var limit = AdaptiveConcurrency(policy: ConcurrencyPolicy(initial: 4))
        #expect(limit.limit == 4)
        for i in 0..<8 { limit.record(.latency(0.1), inFlight: limit.limit!, at: Double(i)) }
        #expect(limit.limit == 12, "slow start: +1 per good sample while the limit is in use")
        for i in 0..<8 { limit.record(.latency(0.1), inFlight: 2, at: 8 + Double(i) / 10) }
        #expect(limit.limit == 12, "no growth while most of it is unused")
        limit.record(.overloaded, inFlight: 12, at: 10)
        #expect(limit.limit == 10, "× 0.9: 10.8")
        limit.record(.overloaded, inFlight: 12, at: 10.01)
        #expect(limit.limit == 10, "one decrease per round trip")
        // Requests waiting at the provider: latency well above its floor.
        for i in 0..<20 { limit.record(.latency(0.5), inFlight: 10, at: 11 + Double(i)) }
        #expect((limit.limit ?? 99) < 10)
        #expect(limit.latencyFloor == 0.1)
        var fixed = AdaptiveConcurrency(policy: ConcurrencyPolicy(adaptive: false, max: 7))
        fixed.record(.overloaded, inFlight: 7, at: 0)
        #expect(fixed.limit == 7)
    }

    @Test func theRetryBudgetIsAShareOfCallsPlusAFloorOverASlidingWindow() {
        var budget = RetryBudget(policy: RetryBudgetPolicy(share: 0.2, minPerSecond: 0, window: 10))
        for _ in 0..<50 { budget.recordCall(at: 1) }
        var granted = 0
        for _ in 0..<50 where budget.spend(at: 2) { granted += 1 }
        #expect(granted == 10)
        // Eleven seconds on, the window has slid past those calls.
        let afterSlide = budget.spend(at: 13)
        #expect(!afterSlide)
        for _ in 0..<5 { budget.recordCall(at: 13) }
        let withNewCalls = budget.spend(at: 13)
        #expect(withNewCalls)
        var floor = RetryBudget(policy: RetryBudgetPolicy(share: 0.2, minPerSecond: 1, window: 10))
        var n = 0
        for _ in 0..<20 where floor.spend(at: 0) { n += 1 }
        #expect(n == 10, "the floor alone: 1/s over 10 s")
    }
}
