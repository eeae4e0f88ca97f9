// LLMProviders: wire formats only. A provider turns neutral requests into HTTP
// requests and HTTP responses (whole bodies or stream bytes) into neutral
// values and typed errors. Retry, limits, fallback and recording wrap it.
import JSON
import LLMCore

/// Where and how to reach one provider endpoint.
public struct ProviderEndpoint: Sendable, Equatable {
    /// Base URL without a trailing slash, e.g. https://api.anthropic.com or
    /// https://api.openai.com/v1 (OpenAI-style bases include the version).
    public var baseURL: String
    public var apiKey: String?
    /// Extra headers sent on every request (never logged with values).
    public var headers: [(name: String, value: String)]

    public init(baseURL: String, apiKey: String?, headers: [(name: String, value: String)] = []) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.headers = headers
    }

    /// The base URL with `path` ("/v1/messages") added to its path: a query
    /// or fragment in the base stays after it (`/v1?token=…` becomes
    /// `/v1/chat/completions?token=…`, issue 16).
    public func url(_ path: String) -> String {
        var base = Substring(baseURL), suffix: Substring = ""
        if let cut = base.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            suffix = base[cut...]
            base = base[..<cut]
        }
        while base.hasSuffix("/") { base = base.dropLast() }
        return base + path + suffix
    }

    public static func == (a: ProviderEndpoint, b: ProviderEndpoint) -> Bool {
        a.baseURL == b.baseURL && a.apiKey == b.apiKey && a.headers.map(\.name) == b.headers.map(\.name)
            && a.headers.map(\.value) == b.headers.map(\.value)
    }
}

public protocol ChatProvider: Sendable {
    /// Short name used in errors and metrics ("anthropic", "openai").
    var name: String { get }

    func chatRequest(_ request: ChatRequest, stream: Bool) throws(LLMError) -> HTTPRequest
    /// A fresh incremental parser for one streamed response body.
    func makeStreamParser() -> any StreamParser
    /// Parses a complete non-streaming response body (status 2xx).
    func parseChatResponse(_ body: [UInt8]) throws(LLMError) -> ChatResponse
    /// Maps a non-2xx response to a typed error with the provider's message,
    /// request id and retry-after.
    func error(for head: HTTPResponseHead, body: [UInt8]) -> LLMError

    func embeddingRequest(_ request: EmbeddingRequest) throws(LLMError) -> HTTPRequest
    func parseEmbeddingResponse(_ body: [UInt8]) throws(LLMError) -> EmbeddingResponse
}

/// Turns the bytes of one streamed response body into normalised events.
/// Feeding may be split at any byte; `finish()` reports a stream that ended
/// before the provider's end marker as `bad_response` ("stream ended early").
public protocol StreamParser {
    mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(LLMError) -> [StreamEvent]
    mutating func finish() throws(LLMError) -> [StreamEvent]
}
