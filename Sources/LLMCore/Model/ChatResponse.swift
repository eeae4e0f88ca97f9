// The result of a chat call, built by StreamAccumulator from stream events (or
// parsed directly from a non-streaming body).

public struct Usage: Sendable, Equatable {
    public var inputTokens: Int
    public var outputTokens: Int
    public var cacheReadTokens: Int
    public var cacheWriteTokens: Int
    /// The server sent no usage and these counts are Moonwire's estimate
    /// (UsageEstimate: UTF-8 bytes ÷ 4, rounded up).
    public var estimated: Bool

    public init(inputTokens: Int = 0, outputTokens: Int = 0, cacheReadTokens: Int = 0, cacheWriteTokens: Int = 0, estimated: Bool = false) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cacheReadTokens = cacheReadTokens
        self.cacheWriteTokens = cacheWriteTokens
        self.estimated = estimated
    }
}

/// Why generation stopped, unified across providers; the raw value is kept too.
public enum FinishReason: String, Sendable, Equatable {
    case stop            // end_turn, stop, stop_sequence
    case length          // max_tokens, length
    case toolCalls = "tool_calls"  // tool_use, tool_calls
    case contentFilter = "content_filter"  // refusal, content_filter
    case other
}

public struct ChatResponse: Sendable, Equatable {
    public var id: String?
    public var model: String?
    /// The assistant message: text, thinking and tool-use blocks in order.
    public var message: Message
    public var usage: Usage
    public var finishReason: FinishReason?
    public var rawFinishReason: String?

    public init(
        id: String? = nil, model: String? = nil, message: Message = Message(role: .assistant, content: []),
        usage: Usage = Usage(), finishReason: FinishReason? = nil, rawFinishReason: String? = nil
    ) {
        self.id = id
        self.model = model
        self.message = message
        self.usage = usage
        self.finishReason = finishReason
        self.rawFinishReason = rawFinishReason
    }

    public var text: String { message.text }

    public var toolCalls: [ToolCall] {
        message.content.compactMap { if case .toolUse(let call) = $0 { call } else { nil } }
    }

    public var thinking: String {
        message.content.reduce(into: "") { out, block in if case .thinking(let t, _) = block { out += t } }
    }
}
