// The retry state of one call: a value the owner keeps next to the call and
// asks, after each failed attempt, what to do next. It performs nothing and
// reads no clock: `now` comes from the event loop's Clock, so a test drives
// it with plain numbers and a 30 s backoff costs nothing.
//
//     var retry = RetryScheduler(policy: policy, deadline: start + 60, jitter: SplitMix64(seed: s))
//     switch retry.decide(after: AttemptOutcome(error, head: head), at: clock.now) {
//     case .retry(let wait, let attempt): arm a timer for now + wait, then send attempt `attempt`
//     case .fallBack(let reason): hand the call to the next provider at once
//     case .giveUp(let reason): fail with error.attempts = retry.attempts (or fall back)
//     }

public struct RetryScheduler: Sendable {
    public let policy: RetryPolicy
    /// When the whole call must be over, on the loop's Clock; nil for none.
    public let deadline: Double?
    /// Attempts made so far, counting the first (which precedes any decision).
    public private(set) var attempts = 1
    private var jitter: any JitterSource

    public init(policy: RetryPolicy = RetryPolicy(), deadline: Double? = nil, jitter: any JitterSource) {
        self.policy = policy
        self.deadline = deadline
        self.jitter = jitter
    }

    /// `scriptSays` is the script's `should_retry` verdict: false never
    /// retries; true retries what the policy would refuse (not what Moonwire
    /// raised itself), still within `maxRetries` and the deadline (issue 10:
    /// a hook that always says yes once retried without end).
    public mutating func decide(after outcome: AttemptOutcome, at now: Double, scriptSays: Bool? = nil) -> RetryDecision {
        if scriptSays == false { return .giveUp(.scriptSaidNo) }
        if let reason = policy.refusal(for: outcome) {
            guard scriptSays == true, !RetryPolicy.moonwireKinds.contains(outcome.error.kind) else { return .giveUp(reason) }
        }
        // `.restart` and `.continue` re-send like any retry; only the request
        // the owner builds (and the `recovered` event it emits) differ.
        if outcome.contentDelivered && policy.streamRecovery == .fail { return .giveUp(.contentDelivered) }
        let retriesTaken = attempts - 1
        guard retriesTaken < policy.maxRetries else { return .giveUp(.retriesExhausted(attempts: attempts)) }

        let wait: Double
        // A wait of 0 or less (an HTTP date already past) is no instruction:
        // back off as if none was given, as `_calculate_retry_timeout` does.
        if let asked = outcome.error.retryAfter, asked > 0 {
            guard asked <= policy.maxRetryAfter else { return .fallBack(.retryAfterAboveCap(asked)) }
            wait = asked
        } else {
            wait = policy.backoff(retriesTaken: retriesTaken, unit: jitter.nextUnit())
        }
        // An attempt that starts at the deadline has no time left to run.
        if let deadline, now + wait >= deadline { return .giveUp(.deadline) }
        attempts += 1
        return .retry(after: wait, attempt: attempts)
    }
}
