// The rate limiter's answer to a reservation, and the handle that names it.

/// Names one reservation from `reserve` through `admit` to `reconcile`.
public struct ReservationID: Hashable, Sendable, CustomStringConvertible {
    let raw: UInt64
    public var description: String { "r\(raw)" }
}

public enum Reservation: Sendable, Equatable {
    /// Send now; report real usage later with `reconcile(id, actualTokens:at:)`.
    case granted(ReservationID)
    /// Queued. `until` is the estimated admission time if nothing of higher
    /// priority arrives; `admit(at:)` returns the id when it is granted.
    case wait(ReservationID, until: Double, reason: WaitReason)
    /// Not queued: the caller fails at once.
    case rejected(Rejection)

    /// Which bucket holds the request back (for `on_wait`).
    public enum WaitReason: String, Sendable, Equatable {
        case requests
        case tokens
        /// A 429 asked everyone to wait (`retry-after`).
        case rateLimited = "rate_limited"
        /// The provider's own rate-limit headers say nothing is left.
        case providerLimit = "provider_limit"
        /// The route has as many requests in flight as its limit allows.
        case concurrency
    }

    public enum Rejection: String, Sendable, Equatable {
        /// The queue holds `queueLimit` waiters already (`queue_full`).
        case queueFull = "queue_full"
    }
}
