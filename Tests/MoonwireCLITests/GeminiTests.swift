import FakeProvider
import Foundation
import Testing
import TestSupport

/// Gemini through the binary (issue 14): a FakeProvider on 127.0.0.1 plays
/// the recorded Gemini answers; the scripts use the public Lua API.
@Suite("Gemini through the binary: stream, tools with thought signatures, embeddings, retry delays, fallback", .serialized)
struct GeminiTests {
    static let signatureFile = "gemini/pydantic-ai__test_google_streaming_tool_call_thought_signature.yaml"
    static let key = "AIza-gemini-test-key-0123456789"

    static func recorded(_ file: String, _ index: Int) throws -> ScriptedResponse {
        let response = try VCRCassette.load(Fixtures.conformance(file)).interactions[index].response
        let type = response.isEventStream ? "text/event-stream" : "application/json"
        return ScriptedResponse(status: response.status, headers: [("content-type", type)], body: .whole(Array(response.body)))
    }

    private func run(_ text: String, _ environment: [String: String]) throws -> ProcessResult {
        let url = try TemporaryFiles.script(text, prefix: "gemini", name: "gemini.lua")
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        var env = ["MOONWIRE_CASSETTE": "", "MOONWIRE_RECORD_MODE": "", "MOONWIRE_LOG": "", "ANTHROPIC_API_KEY": "", "OPENAI_API_KEY": "",
                   "GOOGLE_API_KEY": "", "MOONWIRE_QUIET": "1"]
        env.merge(environment) { $1 }
        return try ProcessRunner.run(Repository.moonwireBinary, ["run", url.path], environment: env, timeout: 60)
    }

    @Test("a streamed tool call: the Lua function runs, its answer and the call's thought signature go back, the answer streams")
    func toolCallWithThoughtSignature() throws {
        let first = try Self.recorded(Self.signatureFile, 0), second = try Self.recorded(Self.signatureFile, 1)
        let server = FakeProviderServer { request in
            String(decoding: request.body, as: UTF8.self).contains("functionResponse") ? second : first
        }
        try server.start()
        defer { server.stop() }
        let r = try run("""
            local seen
            local r = llm.chat{ model = "gemini-3-pro-preview", prompt = "What is the capital of the user country? Call the tool",
              tools = { { name = "get_country", fn = function(args) seen = args; return "Mexico" end } },
              on_text = function(t) io.write("[", t, "]") end }
            print()
            -- usage sums both steps: 29 + 257 in, (10 + 202) + 8 out
            print(r.provider, r.text, r.steps, r.usage.input_tokens, r.usage.output_tokens, r.stop_reason, type(seen))
            """, ["GEMINI_API_KEY": Self.key, "GEMINI_BASE_URL": server.baseURL + "/v1beta"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "[The capital of Mexico][ is Mexico City.]\ngemini\tThe capital of Mexico is Mexico City.\t2\t286\t220\tstop\ttable\n",
                "\(r.stdout) \(r.stderr)")
        let requests = server.requests
        #expect(requests.map(\.path) == Array(repeating: "/v1beta/models/gemini-3-pro-preview:streamGenerateContent?alt=sse", count: 2))
        #expect(requests.allSatisfy { $0.headers.contains { $0.0.lowercased() == "x-goog-api-key" && $0.1 == Self.key } })
        let body = try #require(try JSONSerialization.jsonObject(with: Data(requests[1].body)) as? [String: Any])
        let contents = try #require(body["contents"] as? [[String: Any]])
        #expect(contents.map { $0["role"] as? String } == ["user", "model", "user"])
        let call = try #require((contents[1]["parts"] as? [[String: Any]])?.first)
        let signature = call["thoughtSignature"] as? String ?? ""
        #expect(signature.hasPrefix("EpwICpkIAXLI2nxlU6gsWZaZHRYk") && signature.hasSuffix("XOk15QuFyU="), "\(signature.prefix(40))")
        let answer = try #require((contents[2]["parts"] as? [[String: Any]])?.first?["functionResponse"] as? [String: Any])
        #expect(answer["name"] as? String == "get_country")
        #expect((answer["response"] as? [String: Any])?["output"] as? String == "Mexico")
    }

    @Test("429 RESOURCE_EXHAUSTED with a RetryInfo delay is retried after that delay; GOOGLE_API_KEY works too; embeddings")
    func retryDelayAndEmbeddings() throws {
        let lock = NSLock()
        nonisolated(unsafe) var count = 0
        let text = try Self.recorded("gemini/pydantic-ai__test_google_model_stream.yaml", 0)
        let vectors = try Self.recorded("gemini/pydantic-ai__embeddings_TestGoogle.test_query.yaml", 0)
        let server = FakeProviderServer { request in
            if request.path.hasSuffix(":batchEmbedContents") { return vectors }
            let n = lock.withLock { count += 1; return count }
            return n > 1 ? text : .json("""
                {"error":{"code":429,"message":"Resource has been exhausted (e.g. check quota).","status":"RESOURCE_EXHAUSTED",
                 "details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"0.300s"}]}}
                """, status: 429)
        }
        try server.start()
        defer { server.stop() }
        let r = try run("""
            local r = llm.chat{ model = "gemini-2.0-flash-exp", prompt = "What is the capital of France?", stream = true }
            io.write(r.text)
            print(r.provider)
            local v = llm.embed{ model = "gemini-embedding-2-preview", input = "Hello, world!" }
            print(#v.vector, string.format("%.6f", v.vector[1]))
            local ok, e = pcall(llm.chat, { model = "gemini-2.0-flash", provider = "gemni", prompt = "x" })
            print(e)
            """, ["GOOGLE_API_KEY": Self.key, "GEMINI_API_KEY": "", "GEMINI_BASE_URL": server.baseURL + "/v1beta"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.prefix(3) == ["The capital of France is Paris.", "gemini", "3072\t-0.022495"], "\(r.stdout) \(r.stderr)")
        #expect(lines.count > 3 && lines[3].contains("field 'provider' must be \"anthropic\", \"openai\" or \"gemini\", got \"gemni\""), "\(r.stdout)")
        let chats = server.requests.filter { !$0.path.hasSuffix(":batchEmbedContents") }
        #expect(chats.count == 2)
        if chats.count == 2 { #expect(chats[1].receivedAt - chats[0].receivedAt >= 0.3, "waited the RetryInfo delay") }
        let embed = try #require(server.requests.first { $0.path.hasSuffix(":batchEmbedContents") })
        #expect(embed.path == "/v1beta/models/gemini-embedding-2-preview:batchEmbedContents")
        #expect(embed.headers.contains { $0.0.lowercased() == "x-goog-api-key" && $0.1 == Self.key })
    }

    @Test("a fallback chain claude → gemini → local: an overloaded Claude falls to Gemini, which answers")
    func fallbackChain() throws {
        let claude = FakeProviderServer { _ in
            .json(#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#, status: 529)
        }
        let gemini = FakeProviderServer(responses: [try Self.recorded("gemini/pydantic-ai__test_google_model_stream.yaml", 0)])
        let local = SyntheticProvider().server()
        for s in [claude, gemini, local] { try s.start() }
        defer { for s in [claude, gemini, local] { s.stop() } }
        let r = try run("""
            local c = llm.client{ providers = {
                { name = "claude", kind = "anthropic", model = "claude-sonnet-4-5", base_url = os.getenv("CLAUDE") },
                { name = "gemini", model = "gemini-2.0-flash-exp", base_url = os.getenv("GEMINI") },
                { name = "local", kind = "openai", model = "smollm2", base_url = os.getenv("LOCAL") } },
              retry = { max_retries = 0 } }
            local r = c:chat{ prompt = "What is the capital of France?" }
            io.write(r.provider, "\\t", r.text)
            local s = c:stats()
            print(s.claude.failed_attempts, s.gemini.calls, s["local"] and s["local"].calls or 0)
            """, ["ANTHROPIC_API_KEY": "sk-ant-test-0123456789abcdef", "GEMINI_API_KEY": Self.key,
                  "CLAUDE": claude.baseURL, "GEMINI": gemini.baseURL + "/v1beta", "LOCAL": local.baseURL + "/v1"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "gemini\tThe capital of France is Paris.\n1\t1\t0\n", "\(r.stdout) \(r.stderr)")
        #expect(local.requests.isEmpty)
    }

    @Test("structured output: the schema goes as responseJsonSchema and the answer is checked against it; a wrong answer is repaired")
    func structuredOutput() throws {
        func answer(_ text: String) -> ScriptedResponse {
            let body: [String: Any] = ["candidates": [["content": ["parts": [["text": text]], "role": "model"], "finishReason": "STOP", "index": 0]],
                                       "usageMetadata": ["promptTokenCount": 20, "candidatesTokenCount": 6], "modelVersion": "gemini-2.5-flash"]
            return .json(String(decoding: try! JSONSerialization.data(withJSONObject: body), as: UTF8.self))
        }
        let server = FakeProviderServer(responses: [answer(#"{"city": 7}"#), answer(#"{"city": "Paris", "country": "France"}"#)])
        try server.start()
        defer { server.stop() }
        let r = try run("""
            local r = llm.chat{ model = "gemini-2.5-flash", prompt = "Where is the Louvre?", stream = false,
              schema = { type = "object", properties = { city = { type = "string" }, country = { type = "string" } }, required = { "city" } } }
            print(r.object.city, r.object.country, r.steps)
            """, ["GEMINI_API_KEY": Self.key, "GEMINI_BASE_URL": server.baseURL + "/v1beta"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "Paris\tFrance\t2\n", "\(r.stdout) \(r.stderr)")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(server.requests[0].body)) as? [String: Any])
        let config = try #require(body["generationConfig"] as? [String: Any])
        #expect(config["responseMimeType"] as? String == "application/json")
        #expect((config["responseJsonSchema"] as? [String: Any])?["required"] as? [String] == ["city"])
    }
}
