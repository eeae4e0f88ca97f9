// Pieces of the Anthropic wire format shared by the stream parser and the
// whole-response parser: usage, stop reasons and error objects.
import JSON
import LLMCore

enum AnthropicWire {
    /// `usage` of message_start, message_delta or a whole message. Input
    /// tokens exclude cache reads and writes, which are counted apart.
    static func usage(_ json: JSONValue) -> Usage {
        Usage(
            inputTokens: json.int("input_tokens") ?? 0, outputTokens: json.int("output_tokens") ?? 0,
            cacheReadTokens: json.int("cache_read_input_tokens") ?? 0,
            cacheWriteTokens: json.int("cache_creation_input_tokens") ?? 0)
    }

    static func finishReason(_ raw: String) -> FinishReason {
        switch raw {
        case "end_turn", "stop_sequence": .stop
        case "max_tokens", "model_context_window_exceeded": .length
        case "tool_use": .toolCalls
        case "refusal": .contentFilter
        default: .other  // pause_turn and reasons added later
        }
    }

    /// An `{"type":"error","error":{"type":…,"message":…},"request_id":…}`
    /// body or stream event. `status` is nil inside a 200 stream, where the
    /// error type alone classifies it (overloaded_error → overloaded, …).
    static func error(_ json: JSONValue, status: Int?, provider: String) -> LLMError? {
        guard let error = json["error"], let message = error.text("message") ?? error.text("type") else { return nil }
        let type = error.text("type")
        return LLMError(
            ErrorClassification.kind(status: status, errorType: type, message: message), message,
            status: status, provider: provider, requestID: json.text("request_id"), providerCode: type)
    }
}
