// LLMError: the one error type of the LLM layers, over a stable kind code that
// scripts, logs, metrics and cassettes use.

public struct LLMError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        case rateLimited = "rate_limited"
        case overloaded
        case server
        case timeout
        case network
        case auth
        case invalidRequest = "invalid_request"
        case contextLength = "context_length"
        case breakerOpen = "breaker_open"
        case queueFull = "queue_full"
        case allFailed = "all_failed"
        case cancelled
        case replayMismatch = "replay_mismatch"
        case badResponse = "bad_response"
        case budgetExceeded = "budget_exceeded"
        case notFound = "not_found"
        /// The tool loop used all its turns and the model still wanted tools.
        case maxSteps = "max_steps"
        case config
        /// A Lua function the call ran raised an error (an llm.map item, a task).
        case script
    }

    public var kind: Kind
    /// Servers echo credentials back in error bodies: whatever is stored here
    /// has every registered secret replaced (issue 16).
    public var message: String {
        get { redactedMessage }
        set { redactedMessage = Secrets.redact(newValue) }
    }
    private var redactedMessage: String
    public var status: Int?
    public var provider: String?
    public var requestID: String?
    /// Seconds the server asked to wait (retry-after-ms / retry-after).
    public var retryAfter: Double?
    public var attempts: Int
    /// The provider's own error type string (e.g. "overloaded_error").
    public var providerCode: String?

    public init(
        _ kind: Kind, _ message: String, status: Int? = nil, provider: String? = nil, requestID: String? = nil,
        retryAfter: Double? = nil, attempts: Int = 1, providerCode: String? = nil
    ) {
        self.kind = kind
        self.redactedMessage = Secrets.redact(message)
        self.status = status
        self.provider = provider
        self.requestID = requestID
        self.retryAfter = retryAfter
        self.attempts = attempts
        self.providerCode = providerCode
    }

    /// `rate_limited (429) from anthropic: Number of requests exceeded [request req_123]`
    public var description: String {
        var s = kind.rawValue
        if let status { s += " (\(status))" }
        if let provider { s += " from \(provider)" }
        s += ": \(message)"
        if let requestID { s += " [request \(requestID)]" }
        return s
    }
}
