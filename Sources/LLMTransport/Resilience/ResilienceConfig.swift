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

}

public struct Budget: Sendable, Equatable {
    public var usd: Double?
    public var tokens: Int?
    public init(usd: Double? = nil, tokens: Int? = nil) {
        self.usd = usd
        self.tokens = tokens
    }
}

public struct ResilienceConfig {
    public var routes: [Route]
    public var retry = RetryPolicy()
    public var timeouts = Timeouts()
    public var breaker = CircuitBreakerPolicy()
    /// Configured caps per route (each route gets its own buckets).
    public var rate: RateLimitPolicy?
    /// Requests in flight per route.
    public var concurrency = ConcurrencyPolicy()
    public var budget = Budget()
    public var prices: [String: ModelPrice] = [:]
    public var seed: UInt64 = 0
    /// Hedging: when the call has no first token this many seconds after it
    /// started, the next provider gets the same request; the first to stream
    /// wins and the other is cancelled. nil: no hedging.
    public var hedgeAfter: Double?
    /// The most a response may hold (a non-streamed body, or a stream's text,
    /// thinking and tool input); past it the call fails with bad_response.
    public var maxResponseBytes = ResilienceConfig.defaultMaxResponseBytes
    public static let defaultMaxResponseBytes = StreamAccumulator.defaultMaxContentBytes

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
