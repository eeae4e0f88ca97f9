// OpenAI Chat Completions (POST {base}/chat/completions) and embeddings
// (POST {base}/embeddings), for api.openai.com and every server that speaks
// the same format by `base_url`: Ollama, vLLM, llama.cpp, LM Studio,
// OpenRouter, Groq. Differences between those servers are absorbed by the
// parsers (see OpenAIStreamParser), never by flags.
import JSON
import LLMCore

public struct OpenAIProvider: ChatProvider {
    /// openai-python's default `base_url`; OPENAI_BASE_URL replaces it.
    public static let defaultBaseURL = "https://api.openai.com/v1"
    /// The `json_schema.name` sent for a request's `responseSchema`.
    public static let structuredOutputName = "structured_output"

    public let endpoint: ProviderEndpoint
    public let name: String

    public init(endpoint: ProviderEndpoint = ProviderEndpoint(baseURL: OpenAIProvider.defaultBaseURL, apiKey: nil),
                name: String = "openai") {
        self.endpoint = endpoint
        self.name = name
    }

    public func chatRequest(_ request: ChatRequest, stream: Bool) throws(LLMError) -> HTTPRequest {
        let body = try OpenAIRequestBody(provider: name).json(for: request, stream: stream)
        return HTTPRequest(
            url: endpoint.url("/chat/completions"), headers: headers(accept: stream ? "text/event-stream" : "application/json"),
            body: try WireJSON.encode(body, provider: name))
    }

    public func makeStreamParser() -> any StreamParser {
        OpenAIStreamParser(provider: name)
    }

    public func parseChatResponse(_ body: [UInt8]) throws(LLMError) -> ChatResponse {
        try OpenAIResponse(provider: name).parse(body)
    }

    public func error(for head: HTTPResponseHead, body: [UInt8]) -> LLMError {
        OpenAIErrors(provider: name).error(for: head, body: body)
    }

    public func embeddingRequest(_ request: EmbeddingRequest) throws(LLMError) -> HTTPRequest {
        let body = OpenAIEmbeddings(provider: name).json(for: request)
        return HTTPRequest(
            url: endpoint.url("/embeddings"), headers: headers(accept: "application/json"),
            body: try WireJSON.encode(body, provider: name))
    }

    public func parseEmbeddingResponse(_ body: [UInt8]) throws(LLMError) -> EmbeddingResponse {
        try OpenAIEmbeddings(provider: name).parse(body)
    }

    /// No key, no `authorization`: local servers (Ollama, llama.cpp) need none.
    private func headers(accept: String) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [("content-type", "application/json"), ("accept", accept)]
        if let key = endpoint.apiKey, !key.isEmpty { headers.append(("authorization", "Bearer \(key)")) }
        let custom = Set(endpoint.headers.map { $0.name.lowercased() })
        headers.removeAll { custom.contains($0.name) }
        return headers + endpoint.headers
    }
}
