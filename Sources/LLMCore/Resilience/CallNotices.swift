// What a call tells its owner along the way (a backoff, a queue wait, a hop
// to the next provider), and the timeouts that bound it. LLMCore values, so
// the call's state machine can produce them.

public struct Timeouts: Sendable, Equatable {
    /// Until the response head arrives.
    public var connect: Double? = 10
    /// Until the first content event.
    public var firstToken: Double? = 60
    /// Longest gap between content events (pings and comments do not count).
    public var idle: Double? = 30
    /// The whole call: every attempt, backoff and fallback hop.
    public var deadline: Double? = 300

    public init() {}
}

/// A wait the script may want to show (rate limit, backoff).
public struct WaitInfo: Sendable, Equatable {
    public enum Reason: String, Sendable {
        /// Waiting in the route's queue: a configured cap, the provider's own
        /// limits, a 429's retry-after, or the concurrency limit.
        case rateLimit = "rate_limit"
        /// Waiting before a retry.
        case backoff
    }
    public var reason: Reason
    public var seconds: Double
    public var provider: String
    public var attempt: Int
    public var maxAttempts: Int
    /// The error that caused a backoff.
    public var error: LLMError?
    /// Position in the limiter queue (1 = next).
    public var position: Int?
    /// What holds a queued call back (`rate_limited`, `provider_limit`,
    /// `concurrency`, `requests`, `tokens`); nil for a backoff.
    public var cause: Reservation.WaitReason?
    /// Calls waiting in the route's queue, this one included.
    public var queued: Int?

    public init(reason: Reason, seconds: Double, provider: String, attempt: Int, maxAttempts: Int,
                error: LLMError? = nil, position: Int? = nil, cause: Reservation.WaitReason? = nil, queued: Int? = nil) {
        self.reason = reason
        self.seconds = seconds
        self.provider = provider
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.error = error
        self.position = position
        self.cause = cause
        self.queued = queued
    }
}

public struct FallbackInfo: Sendable, Equatable {
    public var from: String
    public var to: String
    public var error: LLMError

    public init(from: String, to: String, error: LLMError) {
        self.from = from
        self.to = to
        self.error = error
    }
}

