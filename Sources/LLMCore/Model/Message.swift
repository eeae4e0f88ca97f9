// The provider-neutral conversation: messages made of content blocks.
import JSON

public enum Role: String, Sendable, Equatable {
    case system, user, assistant, tool
}

public enum ContentBlock: Sendable, Equatable {
    case text(String)
    /// Extended thinking; `signature` must be sent back unchanged on the next turn.
    case thinking(text: String, signature: String?)
    /// Thinking the provider encrypted; kept only to be sent back.
    case redactedThinking(data: String)
    case toolUse(ToolCall)
    case toolResult(toolCallID: String, content: String, isError: Bool)
}

public struct Message: Sendable, Equatable {
    public var role: Role
    public var content: [ContentBlock]

    public init(role: Role, content: [ContentBlock]) {
        self.role = role
        self.content = content
    }

    public init(role: Role, text: String) {
        self.init(role: role, content: [.text(text)])
    }

    /// The concatenated text blocks.
    public var text: String {
        content.reduce(into: "") { out, block in if case .text(let t) = block { out += t } }
    }
}

/// A tool call the model asked for: `arguments` is the parsed JSON input.
public struct ToolCall: Sendable, Equatable {
    public var id: String
    public var name: String
    public var arguments: JSONValue
    /// An opaque token the provider attached to the call (Gemini's
    /// `thoughtSignature`), to be sent back unchanged with the call in the
    /// next turn's history.
    public var signature: String?

    public init(id: String, name: String, arguments: JSONValue, signature: String? = nil) {
        self.id = id
        self.name = name
        self.arguments = arguments
        self.signature = signature
    }
}

/// A tool the model may call; `parameters` is a JSON Schema object.
public struct ToolDefinition: Sendable, Equatable {
    public var name: String
    public var description: String?
    public var parameters: JSONValue

    public init(name: String, description: String?, parameters: JSONValue) {
        self.name = name
        self.description = description
        self.parameters = parameters
    }
}

public enum ToolChoice: Sendable, Equatable {
    case auto, none, required
    case tool(String)
}
