// One chat request in provider-neutral form. Providers turn it into their wire format.
import JSON

public struct ChatRequest: Sendable, Equatable {
    public var model: String
    public var messages: [Message]
    public var system: String?
    public var maxTokens: Int?
    public var temperature: Double?
    public var topP: Double?
    public var stop: [String]
    public var tools: [ToolDefinition]
    public var toolChoice: ToolChoice?
    /// A JSON Schema the answer must satisfy (structured output).
    public var responseSchema: JSONValue?
    /// Provider-specific fields merged into the request body unchanged.
    public var extra: JSONObject

    public init(
        model: String, messages: [Message], system: String? = nil, maxTokens: Int? = nil,
        temperature: Double? = nil, topP: Double? = nil, stop: [String] = [], tools: [ToolDefinition] = [],
        toolChoice: ToolChoice? = nil, responseSchema: JSONValue? = nil, extra: JSONObject = JSONObject()
    ) {
        self.model = model
        self.messages = messages
        self.system = system
        self.maxTokens = maxTokens
        self.temperature = temperature
        self.topP = topP
        self.stop = stop
        self.tools = tools
        self.toolChoice = toolChoice
        self.responseSchema = responseSchema
        self.extra = extra
    }
}

public struct EmbeddingRequest: Sendable, Equatable {
    public var model: String
    public var inputs: [String]
    public var dimensions: Int?
    /// Ask for base64 on the wire (4× smaller than JSON floats); floats are accepted either way.
    public var base64: Bool

    public init(model: String, inputs: [String], dimensions: Int? = nil, base64: Bool = true) {
        self.model = model
        self.inputs = inputs
        self.dimensions = dimensions
        self.base64 = base64
    }
}

public struct EmbeddingResponse: Sendable, Equatable {
    /// One vector per input, in input order.
    public var vectors: [[Float]]
    public var model: String
    public var usage: Usage

    public init(vectors: [[Float]], model: String, usage: Usage) {
        self.vectors = vectors
        self.model = model
        self.usage = usage
    }
}
