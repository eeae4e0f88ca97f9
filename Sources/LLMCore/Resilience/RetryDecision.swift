// What the retry scheduler tells its owner after a failed attempt. The owner
// performs it: arm a timer, fail the call, or hand it to the next provider.

public enum RetryDecision: Sendable, Equatable {
    /// Send attempt number `attempt` (the first retry is attempt 2) after
    /// waiting `after` seconds. (No idempotency key is sent: Gemini has none,
    /// and a random header would make every recording differ.)
    case retry(after: Double, attempt: Int)
    /// This call is over on this provider; `reason` says why, and the
    /// fallback chain decides whether another provider gets it.
    case giveUp(GiveUpReason)
    /// The failure is retryable but not here, now: try the next provider
    /// (or fail if there is none) without waiting.
    case fallBack(FallbackReason)

    public enum GiveUpReason: Sendable, Equatable {
        /// The error is one that retrying cannot fix (its kind or status).
        case notRetryable(LLMError.Kind)
        /// The server sent `x-should-retry: false`.
        case serverSaidNo
        /// The script's `should_retry` returned false.
        case scriptSaidNo
        /// Every allowed attempt was made; `attempts` counts them all.
        case retriesExhausted(attempts: Int)
        /// The wait would end at or after the call's deadline.
        case deadline
        /// Content already reached the script and the policy is `.fail`.
        case contentDelivered
    }

    public enum FallbackReason: Sendable, Equatable {
        /// The server asked for a longer wait (seconds) than `maxRetryAfter`;
        /// we never sleep less than asked, so we do not retry this provider.
        case retryAfterAboveCap(Double)
    }
}
