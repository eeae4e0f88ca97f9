// A non-2xx Anthropic response → LLMError: kind from the status (refined by
// the error type), the API's message, the `request-id` header (or the body's
// `request_id`), and how long to wait.
import JSON
import LLMCore

struct AnthropicErrors {
    let provider: String

    func error(for head: HTTPResponseHead, body: [UInt8]) -> LLMError {
        let json = try? JSONParser().parse(body)
        var error = json.flatMap { AnthropicWire.error($0, status: head.status, provider: provider) }
            ?? LLMError(
                ErrorClassification.kind(status: head.status), BodyExcerpt.unexpected(head, body),
                status: head.status, provider: provider)
        if let id = head.headers["request-id"], !id.isEmpty { error.requestID = id }
        error.retryAfter = RetryAfter.seconds(in: head.headers)
        return error
    }
}
