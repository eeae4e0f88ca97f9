// A ChatRequest as the call log keeps it: provider-neutral JSON with the
// same names the Lua API uses (system, messages with their content blocks,
// tools, and the options that were set).
import JSON
import LLMCore

enum RequestJSON {
    static func value(_ r: ChatRequest) -> JSONValue {
        var o = JSONObject()
        o["model"] = .string(r.model)
        if let system = r.system { o["system"] = .string(system) }
        o["messages"] = .array(r.messages.map(message))
        if !r.tools.isEmpty {
            o["tools"] = .array(r.tools.map { t in
                var d = JSONObject()
                d["name"] = .string(t.name)
                if let description = t.description { d["description"] = .string(description) }
                d["parameters"] = t.parameters
                return .object(d)
            })
        }
        var options = JSONObject()
        if let v = r.maxTokens { options["max_tokens"] = .int(Int64(v)) }
        if let v = r.temperature { options["temperature"] = .double(v) }
        if let v = r.topP { options["top_p"] = .double(v) }
        if !r.stop.isEmpty { options["stop"] = .array(r.stop.map { .string($0) }) }
        if let choice = r.toolChoice {
            switch choice {
            case .auto: options["tool_choice"] = "auto"
            case .none: options["tool_choice"] = "none"
            case .required: options["tool_choice"] = "required"
            case .tool(let name): options["tool_choice"] = .string(name)
            }
        }
        if let schema = r.responseSchema { options["schema"] = schema }
        if !r.extra.isEmpty { options["extra"] = .object(r.extra) }
        if !options.isEmpty { o["options"] = .object(options) }
        return .object(o)
    }

    private static func message(_ m: Message) -> JSONValue {
        var o = JSONObject()
        o["role"] = .string(m.role.rawValue)
        if m.content.count == 1, case .text(let t) = m.content[0] {
            o["content"] = .string(t)
            return .object(o)
        }
        o["content"] = .array(m.content.map { block in
            var b = JSONObject()
            switch block {
            case .text(let t):
                b["type"] = "text"
                b["text"] = .string(t)
            case .thinking(let t, _):
                b["type"] = "thinking"
                b["text"] = .string(t)
            case .redactedThinking:
                b["type"] = "redacted_thinking"
            case .toolUse(let call):
                b["type"] = "tool_use"
                b["id"] = .string(call.id)
                b["name"] = .string(call.name)
                b["arguments"] = call.arguments
            case .toolResult(let id, let content, let isError):
                b["type"] = "tool_result"
                b["tool_call_id"] = .string(id)
                b["content"] = .string(content)
                if isError { b["is_error"] = true }
            }
            return .object(b)
        })
        return .object(o)
    }
}
