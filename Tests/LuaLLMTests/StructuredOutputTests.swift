import FakeProvider
import JSON
import Testing
import TestSupport

@Suite("llm.chat{schema = ...}: structured output, validated, repaired once")
struct StructuredOutputTests {
    private func harness(_ server: FakeProviderServer) -> LuaHarness {
        LuaHarness(environment: [
            "ANTHROPIC_BASE_URL": server.baseURL, "ANTHROPIC_API_KEY": "k",
            "OPENAI_BASE_URL": server.baseURL + "/v1", "OPENAI_API_KEY": "k",
        ])
    }

    static let schema = """
        schema = { type = "object", additionalProperties = false, required = { "city", "temp_c" },
                   properties = { city = { type = "string" }, temp_c = { type = "integer", minimum = -90, maximum = 60 } } }
        """

    /// The OpenAI-style stream of one text answer.
    private static func openAIAnswer(_ text: String) -> ScriptedResponse {
        .openAIText([text])
    }

    /// An Anthropic stream whose answer is the forced structured_output tool.
    private static func anthropicAnswer(_ json: String) -> ScriptedResponse {
        .sse(events: [AnthropicStreams.start()]
            + AnthropicStreams.toolUse(index: 0, id: "toolu_s", name: "structured_output", argumentChunks: [json])
            + AnthropicStreams.end("tool_use"))
    }

    @Test("a valid OpenAI answer comes back as a Lua table in r.object")
    func openAIValid() throws {
        let server = FakeProviderServer(responses: [Self.openAIAnswer(#"{"city":"Paris","temp_c":21}"#)])
        try server.start()
        defer { server.stop() }
        let h = harness(server)
        try h.mustRun(Self.schema + """
            local r = llm.chat{ model = "gpt-test", prompt = "Weather?", schema = schema }
            result = { city = r.object.city, temp = r.object.temp_c, kind = math.type(r.object.temp_c) }
            """)
        let r = try h.global("result")
        #expect(r["city"] == "Paris")
        #expect(r["temp"] == .int(21))
        #expect(r["kind"] == "integer")
        let body = try JSONParser.parse(try #require(server.requests.first).body)
        #expect(body["response_format"]?["type"] == "json_schema")
        #expect(body["response_format"]?["json_schema"]?["schema"]?["required"] == .array(["city", "temp_c"]))
    }

    @Test("an Anthropic answer comes from the forced tool call")
    func anthropicValid() throws {
        let server = FakeProviderServer(responses: [Self.anthropicAnswer(#"{"city":"Oslo","temp_c":4}"#)])
        try server.start()
        defer { server.stop() }
        let h = harness(server)
        try h.mustRun(Self.schema + """
            local r = llm.chat{ model = "claude-test", prompt = "Weather?", schema = schema }
            result = r.object
            """)
        #expect(try h.global("result") == .object(JSONObject([("city", "Oslo"), ("temp_c", .int(4))])))
        let body = try JSONParser.parse(try #require(server.requests.first).body)
        #expect(body["tool_choice"]?["name"] == "structured_output")
    }

    @Test("an invalid answer gets exactly one repair request naming the violations")
    func repairedOnce() throws {
        let server = FakeProviderServer(responses: [
            Self.anthropicAnswer(#"{"city":"Oslo","temp_c":"cold"}"#),
            Self.anthropicAnswer(#"{"city":"Oslo","temp_c":4}"#),
        ])
        try server.start()
        defer { server.stop() }
        let h = harness(server)
        try h.mustRun(Self.schema + """
            local r = llm.chat{ model = "claude-test", prompt = "Weather?", schema = schema }
            result = { temp = r.object.temp_c, steps = r.steps }
            """)
        #expect(try h.global("result") == .object(JSONObject([("temp", .int(4)), ("steps", .int(2))])))
        #expect(server.requests.count == 2)
        let repair = server.requests[1].bodyText
        #expect(repair.contains("temp_c"))
        #expect(repair.contains("tool_result"))
        #expect(repair.contains("is_error"))
    }

    @Test("still invalid after the repair: bad_response listing the violations")
    func badResponseAfterRepair() throws {
        let server = FakeProviderServer(responses: [
            Self.openAIAnswer(#"{"city":"Paris"}"#),
            Self.openAIAnswer(#"{"city":"Paris","temp_c":500,"extra":true}"#),
            Self.openAIAnswer("never requested"),
        ])
        try server.start()
        defer { server.stop() }
        let h = harness(server)
        try h.mustRun(Self.schema + """
            local ok, err = pcall(llm.chat, { model = "gpt-test", prompt = "Weather?", schema = schema })
            result = { ok = ok, kind = err.kind, message = err.message }
            """)
        let r = try h.global("result")
        #expect(r["ok"] == .bool(false))
        #expect(r["kind"] == "bad_response")
        let message = r["message"]?.stringValue ?? ""
        #expect(message.contains("temp_c"), "\(message)")
        #expect(message.contains("extra"), "\(message)")
        #expect(server.requests.count == 2)
        #expect(server.requests[1].bodyText.contains("temp_c"))
    }

    @Test("text that is not JSON is repaired like a violation")
    func notJSON() throws {
        let server = FakeProviderServer(responses: [
            Self.openAIAnswer("Sure! The weather is nice."),
            Self.openAIAnswer("```json\n{\"city\":\"Rome\",\"temp_c\":25}\n```"),
        ])
        try server.start()
        defer { server.stop() }
        let h = harness(server)
        try h.mustRun(Self.schema + """
            result = llm.chat{ model = "gpt-test", prompt = "Weather?", schema = schema }.object.city
            """)
        #expect(try h.global("result") == "Rome")
        #expect(server.requests[1].bodyText.contains("not valid JSON"))
    }

    @Test("a schema that is not valid is an argument error")
    func badSchema() throws {
        let h = LuaHarness(environment: ["OPENAI_API_KEY": "k"])
        guard case .failure(let e) = h.run("llm.chat{ model = 'gpt-4o', prompt = 'x', schema = { type = 'object', required = 'city' } }") else {
            Issue.record("expected an error")
            return
        }
        #expect(e.message.contains("field 'schema' is not a valid JSON Schema"), "\(e.message)")
    }
}
