// How a call that the breaker allowed ended, as far as the provider's health
// goes. Every allowed call must report exactly one outcome, or a half-open
// breaker waits forever for its probe.

public enum BreakerOutcome: Sendable, Equatable {
    case success
    /// The provider failed: 5xx, overloaded, connection error, timeout.
    case failure
    /// A 429: the provider is up but asks us to wait until the given instant
    /// (now + retry-after). Not a failure, so a 429 storm never opens it.
    case rateLimited(until: Double)
    /// The call says nothing about the provider: cancelled by the script, or
    /// refused for the request's own fault (400, 401, context length).
    case neutral
}
