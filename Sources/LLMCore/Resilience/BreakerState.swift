// The three states of a circuit breaker.

public enum BreakerState: Sendable, Equatable {
    /// Calls pass; outcomes are counted in the sliding window.
    case closed
    /// Calls fail fast until `until` (on the loop's Clock); the first
    /// `canPass` at or after it moves the breaker to half-open.
    case open(until: Double)
    /// A few probe calls pass; their outcomes close or re-open the breaker.
    case halfOpen
}
