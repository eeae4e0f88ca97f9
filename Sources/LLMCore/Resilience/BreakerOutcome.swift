// How a call that the breaker allowed ended, as far as the provider's health
// goes. Every allowed call must report exactly one outcome, or a half-open
// breaker waits forever for its probe.

public enum BreakerOutcome: Sendable, Equatable {
    case success
    /// The provider failed: 5xx, overloaded, connection error, timeout.
    case failure
    /// The call says nothing about the provider's health: cancelled by the
    /// script, refused for the request's own fault (400, 401, context length),
    /// or rate limited (a 429: the provider is up, just busy).
    case neutral
}
