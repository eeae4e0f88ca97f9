// Which LLMError kind a failed response is. The status decides first, as in
// openai-python and anthropic-sdk-python (`_make_status_error`: 400 bad request,
// 401 authentication, 403 permission, 404 not found, 409 conflict, 413 request
// too large, 422 unprocessable, 429 rate limit, 503/504 unavailable, 529
// overloaded, other ≥500 internal); the provider's error type refines it
// (context length, insufficient quota) and classifies errors that arrive
// inside a 200 stream, where the status says nothing.
import LLMCore

enum ErrorClassification {
    static func kind(status: Int) -> LLMError.Kind {
        switch status {
        case 401, 403: .auth
        case 404: .notFound
        case 408: .timeout
        // 409 is a lock or edit conflict that both SDKs retry; it is the server's problem, not the request's.
        case 409: .server
        case 429: .rateLimited
        case 529: .overloaded
        case 500...: .server
        default: .invalidRequest  // 400, 413, 422 and other 4xx
        }
    }

    /// The kind an error `type` or `code` string names, from Anthropic's and
    /// OpenAI's documented error types; nil for strings we do not know.
    static func kind(errorType: String) -> LLMError.Kind? {
        switch errorType {
        case "overloaded_error", "overloaded", "server_overloaded": .overloaded
        case "rate_limit_error", "rate_limit_exceeded", "requests", "tokens": .rateLimited
        case "api_error", "server_error", "internal_error", "internal_server_error", "service_unavailable": .server
        case "timeout_error", "timeout": .timeout
        case "authentication_error", "permission_error", "invalid_api_key", "permission_denied": .auth
        case "not_found_error", "model_not_found", "not_found": .notFound
        case "context_length_exceeded", "string_above_max_length": .contextLength
        // Out of credit: retrying cannot help, and it is not the key being wrong (see OpenAIErrors).
        case "insufficient_quota", "billing_error", "billing_hard_limit_reached": .budgetExceeded
        case "invalid_request_error", "request_too_large", "invalid_request", "unsupported_parameter": .invalidRequest
        default: nil
        }
    }

    /// A 400 whose message says the prompt does not fit the model's window
    /// (Anthropic: "prompt is too long: 208310 tokens > 200000 maximum",
    /// "input length and `max_tokens` exceed context limit"; OpenAI-compatible
    /// servers: "maximum context length is 8192 tokens", "context window").
    static func mentionsContextLength(_ message: String) -> Bool {
        let lower = message.lowercased()
        return ["prompt is too long", "context length", "context_length", "context window", "context limit",
                "maximum context", "too many tokens"].contains { lower.contains($0) }
    }

    /// Status first; the error type overrides it where it knows better (a 429
    /// for insufficient quota, a 400 for context length) and decides alone when
    /// there is no status (an error event inside a stream).
    static func kind(status: Int?, errorType: String?, message: String) -> LLMError.Kind {
        let typed = errorType.flatMap(kind(errorType:))
        var kind = status.map(kind(status:)) ?? typed ?? .server
        if let typed, typed == .budgetExceeded || typed == .contextLength { kind = typed }
        if kind == .invalidRequest, mentionsContextLength(message) { kind = .contextLength }
        return kind
    }
}
