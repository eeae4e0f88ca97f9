// How one call retries: which failures, how often, how long to wait. The
// defaults are the official SDKs' (openai-python and anthropic-sdk-python,
// `_base_client.py`: DEFAULT_MAX_RETRIES = 2, INITIAL_RETRY_DELAY = 0.5,
// MAX_RETRY_DELAY = 8.0, jitter `1 - 0.25 * random()`), except the
// retry-after cap, which the SDKs set at 60 s and DESIGN.md at 120 s.
// The classification rules live in RetryPolicy+Classification.swift.

public struct RetryPolicy: Sendable, Equatable {
    /// Retries after the first attempt; 2 means at most 3 attempts.
    public var maxRetries: Int
    /// The first backoff before jitter, in seconds; it doubles per retry.
    public var baseDelay: Double
    /// The largest backoff before jitter, in seconds.
    public var maxDelay: Double
    /// The longest server-requested wait we honour; above it the call moves
    /// on to another provider instead of sleeping less than it was asked.
    public var maxRetryAfter: Double
    /// The fraction of the backoff that jitter may take away (0 = none).
    public var jitter: Double
    /// HTTP statuses worth retrying. The SDKs retry every status ≥ 500; we
    /// list them so 501 (not implemented) and 505 (version) fail at once.
    public var retryableStatuses: Set<Int>
    /// Kinds worth retrying when no HTTP status decides (connection errors,
    /// timeouts, error events inside a 200 stream).
    public var retryableKinds: Set<LLMError.Kind>
    /// What to do when the stream fails after content reached the script.
    public var streamRecovery: StreamRecovery
    /// The route's retry budget; nil: retries are bounded per call only.
    public var budget: RetryBudgetPolicy?

    public init(
        maxRetries: Int = 2, baseDelay: Double = 0.5, maxDelay: Double = 8, maxRetryAfter: Double = 120,
        jitter: Double = 0.25,
        retryableStatuses: Set<Int> = [408, 409, 429, 500, 502, 503, 504, 529],
        // bad_response too: a malformed reply (bad JSON or UTF-8, an HTML page,
        // a stream without its end) is the provider's fault, not the request's.
        retryableKinds: Set<LLMError.Kind> = [.network, .timeout, .overloaded, .rateLimited, .server, .badResponse],
        streamRecovery: StreamRecovery = .fail, budget: RetryBudgetPolicy? = RetryBudgetPolicy()
    ) {
        self.budget = budget
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.jitter = jitter
        self.retryableStatuses = retryableStatuses
        self.retryableKinds = retryableKinds
        self.streamRecovery = streamRecovery
    }

    /// The backoff before the retry that follows `retriesTaken` earlier
    /// retries, given a uniform `unit` in [0, 1): `min(base·2ⁿ, max)·(1 − jitter·unit)`
    /// (`_calculate_retry_timeout`). Jitter only shortens the wait, so `maxDelay`
    /// stays a true upper bound.
    public func backoff(retriesTaken: Int, unit: Double) -> Double {
        // 2ⁿ overflows to +inf for huge n, and min() takes care of that.
        let exponential = baseDelay * Double.pow2(max(0, retriesTaken))
        return max(0, min(exponential, maxDelay) * (1 - jitter * unit))
    }
}

extension Double {
    fileprivate static func pow2(_ n: Int) -> Double {
        n >= 1024 ? .infinity : Double(sign: .plus, exponent: n, significand: 1)
    }
}
