// ChatRequest → the JSON body of POST /v1/messages.
// Anthropic differs from the neutral model in three ways handled here: the
// system prompt is a top-level field, tool results travel as `tool_result`
// blocks in a user message, and thinking blocks go back with their signature.
import JSON
import LLMCore

struct AnthropicRequestBody {
    let provider: String

    func json(for request: ChatRequest, stream: Bool) throws(LLMError) -> JSONValue {
        var body: JSONObject = ["model": .string(request.model)]
        body["max_tokens"] = .int(Int64(request.maxTokens ?? AnthropicProvider.defaultMaxTokens))
        let systemTexts = [request.system].compactMap { $0 }
            + request.messages.filter { $0.role == .system }.map(\.text)
        if !systemTexts.isEmpty { body["system"] = .string(systemTexts.joined(separator: "\n\n")) }
        body["messages"] = .array(try messages(request.messages))
        if let temperature = request.temperature { body["temperature"] = .double(temperature) }
        if let topP = request.topP { body["top_p"] = .double(topP) }
        if !request.stop.isEmpty { body["stop_sequences"] = .array(request.stop.map { .string($0) }) }

        var tools = request.tools.map(tool)
        var choice = request.toolChoice.map(toolChoice)
        if let schema = request.responseSchema {
            tools.append(tool(ToolDefinition(
                name: AnthropicProvider.structuredOutputToolName,
                description: "Give the answer as this tool's input, which must match the schema.", parameters: schema)))
            choice = ["type": "tool", "name": .string(AnthropicProvider.structuredOutputToolName)]
        }
        if !tools.isEmpty { body["tools"] = .array(tools) }
        if let choice { body["tool_choice"] = choice }
        if stream { body["stream"] = true }
        for (key, value) in request.extra.entries { body[key] = value }
        return .object(body)
    }

    private func tool(_ tool: ToolDefinition) -> JSONValue {
        var object: JSONObject = ["name": .string(tool.name)]
        if let description = tool.description { object["description"] = .string(description) }
        object["input_schema"] = tool.parameters
        return .object(object)
    }

    private func toolChoice(_ choice: ToolChoice) -> JSONValue {
        switch choice {
        case .auto: ["type": "auto"]
        case .none: ["type": "none"]
        case .required: ["type": "any"]
        case .tool(let name): ["type": "tool", "name": .string(name)]
        }
    }

    /// Consecutive tool-result messages become one user message, as the API
    /// wants every result for one assistant turn in the next user turn.
    private func messages(_ messages: [Message]) throws(LLMError) -> [JSONValue] {
        var wire: [(role: String, blocks: [JSONValue], onlyResults: Bool)] = []
        for message in messages where message.role != .system {
            let role = message.role == .assistant ? "assistant" : "user"
            var blocks: [JSONValue] = []
            for block in message.content {
                if let json = try self.block(block, in: message.role) { blocks.append(json) }
            }
            guard !blocks.isEmpty else { continue }  // e.g. only empty text: the API would reject it
            let onlyResults = !message.content.isEmpty
                && message.content.allSatisfy { if case .toolResult = $0 { true } else { false } }
            if onlyResults, let last = wire.last, last.onlyResults {
                wire[wire.count - 1].blocks += blocks
            } else {
                wire.append((role, blocks, onlyResults))
            }
        }
        return wire.map { ["role": .string($0.role), "content": .array($0.blocks)] }
    }

    private func block(_ block: ContentBlock, in role: Role) throws(LLMError) -> JSONValue? {
        switch block {
        case .text(let text):
            // The API rejects empty text blocks; an empty one carries nothing.
            return text.isEmpty ? nil : ["type": "text", "text": .string(text)]
        case .thinking(let text, let signature):
            // Unsigned thinking (from another provider) would be rejected; it is dropped.
            guard role == .assistant, let signature, !signature.isEmpty else { return nil }
            return ["type": "thinking", "thinking": .string(text), "signature": .string(signature)]
        case .redactedThinking(let data):
            return role == .assistant ? ["type": "redacted_thinking", "data": .string(data)] : nil
        case .toolUse(let call):
            guard role == .assistant else { throw misplaced("a tool call", in: role) }
            let input: JSONValue = if case .object = call.arguments { call.arguments } else { .object([:]) }
            return ["type": "tool_use", "id": .string(call.id), "name": .string(call.name), "input": input]
        case .toolResult(let id, let content, let isError):
            guard role != .assistant else { throw misplaced("a tool result", in: role) }
            var result: JSONObject = ["type": "tool_result", "tool_use_id": .string(id), "content": .string(content)]
            if isError { result["is_error"] = true }
            return .object(result)
        }
    }

    private func misplaced(_ what: String, in role: Role) -> LLMError {
        LLMError(.invalidRequest, "\(what) cannot be part of a \(role.rawValue) message", provider: provider)
    }
}
