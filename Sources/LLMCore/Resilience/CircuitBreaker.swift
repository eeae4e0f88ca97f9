// A circuit breaker for one provider+model (DESIGN "Resilience semantics"):
// closed → open when the failure rate over the sliding window reaches the
// threshold with at least `minCalls` calls; open fails fast for `openFor`
// (growing on each re-open); then half-open lets `halfOpenCalls` probes
// through: all succeed → closed, one fails → open again. A 429 is not a
// failure (it is `.neutral` here): the route's limiter holds every caller
// until the provider's retry-after instead.
//
// A pure value: the owner asks `canPass(at:)` before each call and reports
// how every allowed call ended with `record(_:at:)`, both with the loop
// Clock's `now`. Transitions happen inside those two calls, never by timer,
// so `state` can still read `.open(until:)` after `until` has passed.

public struct CircuitBreaker: Sendable {
    public let policy: CircuitBreakerPolicy
    public private(set) var state: BreakerState = .closed
    /// Set by a 429; calls are rejected until this instant.
    /// Opens since the breaker last closed; drives the growth of `openFor`.
    public private(set) var consecutiveOpens = 0
    private var window: OutcomeWindow
    private var probesInFlight = 0
    private var probeSuccesses = 0

    public init(policy: CircuitBreakerPolicy = CircuitBreakerPolicy()) {
        self.policy = policy
        window = OutcomeWindow(length: policy.window)
    }

    public mutating func canPass(at now: Double) -> BreakerPermission {
        if case .open(let until) = state {
            if now < until { return .rejected(retryAt: until, reason: .open) }
            state = .halfOpen
            probesInFlight = 0
            probeSuccesses = 0
        }
        if state == .halfOpen {
            guard probesInFlight < policy.halfOpenCalls else { return .rejected(retryAt: nil, reason: .probing) }
            probesInFlight += 1
        }
        return .allowed
    }

    public mutating func record(_ outcome: BreakerOutcome, at now: Double) {
        switch (outcome, state) {
        case (.neutral, _):
            releaseProbe()
        // Calls allowed before the breaker opened may still finish while it
        // is open; the decision to open was made without them, and they say
        // nothing about whether the provider has recovered since.
        case (.success, .open), (.failure, .open):
            break
        case (.success, .closed):
            window.record(failed: false, at: now)
        case (.failure, .closed):
            window.record(failed: true, at: now)
            if window.calls >= policy.minCalls, window.failureRate >= policy.failureRate { open(at: now) }
        case (.success, .halfOpen):
            releaseProbe()
            probeSuccesses += 1
            if probeSuccesses >= policy.halfOpenCalls { close() }
        case (.failure, .halfOpen):
            open(at: now)
        }
    }

    /// Back to a fresh closed breaker: no history, no limit, no growth.
    public mutating func reset() {
        close()
    }

    private mutating func open(at now: Double) {
        consecutiveOpens += 1
        state = .open(until: now + policy.openDuration(opens: consecutiveOpens))
        // The failures that opened it must not count again after it closes.
        window.clear()
    }

    private mutating func close() {
        state = .closed
        consecutiveOpens = 0
        probesInFlight = 0
        probeSuccesses = 0
        window.clear()
    }

    private mutating func releaseProbe() {
        if state == .halfOpen { probesInFlight = max(0, probesInFlight - 1) }
    }
}
