// A whole (non-streaming) chat.completion body → ChatResponse. Reasoning
// (`reasoning_content` from vLLM/DeepSeek, `reasoning` from Ollama and
// OpenRouter) comes first as a thinking block, then text, then tool calls.
import JSON
import LLMCore

struct OpenAIResponse {
    let provider: String

    func parse(_ body: [UInt8]) throws(LLMError) -> ChatResponse {
        let json = try WireJSON.parse(body, what: "response body", provider: provider)
        if let error = OpenAIWire.error(json, status: nil, provider: provider) { throw error }
        guard let choice = json["choices"]?.arrayValue?.first, let message = choice["message"] else {
            throw LLMError(.badResponse, "response has no choices[0].message: \(BodyExcerpt.text(body))", provider: provider)
        }
        var blocks: [ContentBlock] = []
        if let reasoning = message.text("reasoning_content") ?? message.text("reasoning") {
            blocks.append(.thinking(text: reasoning, signature: nil))
        }
        if let text = Self.text(message["content"]) ?? message.text("refusal") { blocks.append(.text(text)) }
        for call in message["tool_calls"]?.arrayValue ?? [] {
            let function = call["function"] ?? .null
            guard let name = function.text("name") else {
                throw LLMError(.badResponse, "tool call without a function name", provider: provider)
            }
            let id = call.text("id") ?? "call_\(blocks.count)"
            let arguments = try Self.arguments(function["arguments"], tool: name, provider: provider)
            blocks.append(.toolUse(ToolCall(id: id, name: name, arguments: arguments)))
        }
        let raw = choice.text("finish_reason")
        return ChatResponse(
            id: json.text("id"), model: json.text("model"), message: Message(role: .assistant, content: blocks),
            usage: json["usage"].map(OpenAIWire.usage) ?? Usage(),
            finishReason: raw.map(OpenAIWire.finishReason), rawFinishReason: raw)
    }

    /// Content as a string, or as a list of `{"type":"text","text":…}` parts.
    private static func text(_ content: JSONValue?) -> String? {
        if let string = content?.stringValue { return string.isEmpty ? nil : string }
        let parts = content?.arrayValue?.compactMap { $0.text("text") } ?? []
        return parts.isEmpty ? nil : parts.joined()
    }

    /// Arguments are a JSON string on the wire; a few servers send the object itself.
    static func arguments(_ value: JSONValue?, tool: String, provider: String) throws(LLMError) -> JSONValue {
        switch value {
        case .string(let text)?: try WireJSON.toolArguments(text, tool: tool, provider: provider)
        case .object(let object)?: .object(object)
        default: .object([:])
        }
    }
}
