// A non-2xx Gemini response → LLMError: kind from the HTTP status, refined by
// the google.rpc status name; how long to wait from `retry-after` or, as the
// API sends it with 429 RESOURCE_EXHAUSTED, the RetryInfo detail.
import JSON
import LLMCore

struct GeminiErrors {
    let provider: String

    func error(for head: HTTPResponseHead, body: [UInt8]) -> LLMError {
        let json = try? JSONParser().parse(body)
        // Some Google front ends wrap the error in a one-element list.
        let object = json.flatMap { $0.arrayValue?.first ?? $0 }
        var error = object.flatMap { GeminiWire.error($0, status: head.status, provider: provider) }
            ?? LLMError(
                ErrorClassification.kind(status: head.status), BodyExcerpt.unexpected(head, body),
                status: head.status, provider: provider)
        error.status = head.status
        if let id = head.headers["x-request-id"], !id.isEmpty { error.requestID = id }
        if let seconds = RetryAfter.seconds(in: head.headers) { error.retryAfter = seconds }
        return error
    }
}
