// What a recorded response must decode to. The values in the tables that use
// this were written down by reading the recordings, not by running the code.
import JSON
import LLMCore
import Testing

enum TextMatch: Sendable, Equatable {
    case exact(String)
    /// For long texts: how it starts, how it ends, and pieces in between.
    case affixes(prefix: String, suffix: String, contains: [String] = [])

    static let empty = TextMatch.exact("")

    func check(_ actual: String, _ what: String, sourceLocation: SourceLocation) {
        switch self {
        case .exact(let expected):
            #expect(actual == expected, "\(what)", sourceLocation: sourceLocation)
        case .affixes(let prefix, let suffix, let pieces):
            #expect(actual.hasPrefix(prefix), "\(what) starts with \(prefix.debugDescription): \(actual.debugDescription)",
                    sourceLocation: sourceLocation)
            #expect(actual.hasSuffix(suffix), "\(what) ends with \(suffix.debugDescription): \(actual.debugDescription)",
                    sourceLocation: sourceLocation)
            for piece in pieces {
                #expect(actual.contains(piece), "\(what) contains \(piece.debugDescription)", sourceLocation: sourceLocation)
            }
        }
    }
}

struct ExpectedTool: Sendable {
    var id: String
    var name: String
    var arguments: JSONValue
}

struct ExpectedChat: Sendable {
    var id: String?
    var model: String?
    /// Block kinds in order: "text", "thinking", "redacted", "tool".
    var kinds: [String]
    var text: TextMatch = .empty
    var thinking: TextMatch = .empty
    var signature: TextMatch?
    var redacted: [TextMatch] = []
    var tools: [ExpectedTool] = []
    var usage: Usage
    var finish: FinishReason?
    var raw: String?

    func check(_ response: ChatResponse?, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let response else {
            Issue.record("no response", sourceLocation: sourceLocation)
            return
        }
        #expect(response.id == id, sourceLocation: sourceLocation)
        #expect(response.model == model, sourceLocation: sourceLocation)
        #expect(response.message.role == .assistant, sourceLocation: sourceLocation)
        #expect(response.message.content.map(Self.kind) == kinds, sourceLocation: sourceLocation)
        text.check(response.text, "text", sourceLocation: sourceLocation)
        thinking.check(response.thinking, "thinking", sourceLocation: sourceLocation)
        let signatures = response.message.content.compactMap { if case .thinking(_, let s) = $0 { s } else { nil } }
        if let signature {
            #expect(signatures.count == 1, sourceLocation: sourceLocation)
            signature.check(signatures.first ?? "", "signature", sourceLocation: sourceLocation)
        } else {
            #expect(signatures.isEmpty, "no signature expected", sourceLocation: sourceLocation)
        }
        let data = response.message.content.compactMap { if case .redactedThinking(let d) = $0 { d } else { nil } }
        #expect(data.count == redacted.count, sourceLocation: sourceLocation)
        for (match, actual) in zip(redacted, data) { match.check(actual, "redacted data", sourceLocation: sourceLocation) }
        let calls = response.toolCalls
        #expect(calls.count == tools.count, "tool calls: \(calls)", sourceLocation: sourceLocation)
        for (expected, call) in zip(tools, calls) {
            #expect(call.id == expected.id, sourceLocation: sourceLocation)
            #expect(call.name == expected.name, sourceLocation: sourceLocation)
            #expect(call.arguments == expected.arguments, "arguments of \(call.name)", sourceLocation: sourceLocation)
        }
        #expect(response.usage == usage, sourceLocation: sourceLocation)
        #expect(response.finishReason == finish, sourceLocation: sourceLocation)
        #expect(response.rawFinishReason == raw, sourceLocation: sourceLocation)
    }

    static func kind(_ block: ContentBlock) -> String {
        switch block {
        case .text: "text"
        case .thinking: "thinking"
        case .redactedThinking: "redacted"
        case .toolUse: "tool"
        case .toolResult: "tool result"
        }
    }
}

struct ExpectedError: Sendable {
    var kind: LLMError.Kind
    var message: String
    var status: Int?
    var requestID: String?
    var providerCode: String?

    func check(_ error: LLMError?, provider: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let error else {
            Issue.record("no error", sourceLocation: sourceLocation)
            return
        }
        #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        #expect(error.message == message, sourceLocation: sourceLocation)
        #expect(error.status == status, sourceLocation: sourceLocation)
        #expect(error.requestID == requestID, sourceLocation: sourceLocation)
        #expect(error.providerCode == providerCode, sourceLocation: sourceLocation)
        #expect(error.provider == provider, sourceLocation: sourceLocation)
    }
}
