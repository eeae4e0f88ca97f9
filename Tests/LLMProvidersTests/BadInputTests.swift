// Streams and bodies that are broken, cut short or odd: each ends in the right
// typed error (or is repaired, where the repair is documented), whatever the
// split points.
import Foundation
import JSON
import LLMCore
import LLMProviders
import Testing

@Suite struct BadInputTests {
    let anthropic = AnthropicProvider(endpoint: ProviderEndpoint(baseURL: AnthropicProvider.defaultBaseURL, apiKey: "k"))
    let openAI = OpenAIProvider()

    func sse(_ events: [(String, String)]) -> [UInt8] {
        Array(events.map { "event: \($0.0)\ndata: \($0.1)\n\n" }.joined().utf8)
    }

    func data(_ lines: [String]) -> [UInt8] {
        Array(lines.map { "data: \($0)\n\n" }.joined().utf8)
    }

    static let start = ("message_start", #"{"type":"message_start","message":{"id":"msg_1","model":"m","usage":{"input_tokens":5,"output_tokens":1}}}"#)
    static let stop = ("message_stop", #"{"type":"message_stop"}"#)

    @Test func anthropicTruncatedStream() throws {
        let full = try Array(Recordings.interaction("anthropic/llm-anthropic__test_prompt.yaml", 0).response.body)
        // Cut just before the final message_stop event.
        let stop = try #require(full.firstRange(of: Array("event: message_stop".utf8)))
        let cut = Array(full[..<stop.lowerBound])
        let outcome = StreamHarness.runAll(anthropic, cut)
        #expect(outcome.error?.kind == .badResponse)
        #expect(outcome.error?.message == "stream ended before message_stop")
        #expect(outcome.error?.provider == "anthropic")
        // The text so far was delivered as events before the failure.
        let text = outcome.events.compactMap { if case .textDelta(_, let t) = $0 { t } else { nil } }.joined()
        #expect(text == "- Captain\n- Scoop")
    }

    @Test func openAITruncatedStream() throws {
        let lines = try ChunkFixtureLines.openAIText()
        let outcome = StreamHarness.runAll(openAI, data(Array(lines.prefix(40))))
        #expect(outcome.error?.kind == .badResponse)
        #expect(outcome.error?.message == "stream ended before [DONE]")
    }

    /// Some compatible servers end after finish_reason without [DONE]: accepted.
    @Test func openAIFinishReasonWithoutDone() throws {
        let outcome = StreamHarness.runAll(openAI, data([
            #"{"id":"c1","model":"m","choices":[{"index":0,"delta":{"content":"Hi"}}]}"#,
            #"{"id":"c1","model":"m","choices":[{"index":0,"delta":{},"finish_reason":"length"}]}"#,
        ]))
        #expect(outcome.error == nil)
        #expect(outcome.response?.text == "Hi")
        #expect(outcome.response?.finishReason == .length)
    }

    @Test func invalidJSONInADataLine() {
        let anthropicOutcome = StreamHarness.runAll(anthropic, sse([
            Self.start, ("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"text""#),
        ]))
        #expect(anthropicOutcome.error?.kind == .badResponse)
        #expect(anthropicOutcome.error?.message.hasPrefix("content_block_start event data is not valid JSON") == true)
        let openAIOutcome = StreamHarness.runAll(openAI, data([#"{"id":"c1","choices":[{"delta":{"content":"Hi"}}"#]))
        #expect(openAIOutcome.error?.kind == .badResponse)
        #expect(openAIOutcome.error?.message.hasPrefix("stream chunk is not valid JSON") == true)
    }

    @Test func unknownEventTypesAreIgnored() {
        let outcome = StreamHarness.runAll(anthropic, sse([
            Self.start,
            ("future_event", #"{"type":"future_event","detail":{"x":1}}"#),
            ("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#),
            ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"ok"}}"#),
            ("content_block_stop", #"{"type":"content_block_stop","index":0}"#),
            // A block type we do not model is skipped whole, without leaving a gap in our indices.
            ("content_block_start", #"{"type":"content_block_start","index":1,"content_block":{"type":"web_search_tool_result","content":[]}}"#),
            ("content_block_stop", #"{"type":"content_block_stop","index":1}"#),
            ("content_block_start", #"{"type":"content_block_start","index":2,"content_block":{"type":"text","text":""}}"#),
            ("content_block_delta", #"{"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":"!"}}"#),
            ("content_block_stop", #"{"type":"content_block_stop","index":2}"#),
            ("message_delta", #"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":3}}"#),
            Self.stop,
        ]))
        #expect(outcome.error == nil)
        #expect(outcome.response?.message.content == [.text("ok"), .text("!")])
        #expect(outcome.response?.usage == Usage(inputTokens: 5, outputTokens: 3))
    }

    @Test func htmlBodyWithStatus200() {
        let html = Array("<!DOCTYPE html>\n<html><head><title>Just a moment...</title></head><body>cf</body></html>".utf8)
        for provider in [anthropic, openAI] as [any ChatProvider] {
            let error = caught { () throws(LLMError) in try provider.parseChatResponse(html) }
            #expect(error?.kind == .badResponse)
            #expect(error?.message.contains("response body is not valid JSON") == true)
            #expect(error?.message.hasSuffix(#"HTML page "Just a moment...""#) == true, "\(error?.message ?? "")")
        }
    }

    @Test func toolArgumentsThatAreNotJSONNameTheTool() {
        let anthropicOutcome = StreamHarness.runAll(anthropic, sse([
            Self.start,
            ("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}}"#),
            ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"city\": \"Par"}}"#),
            ("content_block_stop", #"{"type":"content_block_stop","index":0}"#),
            Self.stop,
        ]))
        #expect(anthropicOutcome.error?.kind == .badResponse)
        #expect(anthropicOutcome.error?.message.hasPrefix("arguments of tool 'get_weather' are not valid JSON") == true)

        let openAIOutcome = StreamHarness.runAll(openAI, data([
            #"{"id":"c1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","function":{"name":"lookup","arguments":"{'q': 1}"}}]}}]}"#,
            #"{"id":"c1","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#,
            "[DONE]",
        ]))
        #expect(openAIOutcome.error?.kind == .badResponse)
        #expect(openAIOutcome.error?.message.hasPrefix("arguments of tool 'lookup' are not valid JSON") == true)

        let body = #"{"choices":[{"message":{"tool_calls":[{"id":"c","function":{"name":"calc","arguments":"1 +"}}]}}]}"#
        let whole = caught { () throws(LLMError) in try openAI.parseChatResponse(Array(body.utf8)) }
        #expect(whole?.message.hasPrefix("arguments of tool 'calc' are not valid JSON") == true)
    }

    /// Servers that number parallel calls 0, 0 (or not at all) are repaired by id.
    @Test func parallelCallsReusingIndexZero() {
        let outcome = StreamHarness.runAll(openAI, data([
            #"{"id":"c1","model":"m","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"get_weather","arguments":""}}]}}]}"#,
            #"{"id":"c1","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":\"Paris\"}"}}]}}]}"#,
            #"{"id":"c1","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_b","type":"function","function":{"name":"get_weather","arguments":"{\"city\":"}}]}}]}"#,
            #"{"id":"c1","model":"m","choices":[{"index":0,"delta":{"tool_calls":[{"function":{"arguments":"\"Rome\"}"}}]}}]}"#,
            #"{"id":"c1","model":"m","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#,
            "[DONE]",
        ]))
        #expect(outcome.error == nil)
        #expect(outcome.response?.toolCalls == [
            ToolCall(id: "call_a", name: "get_weather", arguments: ["city": "Paris"]),
            ToolCall(id: "call_b", name: "get_weather", arguments: ["city": "Rome"]),
        ])
        #expect(outcome.events.contains(.toolInputStart(index: 1, id: "call_b", name: "get_weather")))
    }

    @Test func callsWithoutIndexOrIDAreSplitByName() {
        let outcome = StreamHarness.runAll(openAI, data([
            #"{"choices":[{"delta":{"tool_calls":[{"function":{"name":"a","arguments":"{}"}}]}}]}"#,
            #"{"choices":[{"delta":{"tool_calls":[{"function":{"name":"b","arguments":"{\"x\":"}}]}}]}"#,
            #"{"choices":[{"delta":{"tool_calls":[{"function":{"arguments":"1}"}}]}}]}"#,
            "[DONE]",
        ]))
        #expect(outcome.response?.toolCalls == [
            ToolCall(id: "call_0", name: "a", arguments: [:]), ToolCall(id: "call_1", name: "b", arguments: ["x": 1]),
        ])
        #expect(outcome.response?.finishReason == .toolCalls && outcome.response?.rawFinishReason == nil)
    }

    @Test func outOfOrderAnthropicEvents() {
        let deltaBeforeStart = StreamHarness.runAll(anthropic, sse([
            Self.start,
            ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}}"#),
        ]))
        #expect(deltaBeforeStart.error?.message == "stream event out of order: content_block_delta for content block 0, never started")
        let deltaAfterStop = StreamHarness.runAll(anthropic, sse([
            Self.start,
            ("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#),
            ("content_block_stop", #"{"type":"content_block_stop","index":0}"#),
            ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}}"#),
        ]))
        #expect(deltaAfterStop.error?.message == "stream event out of order: content_block_delta for content block 0 after its stop")
        let twoStarts = StreamHarness.runAll(anthropic, sse([Self.start, Self.start]))
        #expect(twoStarts.error?.message == "stream event out of order: a second message_start")
        let wrongDelta = StreamHarness.runAll(anthropic, sse([
            Self.start,
            ("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#),
            ("content_block_delta", #"{"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{"}}"#),
        ]))
        #expect(wrongDelta.error?.kind == .badResponse)
    }

    /// An HTTP-200 stream whose event is an error is classified like its status would be.
    @Test(arguments: [
        ("overloaded_error", LLMError.Kind.overloaded), ("rate_limit_error", .rateLimited), ("api_error", .server),
        ("invalid_request_error", .invalidRequest), ("authentication_error", .auth), ("brand_new_error", .server),
    ])
    func anthropicErrorEvent(type: String, kind: LLMError.Kind) {
        // The recorded wire form pads the JSON with spaces (brainlid/langchain#193).
        let outcome = StreamHarness.runAll(anthropic, sse([
            ("error", #"{"type":"error","error":{"details":null,"type":"\#(type)","message":"Overloaded"}        }"#),
        ]))
        #expect(outcome.error?.kind == kind)
        #expect(outcome.error?.message == "Overloaded")
        #expect(outcome.error?.providerCode == type)
        #expect(outcome.error?.status == nil)
    }

    @Test func openAIErrorChunk() {
        let outcome = StreamHarness.runAll(openAI, data([
            #"{"id":"c1","choices":[{"index":0,"delta":{"content":"Hel"}}]}"#,
            #"{"error":{"message":"The server is overloaded","type":"server_error","code":null}}"#,
        ]))
        #expect(outcome.error?.kind == .server)
        #expect(outcome.error?.message == "The server is overloaded")
        let ollama = StreamHarness.runAll(openAI, data([#"{"error":"an error was encountered while running the model"}"#]))
        #expect(ollama.error?.message == "an error was encountered while running the model")
        #expect(ollama.error?.kind == .server)
    }

    @Test func dataAfterDoneIsAnError() {
        let outcome = StreamHarness.runAll(openAI, data([
            #"{"choices":[{"delta":{"content":"a"}}]}"#, "[DONE]", #"{"choices":[{"delta":{"content":"b"}}]}"#,
        ]))
        #expect(outcome.error?.message == "stream data after [DONE]")
    }

    @Test func contextLengthAndHTMLErrorBodies() {
        let tooLong = Array(#"{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 208310 tokens > 200000 maximum"}}"#.utf8)
        let error = anthropic.error(for: HTTPResponseHead(status: 400, headers: ["request-id": "req_9"]), body: tooLong)
        #expect(error.kind == .contextLength)
        #expect(error.requestID == "req_9")
        let openAITooLong = Array(#"{"error":{"message":"This model's maximum context length is 8192 tokens.","type":"invalid_request_error","code":"context_length_exceeded"}}"#.utf8)
        #expect(openAI.error(for: HTTPResponseHead(status: 400), body: openAITooLong).kind == .contextLength)

        let page = Array("<html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>".utf8)
        let gateway = openAI.error(for: HTTPResponseHead(status: 502, headers: ["content-type": "text/html"]), body: page)
        #expect(gateway.kind == .server)
        #expect(gateway.message == #"HTTP 502 with an unexpected body (text/html): HTML page "502 Bad Gateway""#)
        let plain = anthropic.error(for: HTTPResponseHead(status: 529), body: Array("overloaded, try later".utf8))
        #expect(plain.kind == .overloaded)
        #expect(plain.message == "HTTP 529 with an unexpected body: overloaded, try later")
    }

    @Test(arguments: [
        (400, LLMError.Kind.invalidRequest), (401, .auth), (403, .auth), (404, .notFound), (408, .timeout),
        (409, .server), (413, .invalidRequest), (422, .invalidRequest), (429, .rateLimited), (500, .server),
        (502, .server), (503, .server), (504, .server), (529, .overloaded),
    ])
    func statusMapping(status: Int, kind: LLMError.Kind) {
        #expect(anthropic.error(for: HTTPResponseHead(status: status), body: []).kind == kind)
        #expect(openAI.error(for: HTTPResponseHead(status: status), body: Array("{}".utf8)).kind == kind)
    }
}

enum ChunkFixtureLines {
    static func openAIText() throws -> [String] {
        let body = try Recordings.openAISSE("openai/vercel-ai__openai-text.chunks.txt")
        return String(decoding: body, as: UTF8.self).components(separatedBy: "\n\n")
            .filter { !$0.isEmpty }.map { String($0.dropFirst("data: ".count)) }
    }
}
