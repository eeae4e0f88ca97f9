// Structured output across providers: where the answer object sits in a
// response (Anthropic: the forced `structured_output` tool call; OpenAI-style:
// the text), and the follow-up messages that ask the model to repair it.
import Foundation
import JSON
import LLMCore

public enum StructuredOutput {
    static let toolNames = ProviderRegistry.answerToolNames

    /// True when the response carries the answer object as a tool call.
    public static func isAnswerToolCall(_ call: ToolCall) -> Bool { toolNames.contains(call.name) }

    public enum Candidate: Sendable, Equatable {
        case object(JSONValue)
        /// Why the response holds no answer object.
        case missing(String)
    }

    /// The answer as JSON, or a description of why there is none.
    public static func candidate(in response: ChatResponse) -> Candidate {
        if let call = response.toolCalls.first(where: isAnswerToolCall) { return .object(call.arguments) }
        var text = response.text.trimmingCharacters(in: .whitespacesAndNewlines)
        // Models often wrap JSON in a Markdown fence even when told not to.
        if text.hasPrefix("```") {
            text = String(text.drop(while: { $0 != "\n" }).dropFirst())
            if let end = text.range(of: "```", options: .backwards) { text = String(text[..<end.lowerBound]) }
        }
        if text.isEmpty { return .missing("the answer was empty") }
        do {
            return .object(try JSONParser.parse(text))
        } catch {
            return .missing("the answer is not valid JSON (\(error))")
        }
    }

    /// Messages to append after `response` asking for a corrected answer.
    public static func repairMessages(after response: ChatResponse, problems: [String]) -> [Message] {
        let list = problems.map { "- \($0)" }.joined(separator: "\n")
        let instruction = "Your answer does not match the required JSON schema:\n\(list)\nAnswer again with a corrected object that satisfies the schema."
        if let call = response.toolCalls.first(where: isAnswerToolCall) {
            // A tool_use must be answered by its tool_result before anything else.
            return [Message(role: .user, content: [.toolResult(toolCallID: call.id, content: instruction, isError: true)])]
        }
        return [Message(role: .user, text: instruction)]
    }
}
