import FakeProvider
import Foundation
import JSON
import Testing
import TestSupport

/// llm.chat / llm.stream against a FakeProvider on 127.0.0.1.
@Suite("llm.chat and llm.stream over HTTP")
struct ChatTests {
    private func harness(_ server: FakeProviderServer) -> LuaHarness {
        LuaHarness(environment: [
            "ANTHROPIC_BASE_URL": server.baseURL, "ANTHROPIC_API_KEY": "sk-ant-test-key",
            "OPENAI_BASE_URL": server.baseURL + "/v1", "OPENAI_API_KEY": "sk-openai-test-key",
        ])
    }

    @Test("a streamed Anthropic answer reaches on_text token by token and builds the response")
    func anthropicStreaming() throws {
        let server = FakeProviderServer(responses: [.anthropicText(["Hel", "lo", " world"], inputTokens: 12)])
        try server.start()
        defer { server.stop() }
        let h = harness(server)
        try h.mustRun("""
            local parts = {}
            local r = llm.chat{ model = "claude-test", prompt = "Say hello", max_tokens = 50,
                                on_text = function(t) parts[#parts + 1] = t end }
            result = { text = r.text, parts = parts, stop = r.stop_reason, input = r.usage.input_tokens,
                       provider = r.provider, steps = r.steps, n = #r.messages }
            """)
        let r = try h.global("result")
        #expect(r["text"] == "Hello world")
        #expect(r["parts"] == .array(["Hel", "lo", " world"]))
        #expect(r["stop"] == "stop")
        #expect(r["input"] == .int(12))
        #expect(r["provider"] == "anthropic")
        #expect(r["steps"] == .int(1))
        #expect(r["n"] == .int(2))
        let request = try #require(server.requests.first)
        #expect(request.path == "/v1/messages")
        #expect(request.header("x-api-key") == "sk-ant-test-key")
        let body = try JSONParser.parse(request.body)
        #expect(body["model"] == "claude-test")
        #expect(body["max_tokens"] == .int(50))
        #expect(body["stream"] == .bool(true))
        #expect(body["messages"]?[0]?["role"] == "user")
    }

    @Test("an OpenAI-compatible stream through llm.stream yields events as they arrive")
    func openAIStreamIterator() throws {
        let server = FakeProviderServer(responses: [.openAIText(["A", "B", "C"])])
        try server.start()
        defer { server.stop() }
        let h = harness(server)
        try h.mustRun("""
            local types, text = {}, ""
            for ev in llm.stream{ model = "gpt-test", prompt = "abc" } do
              types[#types + 1] = ev.type
              if ev.type == "text" then text = text .. ev.text end
            end
            result = { types = types, text = text }
            """)
        let r = try h.global("result")
        #expect(r["text"] == "ABC")
        let types = r["types"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(types.filter { $0 == "text" }.count == 3)
        #expect(types.last == "finish" || types.last == "usage")
        let request = try #require(server.requests.first)
        #expect(request.path == "/v1/chat/completions")
        #expect(request.header("authorization") == "Bearer sk-openai-test-key")
    }

    @Test("streaming is live: the first token reaches Lua long before the last is sent")
    func liveStreaming() throws {
        let tokens = (1...8).map { "t\($0) " }
        let server = FakeProviderServer(responses: [.anthropicText(tokens, interval: 0.05)])
        try server.start()
        defer { server.stop() }
        let h = harness(server)
        var seen: [Double] = []
        h.register("stamp") { _ in seen.append(server.now); return 0 }
        try h.mustRun("llm.chat{ model = 'claude-test', prompt = 'x', on_text = function() stamp() end }")
        let sent = try #require(server.chunkSendTimes.first)
        #expect(seen.count == tokens.count)
        #expect(seen == seen.sorted())
        // The first token was in Lua before the server had even sent the last one.
        let lastSent = try #require(sent.last)
        #expect(seen[0] < lastSent)
        // Each token arrived after it was sent and before the next one was sent
        // (the server waits 50 ms between tokens).
        // anthropicText sends 3 framing chunks, then one chunk per token, then 3 more.
        try #require(sent.count == tokens.count + 6)
        let tokenSends = Array(sent[3..<(3 + tokens.count)])
        for (i, t) in seen.enumerated() where i + 1 < tokenSends.count {
            #expect(t < tokenSends[i + 1], "token \(i) reached Lua after token \(i + 1) was sent")
        }
    }

    @Test("a Lua error in on_text aborts the transfer and reaches the script with its traceback")
    func callbackError() throws {
        let server = FakeProviderServer(responses: [
            .anthropicText(["one", "two", "three", "four"], interval: 0.05),
            .anthropicText(["after"]),
        ])
        try server.start()
        defer { server.stop() }
        let h = harness(server)
        try h.mustRun("""
            local function explode(t) error("callback exploded on " .. t) end
            local ok, err = pcall(llm.chat, { model = 'claude-test', prompt = 'x', on_text = explode })
            first = { ok = ok, err = tostring(err) }
            second = llm.chat{ model = 'claude-test', prompt = 'again' }.text
            """)
        let first = try h.global("first")
        #expect(first["ok"] == .bool(false))
        // Raised as it was (issue 11): the message with its position, no traceback added.
        #expect(first["err"]?.stringValue == "test:1: callback exploded on one")
        #expect(try h.global("second") == "after")
        #expect(server.waitUntil { $0.closedByClientCount >= 1 })
    }

    @Test("two parallel tool calls run, their results go back, and the answer comes")
    func toolLoop() throws {
        let server = FakeProviderServer(responses: [AnthropicStreams.twoToolCalls(), AnthropicStreams.finalText("Paris 21, Oslo 4.")])
        try server.start()
        defer { server.stop() }
        let h = harness(server)
        try h.mustRun("""
            local calls = {}
            local r = llm.chat{ model = 'claude-test', prompt = 'Weather in Paris and Oslo?', tools = {
              { name = "get_weather", description = "Weather for a city",
                parameters = { type = "object", properties = { city = { type = "string" } }, required = { "city" } },
                fn = function(args) calls[#calls + 1] = args.city; return { city = args.city, temp_c = args.city == "Paris" and 21 or 4 } end } } }
            result = { text = r.text, calls = calls, steps = r.steps, n = #r.messages, output = r.usage.output_tokens }
            """)
        let r = try h.global("result")
        #expect(r["text"] == "Paris 21, Oslo 4.")
        #expect(r["calls"] == .array(["Paris", "Oslo"]))
        #expect(r["steps"] == .int(2))
        #expect(r["n"] == .int(5))  // user, assistant(tool_use ×2), tool, tool, assistant
        #expect(r["output"] == .int(42))
        #expect(server.requests.count == 2)
        let second = try JSONParser.parse(server.requests[1].body)
        let messages = try #require(second["messages"]?.arrayValue)
        #expect(messages.count == 3)
        let results = try #require(messages[2]["content"]?.arrayValue)
        #expect(messages[2]["role"] == "user")
        #expect(results.map { $0["type"] } == ["tool_result", "tool_result"])
        #expect(results.map { $0["tool_use_id"] } == ["toolu_1", "toolu_2"])
        #expect(results[0]["content"]?.stringValue?.contains("\"temp_c\":21") == true)
    }

    @Test("a tool that raises sends its error to the model; max_steps stops the loop with the transcript")
    func toolErrorsAndMaxSteps() throws {
        let server = FakeProviderServer(responses: [AnthropicStreams.twoToolCalls(), AnthropicStreams.twoToolCalls()])
        try server.start()
        defer { server.stop() }
        let h = harness(server)
        try h.mustRun("""
            local ok, err = pcall(llm.chat, { model = 'claude-test', prompt = 'x', max_steps = 2, tools = {
              { name = "get_weather", fn = function(args) error("weather service down") end } } })
            result = { ok = ok, kind = err.kind, n = #err.transcript, text = tostring(err) }
            """)
        let r = try h.global("result")
        #expect(r["ok"] == .bool(false))
        #expect(r["kind"] == "max_steps")
        #expect(r["n"] == .int(5))
        let second = try JSONParser.parse(server.requests[1].body)
        let toolResults = try #require(second["messages"]?[2]?["content"]?.arrayValue)
        #expect(toolResults[0]["is_error"] == .bool(true))
        #expect(toolResults[0]["content"]?.stringValue?.contains("weather service down") == true)
    }

    @Test("tools without fn hand the calls back to the script")
    func manualTools() throws {
        let server = FakeProviderServer(responses: [AnthropicStreams.twoToolCalls()])
        try server.start()
        defer { server.stop() }
        let h = harness(server)
        try h.mustRun("""
            local r = llm.chat{ model = 'claude-test', prompt = 'x', tools = { { name = "get_weather" } } }
            result = { n = #r.tool_calls, city = r.tool_calls[2].arguments.city, stop = r.stop_reason }
            """)
        let r = try h.global("result")
        #expect(r["n"] == .int(2))
        #expect(r["city"] == "Oslo")
        #expect(r["stop"] == "tool_calls")
    }

    @Test("an error raised in on_text or on_event reaches pcall as raised: a table intact, a level-0 string without a traceback (issue 11)")
    func callbackErrorValues() throws {
        let server = FakeProviderServer(responses: [.anthropicText(["a", "b"]), .anthropicText(["a", "b"])])
        try server.start()
        defer { server.stop() }
        let h = harness(server)
        try h.mustRun("""
            local ok, e = pcall(llm.chat, { model = 'claude-test', prompt = 'x', on_text = function() error({ code = 7 }) end })
            table_code = type(e) == "table" and e.code or tostring(e)
            local ok2, e2 = pcall(llm.chat, { model = 'claude-test', prompt = 'x', on_event = function() error("plain", 0) end })
            plain = e2
            """)
        #expect(try h.global("table_code") == .int(7))
        #expect(try h.global("plain") == "plain")
    }
}
