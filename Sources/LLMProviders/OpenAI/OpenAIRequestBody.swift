// ChatRequest → the JSON body of POST /chat/completions. Kept to the fields
// every compatible server accepts: `max_tokens` (not the newer
// `max_completion_tokens`, which Ollama and llama.cpp ignore), string content.
import JSON
import LLMCore

struct OpenAIRequestBody {
    let provider: String

    func json(for request: ChatRequest, stream: Bool) throws(LLMError) -> JSONValue {
        var body: JSONObject = ["model": .string(request.model)]
        var messages: [JSONValue] = []
        if let system = request.system { messages.append(["role": "system", "content": .string(system)]) }
        for message in request.messages { messages += try self.messages(message) }
        body["messages"] = .array(messages)
        if let maxTokens = request.maxTokens { body["max_tokens"] = .int(Int64(maxTokens)) }
        if let temperature = request.temperature { body["temperature"] = .double(temperature) }
        if let topP = request.topP { body["top_p"] = .double(topP) }
        if !request.stop.isEmpty { body["stop"] = .array(request.stop.map { .string($0) }) }
        if !request.tools.isEmpty { body["tools"] = .array(request.tools.map(tool)) }
        if let choice = request.toolChoice { body["tool_choice"] = toolChoice(choice) }
        if let schema = request.responseSchema {
            body["response_format"] = [
                "type": "json_schema",
                "json_schema": ["name": .string(OpenAIProvider.structuredOutputName), "schema": schema, "strict": true],
            ]
        }
        if stream {
            body["stream"] = true
            // Without this the stream carries no usage at all (openai-python docs, `stream_options`).
            body["stream_options"] = ["include_usage": true]
        }
        for (key, value) in request.extra.entries { body[key] = value }
        return .object(body)
    }

    private func tool(_ tool: ToolDefinition) -> JSONValue {
        var function: JSONObject = ["name": .string(tool.name)]
        if let description = tool.description { function["description"] = .string(description) }
        function["parameters"] = tool.parameters
        return ["type": "function", "function": .object(function)]
    }

    private func toolChoice(_ choice: ToolChoice) -> JSONValue {
        switch choice {
        case .auto: "auto"
        case .none: "none"
        case .required: "required"
        case .tool(let name): ["type": "function", "function": ["name": .string(name)]]
        }
    }

    /// One neutral message may become several wire messages: each tool result
    /// is its own `tool` message. Thinking is not sent back: Chat Completions
    /// has no field for it, and DeepSeek-style servers reject it if echoed.
    private func messages(_ message: Message) throws(LLMError) -> [JSONValue] {
        var wire: [JSONValue] = []
        var text = ""
        var calls: [JSONValue] = []
        for block in message.content {
            switch block {
            case .text(let t):
                text += t
            case .thinking, .redactedThinking:
                break
            case .toolUse(let call):
                guard message.role == .assistant else { throw misplaced("a tool call", in: message.role) }
                calls.append([
                    "id": .string(call.id), "type": "function",
                    "function": ["name": .string(call.name), "arguments": .string(try arguments(call.arguments))],
                ])
            case .toolResult(let id, let content, _):
                guard message.role != .assistant else { throw misplaced("a tool result", in: message.role) }
                wire.append(["role": "tool", "tool_call_id": .string(id), "content": .string(content)])
            }
        }
        switch message.role {
        case .assistant:
            var object: JSONObject = ["role": "assistant"]
            // An empty string, not null: OpenAI takes either, but llama.cpp's
            // server rejects null (and a missing field) next to tool_calls.
            object["content"] = .string(text)
            if !calls.isEmpty { object["tool_calls"] = .array(calls) }
            wire.append(.object(object))
        case .system, .user:
            // Tool results go first: they must follow the assistant turn that called the tools.
            if !text.isEmpty || wire.isEmpty { wire.append(["role": .string(message.role.rawValue), "content": .string(text)]) }
        case .tool:
            if !text.isEmpty { wire.append(["role": "user", "content": .string(text)]) }
        }
        return wire
    }

    /// Arguments travel as a JSON string, compact.
    private func arguments(_ value: JSONValue) throws(LLMError) -> String {
        try WireJSON.string(value, provider: provider)
    }

    private func misplaced(_ what: String, in role: Role) -> LLMError {
        LLMError(.invalidRequest, "\(what) cannot be part of a \(role.rawValue) message", provider: provider)
    }
}
