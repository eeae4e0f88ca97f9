// The settings of a resilient client, with the official SDKs' defaults.
import LLMCore
import LLMProviders

public struct Route {
    /// The name scripts and stats use ("claude").
    public var name: String
    public var provider: any ChatProvider
    public var model: String

    public init(name: String, provider: any ChatProvider, model: String) {
        self.name = name
        self.provider = provider
        self.model = model
    }

    var breakerKey: String { "\(name)/\(model)" }
}

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

public struct Budget: Sendable, Equatable {
    public var usd: Double?
    public var tokens: Int?
    public init(usd: Double? = nil, tokens: Int? = nil) {
        self.usd = usd
        self.tokens = tokens
    }
}

/// A wait the script may want to show (rate limit, backoff).
public struct WaitInfo: Sendable, Equatable {
    public enum Reason: String, Sendable { case rateLimit = "rate_limit", backoff, queue }
    public var reason: Reason
    public var seconds: Double
    public var provider: String
    public var attempt: Int
    public var maxAttempts: Int
    /// The error that caused a backoff.
    public var error: LLMError?
    /// Position in the limiter queue (1 = next).
    public var position: Int?
}

public struct FallbackInfo: Sendable, Equatable {
    public var from: String
    public var to: String
    public var error: LLMError
}

public struct ResilienceConfig {
    public var routes: [Route]
    public var retry = RetryPolicy()
    public var timeouts = Timeouts()
    public var breaker = CircuitBreakerPolicy()
    public var rate: RateLimitPolicy?
    public var budget = Budget()
    public var prices: [String: ModelPrice] = [:]
    public var seed: UInt64 = 0
    /// Hedging: when the call has no first token this many seconds after it
    /// started, the next provider gets the same request; the first to stream
    /// wins and the other is cancelled. nil: no hedging.
    public var hedgeAfter: Double?

    public init(routes: [Route]) { self.routes = routes }
}

/// Hooks the Lua layer provides; each returns normally or throws to fail the call.
public struct ResilienceHooks {
    /// nil = let the policy decide; true/false overrides it.
    public var shouldRetry: ((LLMError, Int) throws -> Bool?)?
    public var onRetry: ((WaitInfo) throws -> Void)?
    public var onFallback: ((FallbackInfo) throws -> Void)?
    public var onWait: ((WaitInfo) throws -> Void)?
    public init() {}
}
