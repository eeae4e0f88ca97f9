// Pieces of the Chat Completions format shared by the stream parser, the
// whole-response parser and the error mapping.
import JSON
import LLMCore

enum OpenAIWire {
    /// `usage` of a chunk or body. `prompt_tokens` already includes the cached
    /// tokens, which are also reported apart as `cacheReadTokens`.
    static func usage(_ json: JSONValue) -> Usage {
        Usage(
            inputTokens: json.int("prompt_tokens") ?? 0, outputTokens: json.int("completion_tokens") ?? 0,
            cacheReadTokens: json["prompt_tokens_details"]?.int("cached_tokens") ?? 0)
    }

    static func finishReason(_ raw: String) -> FinishReason {
        switch raw {
        case "stop", "end_turn", "stop_sequence": .stop
        case "length", "max_tokens": .length
        case "tool_calls", "function_call", "tool_use": .toolCalls
        case "content_filter", "refusal": .contentFilter
        default: .other
        }
    }

    /// The `error` member of a body or chunk: `{"message","type","code"}` as
    /// OpenAI sends it, a bare string as Ollama does, or OpenRouter's numeric
    /// `code` with the upstream text in `metadata.raw`.
    static func error(_ json: JSONValue, status: Int?, provider: String) -> LLMError? {
        guard let error = json["error"], !error.isNull else { return nil }
        if let text = error.stringValue {
            // {"error":"…"} (Ollama), or {"error":"code","message":"…"} (some proxies).
            let message = json.text("message") ?? text
            return LLMError(
                ErrorClassification.kind(status: status, errorType: text, message: message), message,
                status: status, provider: provider, providerCode: text)
        }
        var message = error.text("message") ?? error.text("type") ?? "unknown error"
        if let raw = error["metadata"]?.text("raw"), raw != message { message += ": \(raw)" }
        let code = error.text("code")
        let type = error.text("type")
        // A code names the cause more precisely than a type (insufficient_quota vs. rate limit).
        let named = [code, type].compactMap { $0 }.first { ErrorClassification.kind(errorType: $0) != nil }
        let httpStatus = status ?? error.int("code")  // OpenRouter puts the HTTP status in `code`
        return LLMError(
            ErrorClassification.kind(status: httpStatus, errorType: named, message: message), message,
            status: httpStatus, provider: provider, providerCode: code ?? type)
    }
}
