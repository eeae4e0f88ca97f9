// Client-side limits for one provider account, mirroring the provider's own
// per-minute request and token limits so we queue instead of collecting 429s.

public struct RateLimitPolicy: Sendable, Equatable {
    /// Requests per minute; nil for no limit. The Lua layer rejects values
    /// ≤ 0 at the door; should one get here, it also means no limit.
    public var requestsPerMinute: Int?
    /// Input + output tokens per minute; nil (or ≤ 0) for no limit.
    public var tokensPerMinute: Int?
    /// Waiters the queue holds; one more is refused at once (`queue_full`),
    /// since a queue that only grows turns overload into unbounded latency.
    public var queueLimit: Int

    public init(requestsPerMinute: Int? = nil, tokensPerMinute: Int? = nil, queueLimit: Int = 100_000) {
        self.requestsPerMinute = requestsPerMinute
        self.tokensPerMinute = tokensPerMinute
        self.queueLimit = queueLimit
    }
}
