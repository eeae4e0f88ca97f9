// A non-2xx Chat Completions or embeddings response → LLMError.
//
// insufficient_quota arrives as a 429 but is not a rate limit: the account is
// out of credit and no wait will fix it. It becomes `budget_exceeded` (as does
// Anthropic's `billing_error`), which the retry policy never retries and the
// fallback moves past; the status stays 429 and providerCode says why.
import JSON
import LLMCore

struct OpenAIErrors {
    let provider: String

    func error(for head: HTTPResponseHead, body: [UInt8]) -> LLMError {
        let json = try? JSONParser().parse(body)
        var error = json.flatMap { OpenAIWire.error($0, status: head.status, provider: provider) }
            ?? LLMError(
                ErrorClassification.kind(status: head.status), BodyExcerpt.unexpected(head, body),
                status: head.status, provider: provider)
        error.status = head.status
        if let id = head.headers["x-request-id"], !id.isEmpty { error.requestID = id }
        error.retryAfter = RetryAfter.seconds(in: head.headers)
        return error
    }
}
