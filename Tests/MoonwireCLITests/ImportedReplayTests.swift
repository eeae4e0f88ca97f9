// Imported cassettes replay through the providers with the same results as
// the recordings themselves: each response, as the cassette now holds it
// (SSE split into chunks, gzip decoded, parsed_body re-serialised), goes
// through the provider's parser chunk by chunk. The expected values are the
// ones Tests/LLMProvidersTests read by hand from the same YAML files.
import Foundation
import JSON
import LLMCore
import LLMProviders
import Testing

@Suite("Imported VCR cassettes replay through the providers")
struct ImportedReplayTests {
    static let anthropic = AnthropicProvider(endpoint: ProviderEndpoint(baseURL: AnthropicProvider.defaultBaseURL, apiKey: "k"))
    static let openAI = OpenAIProvider()

    /// The interaction's response decoded the way a replay delivers it: a stream
    /// one recorded chunk at a time, a whole body at once.
    private func decode(_ file: String, _ index: Int, with provider: any ChatProvider) throws -> ChatResponse {
        let (cassette, _) = try ImportedCassette.load(file)
        let response = try #require(cassette.interactions[index].response)
        #expect(response.status == 200)
        guard let chunks = response.chunks else {
            return try provider.parseChatResponse(try #require(response.body).bytes)
        }
        var parser = provider.makeStreamParser()
        var accumulator = StreamAccumulator()
        for chunk in chunks {
            let events = try chunk.bytes.withUnsafeBytes { buffer in
                Result { () throws(LLMError) in try parser.feed(buffer) }
            }.get()
            for event in events { try accumulator.apply(event) }
        }
        for event in try parser.finish() { try accumulator.apply(event) }
        return try accumulator.finish()
    }

    private func toolCalls(_ response: ChatResponse) -> [String] {
        response.toolCalls.map { "\($0.id) \($0.name) \((try? JSONWriter(options: .sortedKeys).string($0.arguments)) ?? "?")" }
    }

    @Test("llm-anthropic test_prompt: an Anthropic text stream")
    func anthropicText() throws {
        let r = try decode("anthropic/llm-anthropic__test_prompt.yaml", 0, with: Self.anthropic)
        #expect(r.id == "msg_017A4s3HAsrqf5d2WvBmrpLr")
        #expect(r.text == "- Captain\n- Scoop")
        #expect(r.usage == Usage(inputTokens: 17, outputTokens: 10))
        #expect(r.finishReason == .stop && r.rawFinishReason == "end_turn")
    }

    @Test("llm-anthropic test_tools: gzip-recorded streams, parallel tool calls then text")
    func anthropicGzipTools() throws {
        let first = try decode("anthropic/llm-anthropic__test_tools.yaml", 0, with: Self.anthropic)
        #expect(first.id == "msg_01V2noLbAb2NgKnjaNw6Cn3w")
        #expect(toolCalls(first) == [
            "toolu_01LtHJmixrs9NcWQkK8hu8hj pelican_name_generator {}",
            "toolu_01N8a4jWyf116qKTMqKKmjyt pelican_name_generator {}",
        ])
        #expect(first.usage == Usage(inputTokens: 542, outputTokens: 62))
        #expect(first.finishReason == .toolCalls && first.rawFinishReason == "tool_use")
        let second = try decode("anthropic/llm-anthropic__test_tools.yaml", 1, with: Self.anthropic)
        #expect(second.id == "msg_01XMATm4UFnjP841TckVuNF4")
        #expect(second.text.hasPrefix("Here are two great names for your pet pelican:\n\n1. **Charles**"))
        #expect(second.text.hasSuffix("excellent name for your feathered friend! 🦅"))
        #expect(second.usage == Usage(inputTokens: 678, outputTokens: 82))
        #expect(second.finishReason == .stop)
    }

    @Test("pydantic-ai parallel tool calls: a non-streamed parsed_body response")
    func anthropicWholeBody() throws {
        let r = try decode("anthropic/pydantic-ai__test_multiple_parallel_tool_calls.yaml", 0, with: Self.anthropic)
        #expect(r.id == "msg_011S3wxtqL5CVescWqS3zeg2")
        #expect(r.text.hasPrefix("I'll help you find out who is the youngest"))
        #expect(toolCalls(r) == [
            #"toolu_0167cfEnoQaPviGdVXA95zcu retrieve_entity_info {"name":"Alice"}"#,
            #"toolu_01EEe2V5HD1Ac4rKiUR4HD2T retrieve_entity_info {"name":"Bob"}"#,
            #"toolu_01XFyAjstT3966qvRynZyVPo retrieve_entity_info {"name":"Charlie"}"#,
            #"toolu_013mnQZbgtK2oe3Mo3XKJsx3 retrieve_entity_info {"name":"Daisy"}"#,
        ])
        #expect(r.usage == Usage(inputTokens: 423, outputTokens: 202))
        #expect(r.finishReason == .toolCalls && r.rawFinishReason == "tool_use")
    }

    @Test("llm test_tool_use_basic: an OpenAI stream with split tool arguments, then text")
    func openAIStream() throws {
        let first = try decode("openai/llm__test_tool_use_basic.yaml", 0, with: Self.openAI)
        #expect(first.id == "chatcmpl-BWlJBDk2xe66hjff60joVYpXi1hh4")
        #expect(toolCalls(first) == [#"call_1EYWDzueHEp8OsB8jJSEp7WB multiply {"a":1231,"b":2331}"#])
        #expect(first.usage == Usage(inputTokens: 54, outputTokens: 20))
        #expect(first.finishReason == .toolCalls && first.rawFinishReason == "tool_calls")
        let second = try decode("openai/llm__test_tool_use_basic.yaml", 1, with: Self.openAI)
        #expect(second.text == #"The result of \( 1231 \times 2331 \) is \( 2,869,461 \)."#)
        #expect(second.usage == Usage(inputTokens: 87, outputTokens: 26))
        #expect(second.finishReason == .stop)
    }

    @Test("recorded errors map to the same typed errors (status, request id, code)")
    func errors() throws {
        let (anthropic, _) = try ImportedCassette.load("errors/pydantic-ai__anthropic_404_not_found_error.yaml")
        let notFound = try #require(anthropic.interactions[0].response)
        let e = Self.anthropic.error(for: HTTPResponseHead(status: notFound.status, headers: notFound.headers), body: notFound.bodyBytes)
        #expect(e.kind == .notFound && e.status == 404)
        #expect(e.message == "model: claude-does-not-exist")
        #expect(e.requestID == "req_011CVEA3SF7rnb3DuBZytqQa" && e.providerCode == "not_found_error")

        let (openRouter, _) = try ImportedCassette.load("errors/pydantic-ai__openrouter_429_rate_limited.yaml")
        #expect(openRouter.interactions.count == 3)
        let limited = try #require(openRouter.interactions[0].response)
        let r = Self.openAI.error(for: HTTPResponseHead(status: limited.status, headers: limited.headers), body: limited.bodyBytes)
        #expect(r.kind == .rateLimited && r.status == 429)
        #expect(r.message.hasPrefix("Provider returned error: google/gemini-2.0-flash-exp:free is temporarily rate-limited"))
    }
}
