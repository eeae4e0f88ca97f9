import FakeProvider
import Foundation
import JSON
import Testing
import TestSupport

@Suite("llm.embed, stream cancellation and bad responses through Lua")
struct EmbedAndFailureTests {
    /// Plain calls retry by default; these tests look at how one failure
    /// maps to an error, so they turn retries off.
    private func harness(_ server: FakeProviderServer) -> LuaHarness {
        let h = LuaHarness(environment: [
            "ANTHROPIC_BASE_URL": server.baseURL, "ANTHROPIC_API_KEY": "sk-ant-test-key",
            "OPENAI_BASE_URL": server.baseURL + "/v1", "OPENAI_API_KEY": "sk-openai-test-key",
        ])
        _ = h.run("llm.configure{ retry = { max_retries = 0 } }")
        return h
    }

    private static func base64(_ floats: [Float]) -> String {
        var data = Data()
        for f in floats { withUnsafeBytes(of: f.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data.base64EncodedString()
    }

    private func errorMessage(_ h: LuaHarness, _ script: String) -> String? {
        if case .failure(let e) = h.run(script) { return e.message }
        return nil
    }

    @Test("embeddings arrive as Lua arrays, base64 on the wire, in input order")
    func base64Embeddings() throws {
        // Returned out of order on purpose: `index` puts them back.
        let body = """
            {"object":"list","data":[
              {"object":"embedding","index":1,"embedding":"\(Self.base64([-1.25, 3]))"},
              {"object":"embedding","index":0,"embedding":"\(Self.base64([0.5, 0.25]))"}],
             "model":"text-embedding-3-small","usage":{"prompt_tokens":4,"total_tokens":4}}
            """
        let server = FakeProviderServer(responses: [.json(body)])
        try server.start()
        defer { server.stop() }
        let h = harness(server)
        try h.mustRun("""
            local e = llm.embed{ model = "text-embedding-3-small", input = { "first", "second" } }
            result = { v1 = e.vectors[1], v2 = e.vectors[2], tokens = e.usage.input_tokens, model = e.model }
            """)
        let r = try h.global("result")
        #expect(r["v1"] == .array([.double(0.5), .double(0.25)]))
        #expect(r["v2"] == .array([.double(-1.25), .double(3)]))
        #expect(r["tokens"] == .int(4))
        let request = try JSONParser.parse(try #require(server.requests.first).body)
        #expect(request["encoding_format"] == "base64")
        #expect(request["input"] == .array(["first", "second"]))
        #expect(server.requests.first?.path == "/v1/embeddings")
    }

    @Test("float embeddings work too, and one string gives `vector`")
    func floatEmbeddings() throws {
        let body = #"{"data":[{"index":0,"embedding":[0.1,-0.5,2]}],"model":"m","usage":{"prompt_tokens":1,"total_tokens":1}}"#
        let server = FakeProviderServer(responses: [.json(body)])
        try server.start()
        defer { server.stop() }
        let h = harness(server)
        try h.mustRun("""
            local e = llm.embed{ model = "text-embedding-3-small", input = "one", encoding = "float" }
            result = { n = #e.vector, second = e.vector[2], same = e.vectors[1][3] == e.vector[3] }
            """)
        let r = try h.global("result")
        #expect(r["n"] == .int(3))
        #expect(r["second"] == .double(-0.5))
        #expect(r["same"] == .bool(true))
        let request = try JSONParser.parse(try #require(server.requests.first).body)
        #expect(request["encoding_format"] == "float")
    }

    @Test("breaking out of a stream loop aborts the transfer and closes the connection")
    func breakClosesStream() throws {
        let server = FakeProviderServer(responses: [.anthropicText(Array(repeating: "x", count: 20), interval: 0.05), .anthropicText(["ok"])])
        try server.start()
        defer { server.stop() }
        let h = harness(server)
        try h.mustRun("""
            local n = 0
            for ev in llm.stream{ model = "claude-test", prompt = "long" } do
              if ev.type == "text" then n = n + 1 end
              if n == 2 then break end
            end
            seen = n
            after = llm.chat{ model = "claude-test", prompt = "next" }.text
            """)
        #expect(try h.global("seen") == .int(2))
        #expect(try h.global("after") == "ok")
        #expect(server.waitUntil { $0.closedByClientCount >= 1 })
    }

    @Test("a stream cut before its end is a network or bad_response error, not a silent partial answer")
    func truncatedStream() throws {
        let server = FakeProviderServer(responses: [.anthropicText(["a", "b", "c", "d"]).with(fault: .dropAfterChunks(5))])
        try server.start()
        defer { server.stop() }
        let h = harness(server)
        try h.mustRun("""
            local got = ""
            local ok, err = pcall(llm.chat, { model = "claude-test", prompt = "x", on_text = function(t) got = got .. t end })
            result = { ok = ok, kind = err.kind, got = got }
            """)
        let r = try h.global("result")
        #expect(r["ok"] == .bool(false))
        #expect(r["got"] == "ab")
        let kind = r["kind"]?.stringValue ?? ""
        #expect(kind == "network" || kind == "bad_response", "kind \(kind)")
    }

    @Test("an HTML page with status 200 is a bad_response naming the content type")
    func htmlBody() throws {
        let server = FakeProviderServer(responses: [
            ScriptedResponse(status: 200, headers: [("content-type", "text/html")], body: .whole(Array("<html><body>Gateway login</body></html>".utf8))),
        ])
        try server.start()
        defer { server.stop() }
        let h = harness(server)
        let message = try #require(errorMessage(h, "llm.chat{ model = 'claude-test', prompt = 'x' }"))
        #expect(message.contains("bad_response"), "\(message)")
        #expect(message.contains("text/html"), "\(message)")
    }

    @Test("invalid JSON in a data line is a bad_response")
    func invalidDataLine() throws {
        let server = FakeProviderServer(responses: [.sse(events: [
            AnthropicStreams.start(), "event: content_block_delta\ndata: {not json\n\n",
        ])])
        try server.start()
        defer { server.stop() }
        let h = harness(server)
        let message = try #require(errorMessage(h, "llm.chat{ model = 'claude-test', prompt = 'x' }"))
        #expect(message.contains("bad_response"), "\(message)")
    }

    @Test("HTTP errors map to typed errors with the provider's message and request id")
    func httpError() throws {
        let body = #"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011"}"#
        let server = FakeProviderServer(responses: [.json(body, status: 529)])
        try server.start()
        defer { server.stop() }
        let h = harness(server)
        try h.mustRun("""
            local ok, err = pcall(llm.chat, { model = "claude-test", prompt = "x" })
            result = { kind = err.kind, status = err.status, message = err.message, request_id = err.request_id, text = tostring(err) }
            """)
        let r = try h.global("result")
        #expect(r["kind"] == "overloaded")
        #expect(r["status"] == .int(529))
        #expect(r["message"]?.stringValue?.contains("Overloaded") == true)
        #expect(r["request_id"] == "req_011")
        #expect(r["text"]?.stringValue?.hasPrefix("overloaded (529) from anthropic: ") == true)
    }

    @Test("tool arguments that are not JSON name the tool")
    func badToolArguments() throws {
        let server = FakeProviderServer(responses: [.sse(events: [AnthropicStreams.start()]
            + AnthropicStreams.toolUse(index: 0, id: "toolu_9", name: "lookup", argumentChunks: ["{\"q\": "])
            + AnthropicStreams.end("tool_use"))])
        try server.start()
        defer { server.stop() }
        let h = harness(server)
        let message = try #require(errorMessage(h, "llm.chat{ model = 'claude-test', prompt = 'x', tools = { { name = 'lookup', fn = print } } }"))
        #expect(message.contains("lookup"), "\(message)")
        #expect(message.contains("bad_response"), "\(message)")
    }
}
