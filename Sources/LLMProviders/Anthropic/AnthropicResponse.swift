// A whole (non-streaming) Messages API response body → ChatResponse.
import JSON
import LLMCore

struct AnthropicResponse {
    let provider: String

    func parse(_ body: [UInt8]) throws(LLMError) -> ChatResponse {
        let json = try WireJSON.parse(body, what: "response body", provider: provider)
        if json.text("type") == "error", let error = AnthropicWire.error(json, status: nil, provider: provider) {
            throw error
        }
        guard let content = json["content"]?.arrayValue else {
            throw LLMError(.badResponse, "response has no content list: \(BodyExcerpt.text(body))", provider: provider)
        }
        var blocks: [ContentBlock] = []
        for block in content {
            if let parsed = try self.block(block) { blocks.append(parsed) }
        }
        let raw = json.text("stop_reason")
        return ChatResponse(
            id: json.text("id"), model: json.text("model"), message: Message(role: .assistant, content: blocks),
            usage: json["usage"].map(AnthropicWire.usage) ?? Usage(),
            finishReason: raw.map(AnthropicWire.finishReason), rawFinishReason: raw)
    }

    private func block(_ json: JSONValue) throws(LLMError) -> ContentBlock? {
        switch json.text("type") {
        case "text":
            return .text(json["text"]?.stringValue ?? "")
        case "thinking":
            return .thinking(text: json["thinking"]?.stringValue ?? "", signature: json.text("signature"))
        case "redacted_thinking":
            return .redactedThinking(data: json["data"]?.stringValue ?? "")
        case "tool_use":
            guard let id = json.text("id"), let name = json.text("name") else {
                throw LLMError(.badResponse, "tool_use block without id or name", provider: provider)
            }
            return .toolUse(ToolCall(id: id, name: name, arguments: json["input"] ?? .object([:])))
        default:
            return nil  // server tool blocks and types added later
        }
    }
}
