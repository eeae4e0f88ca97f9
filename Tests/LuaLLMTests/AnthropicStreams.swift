// Anthropic SSE bodies for tests that need more than FakeProvider's plain text
// stream: tool calls, errors, malformed data.
import FakeProvider

enum AnthropicStreams {
    static func event(_ type: String, _ json: String) -> String {
        "event: \(type)\ndata: \(json)\n\n"
    }

    static func start(id: String = "msg_1", inputTokens: Int = 20) -> String {
        event("message_start", #"{"type":"message_start","message":{"id":"\#(id)","type":"message","role":"assistant","model":"claude-test","content":[],"stop_reason":null,"usage":{"input_tokens":\#(inputTokens),"output_tokens":1}}}"#)
    }

    static func toolUse(index: Int, id: String, name: String, argumentChunks: [String]) -> [String] {
        var events = [event("content_block_start", #"{"type":"content_block_start","index":\#(index),"content_block":{"type":"tool_use","id":"\#(id)","name":"\#(name)","input":{}}}"#)]
        for chunk in argumentChunks {
            let escaped = chunk.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            events.append(event("content_block_delta", #"{"type":"content_block_delta","index":\#(index),"delta":{"type":"input_json_delta","partial_json":"\#(escaped)"}}"#))
        }
        events.append(event("content_block_stop", #"{"type":"content_block_stop","index":\#(index)}"#))
        return events
    }

    static func text(index: Int, _ parts: [String]) -> [String] {
        var events = [event("content_block_start", #"{"type":"content_block_start","index":\#(index),"content_block":{"type":"text","text":""}}"#)]
        for p in parts {
            events.append(event("content_block_delta", #"{"type":"content_block_delta","index":\#(index),"delta":{"type":"text_delta","text":"\#(p)"}}"#))
        }
        events.append(event("content_block_stop", #"{"type":"content_block_stop","index":\#(index)}"#))
        return events
    }

    static func end(_ reason: String, outputTokens: Int = 30) -> [String] {
        [event("message_delta", #"{"type":"message_delta","delta":{"stop_reason":"\#(reason)","stop_sequence":null},"usage":{"output_tokens":\#(outputTokens)}}"#),
         event("message_stop", #"{"type":"message_stop"}"#)]
    }

    /// A turn that asks for two tools in parallel.
    static func twoToolCalls() -> ScriptedResponse {
        .sse(events: [start()]
            + text(index: 0, ["Checking both."])
            + toolUse(index: 1, id: "toolu_1", name: "get_weather", argumentChunks: ["{\"city\":", " \"Paris\"}"])
            + toolUse(index: 2, id: "toolu_2", name: "get_weather", argumentChunks: ["{\"city\": \"Oslo\"}"])
            + end("tool_use"))
    }

    static func finalText(_ text: String) -> ScriptedResponse {
        .sse(events: [start(id: "msg_2")] + Self.text(index: 0, [text]) + end("end_turn", outputTokens: 12))
    }
}
