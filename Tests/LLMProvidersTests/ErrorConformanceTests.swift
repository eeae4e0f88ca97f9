// Every recorded error response in Tests/Fixtures/conformance/errors maps to the
// right typed error. Expected values were copied by hand from the recordings.
import LLMCore
import LLMProviders
import Testing

struct RecordedError: Sendable, CustomTestStringConvertible {
    enum Source: Sendable {
        case cassette(String, Int)
        /// A bare error body; the status it was served with is given.
        case body(String, status: Int)
    }

    var source: Source
    var anthropic: Bool
    var expected: ExpectedError

    var testDescription: String {
        switch source {
        case .cassette(let file, let index): "\(file) #\(index)"
        case .body(let file, _): file
        }
    }

    var file: String {
        switch source {
        case .cassette(let file, _), .body(let file, _): file
        }
    }
}

@Suite struct ErrorConformanceTests {
    static let openAI = OpenAIProvider()
    static let anthropic = AnthropicProvider(endpoint: ProviderEndpoint(baseURL: AnthropicProvider.defaultBaseURL, apiKey: "k"))

    static let cases: [RecordedError] = [
        RecordedError(source: .cassette("errors/crewai__openai_404_model_not_found_pretty.yaml", 0), anthropic: false,
                      expected: ExpectedError(
                        kind: .notFound,
                        message: "The model `non-existent-model` does not exist or you do not have access to it.",
                        status: 404, requestID: "req_9441b7808a504cc8abfc6276fd5c7721", providerCode: "model_not_found")),
        // Not an LLM API (crewAI's tracing service), but an OpenAI-style proxy could answer like it: `error` is a string.
        RecordedError(source: .cassette("errors/crewai__openai_404_model_not_found_pretty.yaml", 1), anthropic: false,
                      expected: ExpectedError(
                        kind: .auth, message: "Bad credentials", status: 401,
                        requestID: "6a4750c4-d698-4e70-8865-928a82e9ed81", providerCode: "bad_credentials")),
        RecordedError(source: .cassette("errors/pydantic-ai__anthropic_400_invalid_request_error.yaml", 0), anthropic: true,
                      expected: ExpectedError(
                        kind: .invalidRequest,
                        message: "This model does not support effort level 'xhigh'. Supported levels: high, low, max, medium.",
                        status: 400, requestID: "req_011Ca7jT9AHpgXgdv8igm4z9", providerCode: "invalid_request_error")),
        RecordedError(source: .cassette("errors/pydantic-ai__anthropic_404_not_found_error.yaml", 0), anthropic: true,
                      expected: ExpectedError(
                        kind: .notFound, message: "model: claude-does-not-exist", status: 404,
                        requestID: "req_011CVEA3SF7rnb3DuBZytqQa", providerCode: "not_found_error")),
        RecordedError(source: .cassette("errors/pydantic-ai__anthropic_messages_404.yaml", 0), anthropic: true,
                      expected: ExpectedError(
                        kind: .notFound, message: "model: claude-sonet-4-5", status: 404,
                        requestID: "req_011CdufXo8Y2LVfY2veyuQWG", providerCode: "not_found_error")),
        RecordedError(source: .cassette("errors/pydantic-ai__embeddings_TestOpenAI.test_embed_error.yaml", 0), anthropic: false,
                      expected: ExpectedError(
                        kind: .notFound, message: "The model `nonexistent` does not exist or you do not have access to it.",
                        status: 404, providerCode: "model_not_found")),
        RecordedError(source: .cassette("errors/pydantic-ai__openai_chat_404_model_not_found.yaml", 0), anthropic: false,
                      expected: ExpectedError(
                        kind: .notFound, message: "The model `gpt-5.2-proo` does not exist or you do not have access to it.",
                        status: 404, providerCode: "model_not_found")),
    ] + (0..<3).map { index in
        // OpenRouter: numeric `code`, the upstream reason in metadata.raw; recorded three times (retries).
        RecordedError(source: .cassette("errors/pydantic-ai__openrouter_429_rate_limited.yaml", index), anthropic: false,
                      expected: ExpectedError(
                        kind: .rateLimited,
                        message: "Provider returned error: google/gemini-2.0-flash-exp:free is temporarily rate-limited "
                            + "upstream. Please retry shortly, or add your own key to accumulate your rate limits: "
                            + "https://openrouter.ai/settings/integrations",
                        status: 429))
    } + [
        RecordedError(source: .body("errors/vercel-ai__openai_400_unsupported_parameter.json", status: 400), anthropic: false,
                      expected: ExpectedError(
                        kind: .invalidRequest,
                        message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use "
                            + "'max_completion_tokens' instead.",
                        status: 400, providerCode: "unsupported_parameter")),
        RecordedError(source: .body("errors/vercel-ai__openai_400_unsupported_parameter_null_code.json", status: 400),
                      anthropic: false,
                      expected: ExpectedError(
                        kind: .invalidRequest, message: "Unsupported parameter: 'temperature' is not supported with this model.",
                        status: 400, providerCode: "invalid_request_error")),
        // Served with 429, but out of credit is not a rate limit: never retried.
        RecordedError(source: .body("errors/vercel-ai__openai_insufficient_quota.json", status: 429), anthropic: false,
                      expected: ExpectedError(
                        kind: .budgetExceeded,
                        message: "You exceeded your current quota, please check your plan and billing details. For more "
                            + "information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.",
                        status: 429, providerCode: "insufficient_quota")),
    ]

    @Test(arguments: cases)
    func recordedErrorMaps(_ recorded: RecordedError) throws {
        let provider: any ChatProvider = recorded.anthropic ? Self.anthropic : Self.openAI
        let head: HTTPResponseHead
        let body: [UInt8]
        switch recorded.source {
        case .cassette(let file, let index):
            let response = try Recordings.interaction(file, index).response
            head = Recordings.head(response)
            body = Array(response.body)
        case .body(let file, let status):
            head = HTTPResponseHead(status: status, headers: ["content-type": "application/json"])
            body = try Recordings.bytes(file)
        }
        let error = provider.error(for: head, body: body)
        recorded.expected.check(error, provider: provider.name)
        #expect(error.retryAfter == nil)  // none of these recordings carries retry-after
    }
}
