// The Anthropic Messages API (POST /v1/messages), streamed or whole.
// Wire details live beside this file: request body, stream parser, response
// and error decoding.
import JSON
import LLMCore

public struct AnthropicProvider: ChatProvider {
    /// anthropic-sdk-python's default `base_url`; ANTHROPIC_BASE_URL replaces it.
    public static let defaultBaseURL = "https://api.anthropic.com"
    /// The API version every official SDK pins (anthropic-sdk-python `_client.py`).
    public static let apiVersion = "2023-06-01"
    /// The tool forced when a request has a `responseSchema`: Anthropic has no
    /// JSON-schema response format, so the answer arrives as this tool's input
    /// (the technique vercel/ai's anthropic provider uses for JSON output).
    public static let structuredOutputToolName = "structured_output"
    /// Sent when a request gives no `maxTokens`; the API requires one. 4096 is
    /// what pydantic-ai sends (see the conformance recordings).
    public static let defaultMaxTokens = 4096

    public let endpoint: ProviderEndpoint
    public let name: String

    public init(endpoint: ProviderEndpoint = ProviderEndpoint(baseURL: AnthropicProvider.defaultBaseURL, apiKey: nil),
                name: String = "anthropic") {
        self.endpoint = endpoint
        self.name = name
    }

    public func chatRequest(_ request: ChatRequest, stream: Bool) throws(LLMError) -> HTTPRequest {
        let body = try AnthropicRequestBody(provider: name).json(for: request, stream: stream)
        return HTTPRequest(
            url: endpoint.url("/v1/messages"), headers: try headers(stream: stream),
            body: try WireJSON.encode(body, provider: name))
    }

    public func makeStreamParser() -> any StreamParser {
        AnthropicStreamParser(provider: name)
    }

    public func parseChatResponse(_ body: [UInt8]) throws(LLMError) -> ChatResponse {
        try AnthropicResponse(provider: name).parse(body)
    }

    public func error(for head: HTTPResponseHead, body: [UInt8]) -> LLMError {
        AnthropicErrors(provider: name).error(for: head, body: body)
    }

    public func embeddingRequest(_ request: EmbeddingRequest) throws(LLMError) -> HTTPRequest {
        throw LLMError(.invalidRequest, "Anthropic has no embeddings API; use an OpenAI-compatible provider", provider: name)
    }

    public func parseEmbeddingResponse(_ body: [UInt8]) throws(LLMError) -> EmbeddingResponse {
        throw LLMError(.invalidRequest, "Anthropic has no embeddings API; use an OpenAI-compatible provider", provider: name)
    }

    private func headers(stream: Bool) throws(LLMError) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [
            ("content-type", "application/json"),
            ("accept", stream ? "text/event-stream" : "application/json"),
            ("anthropic-version", Self.apiVersion),
        ]
        let custom = Set(endpoint.headers.map { $0.name.lowercased() })
        if let key = endpoint.apiKey, !key.isEmpty {
            headers.append(("x-api-key", key))
        } else if !custom.contains("x-api-key"), !custom.contains("authorization") {
            // Fail before the network: the 401 would say less.
            throw LLMError(.auth, "no API key for \(name): set ANTHROPIC_API_KEY", provider: name)
        }
        headers.removeAll { custom.contains($0.name) }
        return headers + endpoint.headers
    }
}
