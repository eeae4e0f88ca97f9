// Every Gemini recording in Tests/Fixtures/conformance/gemini decodes to what a
// reader of the recording sees in it (streams fed whole, byte by byte and at
// random points); errors, retry delays and request bodies as the API wants
// them. Expected values were copied by hand from the recorded bytes.
import JSON
import LLMCore
import LLMProviders
import Testing

@Suite struct GeminiConformanceTests {
    static let provider = GeminiProvider(endpoint: ProviderEndpoint(baseURL: GeminiProvider.defaultBaseURL, apiKey: "AIza-test-key-0123456789"))
    static let thoughts = "gemini/pydantic-ai__test_google_instructions_only_with_tool_calls.yaml"

    static let cases: [RecordedChat] = [
        RecordedChat(.cassette("gemini/pydantic-ai__test_google_model_stream.yaml", 0), ExpectedChat(
            id: "w1peaMz6INOvnvgPgYfPiQY", model: "gemini-2.0-flash-exp", kinds: ["text"],
            text: .exact("The capital of France is Paris.\n"),
            usage: Usage(inputTokens: 13, outputTokens: 8), finish: .stop, raw: "STOP")),
        RecordedChat(.cassette("gemini/pydantic-ai__test_google_model_iter_stream.yaml", 0), ExpectedChat(
            id: "1lpeaMTxIpW1nvgP-O3vwQY", model: "gemini-2.0-flash", kinds: ["tool"],
            tools: [ExpectedTool(id: "call_0", name: "get_capital", arguments: ["country": "France"])],
            usage: Usage(inputTokens: 52, outputTokens: 5), finish: .toolCalls, raw: "STOP")),
        RecordedChat(.cassette("gemini/pydantic-ai__test_google_model_iter_stream.yaml", 1), ExpectedChat(
            id: "11peaOXwBPH_2PgPh_z--AY", model: "gemini-2.0-flash", kinds: ["tool"],
            tools: [ExpectedTool(id: "call_0", name: "get_temperature", arguments: ["city": "Paris"])],
            usage: Usage(inputTokens: 64, outputTokens: 5), finish: .toolCalls, raw: "STOP")),
        RecordedChat(.cassette("gemini/pydantic-ai__test_google_model_iter_stream.yaml", 2), ExpectedChat(
            id: "11peaI_ZJLq3nvgP0vasuQk", model: "gemini-2.0-flash", kinds: ["text"],
            text: .exact("The temperature in Paris is 30°C.\n"),
            usage: Usage(inputTokens: 79, outputTokens: 12), finish: .stop, raw: "STOP")),
        // Thought parts first (one thinking block), then the answer; thinking tokens count as output.
        RecordedChat(.cassette("gemini/pydantic-ai__test_google_model_thinking_part_iter.yaml", 0), ExpectedChat(
            id: "beHBaJfEMIi-qtsP3769-Q8", model: "gemini-2.5-pro", kinds: ["thinking", "text"],
            text: .affixes(prefix: "This is a great question! Safely crossing the street is all ",
                           suffix: "table**. Always assume a driver might not see you.", contains: ["Here is a step-by-step guide"]),
            thinking: .affixes(prefix: "**Clarifying User Goals**\n\nI'm currently", suffix: " specific circumstances or locations.\n\n\n"),
            usage: Usage(inputTokens: 34, outputTokens: 469 + 787), finish: .stop, raw: "STOP")),
        // usageMetadata grows with the stream; the last report wins.
        RecordedChat(.cassette("gemini/pydantic-ai__test_google_stream_usage_is_live_mid_stream.yaml", 0), ExpectedChat(
            id: "ru1garvBEoOiqtsP2fznmQw", model: "gemini-2.5-flash", kinds: ["text"],
            text: .exact((1...30).map(String.init).joined(separator: "\n")),
            usage: Usage(inputTokens: 18, outputTokens: 80 + 35), finish: .stop, raw: "STOP")),
        RecordedChat(.cassette("gemini/pydantic-ai__test_google_streaming_tool_call_thought_signature.yaml", 0), ExpectedChat(
            id: "QUVVadTSNJ6_qtsPvN7J8Q0", model: "gemini-3-pro-preview", kinds: ["tool"],
            tools: [ExpectedTool(id: "call_0", name: "get_country", arguments: [:])],
            usage: Usage(inputTokens: 29, outputTokens: 10 + 202), finish: .toolCalls, raw: "STOP")),
        RecordedChat(.cassette("gemini/pydantic-ai__test_google_streaming_tool_call_thought_signature.yaml", 1), ExpectedChat(
            id: "REVVabaiCdq4qtsPnZu96Qo", model: "gemini-3-pro-preview", kinds: ["text"],
            text: .exact("The capital of Mexico is Mexico City."),
            usage: Usage(inputTokens: 257, outputTokens: 8), finish: .stop, raw: "STOP")),
        RecordedChat(.cassette("gemini/pydantic-ai__test_google_tool_output.yaml", 0), ExpectedChat(
            id: "LlteaIDvD9m7nvgPz5Sb0Aw", model: "gemini-2.0-flash", kinds: ["tool"],
            tools: [ExpectedTool(id: "call_0", name: "get_user_country", arguments: [:])],
            usage: Usage(inputTokens: 33, outputTokens: 5), finish: .toolCalls, raw: "STOP")),
        RecordedChat(.cassette("gemini/pydantic-ai__test_google_tool_output.yaml", 1), ExpectedChat(
            id: "LlteaOzCOPOdnvgPrJbnoQg", model: "gemini-2.0-flash", kinds: ["tool"],
            tools: [ExpectedTool(id: "call_0", name: "final_result", arguments: ["city": "Mexico City", "country": "Mexico"])],
            usage: Usage(inputTokens: 47, outputTokens: 8), finish: .toolCalls, raw: "STOP")),
        // Three parallel calls in one whole body; only the first carries a thought signature.
        RecordedChat(.cassette(thoughts, 0), ExpectedChat(
            id: "wOd8abGuO5rgz7IP5tLEGA", model: "gemini-3-flash-preview", kinds: ["tool", "tool", "tool"],
            tools: (0..<3).map { ExpectedTool(id: "call_\($0)", name: "generate_topic", arguments: [:]) },
            usage: Usage(inputTokens: 83, outputTokens: 30 + 190), finish: .toolCalls, raw: "STOP")),
        RecordedChat(.cassette(thoughts, 1), ExpectedChat(
            id: "wud8aZm_Lf6tz7IP37eN4A8", model: "gemini-3-flash-preview", kinds: ["tool"],
            tools: [ExpectedTool(id: "call_0", name: "generate_topic", arguments: [:])],
            usage: Usage(inputTokens: 348, outputTokens: 10 + 40), finish: .toolCalls, raw: "STOP")),
        RecordedChat(.cassette(thoughts, 2), ExpectedChat(
            id: "xOd8af-EN9nRz7IPqJDR-AM", model: "gemini-3-flash-preview", kinds: ["tool"],
            tools: [ExpectedTool(id: "call_0", name: "generate_topic", arguments: [:])],
            usage: Usage(inputTokens: 415, outputTokens: 10 + 105), finish: .toolCalls, raw: "STOP")),
        RecordedChat(.cassette(thoughts, 3), ExpectedChat(
            id: "xud8aaquOP6tz7IP67eN4A8", model: "gemini-3-flash-preview", kinds: ["tool"],
            tools: [ExpectedTool(id: "call_0", name: "generate_topic", arguments: [:])],
            usage: Usage(inputTokens: 546, outputTokens: 10 + 106), finish: .toolCalls, raw: "STOP")),
        RecordedChat(.cassette(thoughts, 4), ExpectedChat(
            id: "yud8adv2DI2Hz7IP766XuAM", model: "gemini-3-flash-preview", kinds: ["tool"],
            tools: [ExpectedTool(id: "call_0", name: "final_result", arguments: ["response": [
                "What kind of car does a sheep drive? A Lamborghini!",
                "Why don't you see penguins in Great Britain? Because they're afraid of Wales!",
                "What happened when the wheel was invented? It caused a revolution!",
            ]])],
            usage: Usage(inputTokens: 679, outputTokens: 65 + 235), finish: .toolCalls, raw: "STOP")),
    ]

    static let embeddings = [
        "gemini/pydantic-ai__embeddings_TestGoogle.test_query.yaml",
        "gemini/pydantic-ai__embeddings_TestGoogle.test_documents.yaml",
        "gemini/pydantic-ai__embeddings_TestGoogle.test_embed_error.yaml",
    ]

    @Test(arguments: cases)
    func recordingDecodes(_ recorded: RecordedChat) throws {
        recorded.expected.check(try recorded.decode(with: Self.provider))
    }

    @Test func streamedCallKeepsItsThoughtSignatureAndSendsItBack() throws {
        let file = "gemini/pydantic-ai__test_google_streaming_tool_call_thought_signature.yaml"
        let outcome = StreamHarness.runAll(Self.provider, Array(try Recordings.interaction(file, 0).response.body))
        let response = try #require(outcome.response)
        let call = try #require(response.toolCalls.first)
        #expect(call.signature?.hasPrefix("EpwICpkIAXLI2nxlU6gsWZaZHRYk") == true)
        #expect(call.signature?.hasSuffix("XOk15QuFyU=") == true)
        // The next turn: the call with its signature, then the function's answer under its name.
        let request = ChatRequest(model: "gemini-3-pro-preview", messages: [
            Message(role: .user, text: "What is the capital of the user country? Call the tool"),
            response.message,
            Message(role: .tool, content: [.toolResult(toolCallID: call.id, content: "Mexico", isError: false)]),
        ])
        let http = try Self.provider.chatRequest(request, stream: true)
        #expect(http.url == "https://generativelanguage.googleapis.com/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse")
        #expect(http.headers.contains { $0.name == "x-goog-api-key" && $0.value == "AIza-test-key-0123456789" })
        let body = try JSONParser().parse(http.body)
        let contents = try #require(body["contents"]?.arrayValue)
        #expect(contents.map { $0["role"]?.stringValue } == ["user", "model", "user"])
        let sent = try #require(contents[1]["parts"]?.arrayValue?.first)
        #expect(sent["thoughtSignature"]?.stringValue == call.signature)
        #expect(sent["functionCall"]?["name"]?.stringValue == "get_country")
        let answer = try #require(contents[2]["parts"]?.arrayValue?.first?["functionResponse"])
        #expect(answer["name"]?.stringValue == "get_country")
        #expect(answer["id"]?.stringValue == call.id)
        #expect(answer["response"] == ["output": "Mexico"])
    }

    @Test func parallelCallsKeepOnlyTheirOwnSignatures() throws {
        let response = try Self.provider.parseChatResponse(Array(try Recordings.interaction(Self.thoughts, 0).response.body))
        #expect(response.toolCalls.map { $0.signature != nil } == [true, false, false])
    }

    @Test func requestBodyHasGeminiShape() throws {
        let request = ChatRequest(
            model: "models/gemini-2.5-flash", messages: [Message(role: .user, text: "hi")], system: "Be brief.", maxTokens: 100,
            temperature: 0.5, stop: ["END"],
            tools: [ToolDefinition(name: "add", description: "Adds", parameters: ["type": "object"])], toolChoice: .tool("add"),
            responseSchema: ["type": "object"])
        let http = try Self.provider.chatRequest(request, stream: false)
        #expect(http.url == "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent")
        let body = try JSONParser().parse(http.body)
        #expect(body["systemInstruction"] == ["parts": [["text": "Be brief."]]])
        #expect(body["generationConfig"] == [
            "maxOutputTokens": 100, "temperature": 0.5, "stopSequences": ["END"],
            "responseMimeType": "application/json", "responseJsonSchema": ["type": "object"],
        ])
        #expect(body["tools"] == [["functionDeclarations": [["name": "add", "description": "Adds", "parametersJsonSchema": ["type": "object"]]]]])
        #expect(body["toolConfig"] == ["functionCallingConfig": ["mode": "ANY", "allowedFunctionNames": ["add"]]])
        // A base URL with its own query keeps it, after alt=sse.
        let proxied = GeminiProvider(endpoint: ProviderEndpoint(baseURL: "http://127.0.0.1:9/v1beta?tenant=a", apiKey: nil))
        #expect(try proxied.chatRequest(request, stream: true).url == "http://127.0.0.1:9/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&tenant=a")
    }

    @Test func aToolResultForAnUnknownCallIsAnInvalidRequest() {
        let request = ChatRequest(model: "gemini-2.5-flash", messages: [
            Message(role: .tool, content: [.toolResult(toolCallID: "nope", content: "1", isError: false)]),
        ])
        let error = caught { () throws(LLMError) in try Self.provider.chatRequest(request, stream: false) }
        #expect(error?.kind == .invalidRequest)
        #expect(error?.message.contains("tool result for 'nope' answers no tool call") == true)
    }

    @Test func embeddingsDecodeInOrder() throws {
        let query = try Self.provider.parseEmbeddingResponse(Array(try Recordings.interaction(Self.embeddings[0], 0).response.body))
        #expect(query.vectors.count == 1)
        #expect(query.vectors[0].count == 3072)
        #expect(query.vectors[0].prefix(2) == [-0.022495363, 0.004016586])
        let documents = try Self.provider.parseEmbeddingResponse(Array(try Recordings.interaction(Self.embeddings[1], 0).response.body))
        #expect(documents.vectors.map(\.count) == [3072, 3072])
        #expect(documents.vectors[0].prefix(2) == [-0.006419318, 0.011005008])
        let http = try Self.provider.embeddingRequest(EmbeddingRequest(model: "gemini-embedding-001", inputs: ["a", "b"], dimensions: 8))
        #expect(http.url.hasSuffix("/v1beta/models/gemini-embedding-001:batchEmbedContents"))
        let body = try JSONParser().parse(http.body)
        #expect(body["requests"]?.arrayValue?.map { $0["content"]?["parts"]?.arrayValue?.first?["text"]?.stringValue } == ["a", "b"])
        #expect(body["requests"]?.arrayValue?.first?["model"]?.stringValue == "models/gemini-embedding-001")
        #expect(body["requests"]?.arrayValue?.first?["outputDimensionality"]?.intValue == 8)
    }

    @Test func recordedErrorsAreTyped() throws {
        let response = try Recordings.interaction(Self.embeddings[2], 0).response
        let error = Self.provider.error(for: Recordings.head(response), body: Array(response.body))
        #expect(error.kind == .notFound)
        #expect(error.status == 404)
        #expect(error.providerCode == "NOT_FOUND")
        #expect(error.message.hasPrefix("models/nonexistent-model is not found for API version v1beta"))
        #expect(error.retryAfter == nil)
    }

    @Test func resourceExhaustedHonoursRetryInfo() {
        let body = #"""
            {"error":{"code":429,"message":"You exceeded your current quota.","status":"RESOURCE_EXHAUSTED","details":[
             {"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[]},
             {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"37s"}]}}
            """#
        let error = Self.provider.error(for: HTTPResponseHead(status: 429, headers: [:]), body: Array(body.utf8))
        #expect(error.kind == .rateLimited)
        #expect(error.retryAfter == 37)
        #expect(error.providerCode == "RESOURCE_EXHAUSTED")
        // A retry-after header, where a proxy adds one, wins.
        let headed = Self.provider.error(for: HTTPResponseHead(status: 429, headers: ["retry-after": "2"]), body: Array(body.utf8))
        #expect(headed.retryAfter == 2)
        // An error inside a 200 stream is the stream's failure.
        let stream = "data: {\"error\":{\"code\":503,\"message\":\"The model is overloaded.\",\"status\":\"UNAVAILABLE\"}}\r\n\r\n"
        let outcome = StreamHarness.runAll(Self.provider, Array(stream.utf8))
        #expect(outcome.error?.kind == .server)
        #expect(outcome.error?.message == "The model is overloaded.")
    }

    @Test func aStreamWithoutFinishReasonEndedEarly() throws {
        let file = "gemini/pydantic-ai__test_google_model_stream.yaml"
        let body = Array(try Recordings.interaction(file, 0).response.body)
        let cut = Array(String(decoding: body, as: UTF8.self).components(separatedBy: "\r\n\r\n").dropLast(2).joined(separator: "\r\n\r\n").utf8) + Array("\r\n\r\n".utf8)
        let outcome = StreamHarness.runAll(Self.provider, cut)
        #expect(outcome.error?.kind == .badResponse)
        #expect(outcome.error?.message == "stream ended before a finishReason")
    }
}
