// The circuit breaker's answer to "may a call go to this provider now?".

public enum BreakerPermission: Sendable, Equatable {
    case allowed
    /// Not now. `retryAt` is when asking again can succeed, nil when that
    /// depends on a probe still in flight.
    case rejected(retryAt: Double?, reason: Reason)

    public enum Reason: Sendable, Equatable {
        /// The breaker is open: the provider is failing (`breaker_open`).
        case open
        /// Half-open and every probe slot is taken.
        case probing
    }
}
