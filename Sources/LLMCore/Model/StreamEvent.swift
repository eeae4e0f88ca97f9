// One normalised stream event for every provider (the AI SDK's stream parts).
// `index` is the content block's position in the assistant message.

public enum StreamEvent: Sendable, Equatable {
    case messageStart(id: String?, model: String?)
    case textStart(index: Int)
    case textDelta(index: Int, text: String)
    case textEnd(index: Int)
    case thinkingStart(index: Int)
    case thinkingDelta(index: Int, text: String)
    case thinkingSignature(index: Int, signature: String)
    case thinkingEnd(index: Int)
    case redactedThinking(index: Int, data: String)
    case toolInputStart(index: Int, id: String, name: String)
    /// `partialJSON` is the new fragment; the accumulator keeps the snapshot.
    case toolInputDelta(index: Int, partialJSON: String)
    case toolInputEnd(index: Int)
    /// A tool call whose arguments are complete and parsed.
    case toolCall(index: Int, call: ToolCall)
    /// Usage so far; a later usage event replaces earlier values it carries.
    case usage(Usage)
    case finish(reason: FinishReason, raw: String?)
    /// A keep-alive from the server (Anthropic `ping`): not content.
    case ping
}

extension StreamEvent {
    /// Content the user sees (not bookkeeping such as usage or pings).
    public var isContent: Bool {
        switch self {
        case .textDelta, .thinkingDelta, .toolInputStart, .toolInputDelta, .toolCall, .redactedThinking: true
        default: false
        }
    }
}
