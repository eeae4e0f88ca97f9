// Google's Gemini API, natively (generativelanguage.googleapis.com/v1beta):
// `models/{model}:streamGenerateContent?alt=sse` and `:generateContent` for
// chat, `:batchEmbedContents` for embeddings, the key in `x-goog-api-key`.
// Wire details live beside this file.
import JSON
import LLMCore

public struct GeminiProvider: ChatProvider {
    /// google-genai's default endpoint with its default API version; GEMINI_BASE_URL replaces it.
    public static let defaultBaseURL = "https://generativelanguage.googleapis.com/v1beta"

    public let endpoint: ProviderEndpoint
    public let name: String

    public init(endpoint: ProviderEndpoint = ProviderEndpoint(baseURL: GeminiProvider.defaultBaseURL, apiKey: nil),
                name: String = "gemini") {
        self.endpoint = endpoint
        self.name = name
    }

    public func chatRequest(_ request: ChatRequest, stream: Bool) throws(LLMError) -> HTTPRequest {
        let body = try GeminiRequestBody(provider: name).json(for: request)
        let method = stream ? ":streamGenerateContent?alt=sse" : ":generateContent"
        return HTTPRequest(
            url: url(model: request.model, method), headers: headers(accept: stream ? "text/event-stream" : "application/json"),
            body: try WireJSON.encode(body, provider: name))
    }

    public func makeStreamParser() -> any StreamParser {
        GeminiStreamParser(provider: name)
    }

    public func parseChatResponse(_ body: [UInt8]) throws(LLMError) -> ChatResponse {
        try GeminiResponse(provider: name).parse(body)
    }

    public func error(for head: HTTPResponseHead, body: [UInt8]) -> LLMError {
        GeminiErrors(provider: name).error(for: head, body: body)
    }

    public func embeddingRequest(_ request: EmbeddingRequest) throws(LLMError) -> HTTPRequest {
        let body = GeminiEmbeddings(provider: name).json(for: request)
        return HTTPRequest(
            url: url(model: request.model, ":batchEmbedContents"), headers: headers(accept: "application/json"),
            body: try WireJSON.encode(body, provider: name))
    }

    public func parseEmbeddingResponse(_ body: [UInt8]) throws(LLMError) -> EmbeddingResponse {
        try GeminiEmbeddings(provider: name).parse(body)
    }

    /// `{base}/models/{model}{method}`; a `?` in `method` joins the base's own query.
    private func url(model: String, _ method: String) -> String {
        let path = "/models/" + GeminiWire.modelPath(model)
        guard let q = method.firstIndex(of: "?") else { return endpoint.url(path + method) }
        let full = endpoint.url(path + method[..<q])
        let query = method[method.index(after: q)...]
        return full.contains("?") ? full.replacingFirst("?", with: "?\(query)&") : full + "?" + query
    }

    /// No key check here: LLMConfiguration asks for one unless the endpoint is loopback.
    private func headers(accept: String) -> [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [("content-type", "application/json"), ("accept", accept)]
        let custom = Set(endpoint.headers.map { $0.name.lowercased() })
        if let key = endpoint.apiKey, !key.isEmpty {
            headers.append(("x-goog-api-key", key))
        }
        headers.removeAll { custom.contains($0.name) }
        return headers + endpoint.headers
    }
}

extension String {
    fileprivate func replacingFirst(_ target: Character, with replacement: String) -> String {
        guard let i = firstIndex(of: target) else { return self }
        return String(self[..<i]) + replacement + String(self[index(after: i)...])
    }
}
