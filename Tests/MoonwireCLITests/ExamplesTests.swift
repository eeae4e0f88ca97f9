import FakeProvider
import Foundation
import Testing
import TestSupport

/// The examples run end to end through the binary against a FakeProvider
/// standing in for the real APIs (their replayed, offline form comes with cassettes).
@Suite("examples/ run against a FakeProvider")
struct ExamplesTests {
    private func run(_ example: String, _ arguments: [String] = [], server: FakeProviderServer) throws -> ProcessResult {
        try ProcessRunner.moonwire(
            ["run", Repository.root.appendingPathComponent("examples/\(example)").path] + arguments,
            environment: [
                "ANTHROPIC_BASE_URL": server.baseURL, "ANTHROPIC_API_KEY": "sk-ant-example",
                "OPENAI_BASE_URL": server.baseURL + "/v1", "OPENAI_API_KEY": "sk-openai-example",
                "MOONWIRE_MODEL": "",
            ])
    }

    @Test("chat.lua streams the answer and prints the numbers")
    func chat() throws {
        let server = FakeProviderServer(responses: [.anthropicText(["Rayleigh", " scattering."], inputTokens: 17)])
        try server.start()
        defer { server.stop() }
        let r = try run("chat.lua", ["Why blue?"], server: server)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("Rayleigh scattering.\n-- anthropic · claude-test · 17 in / 2 out tokens"), "\(r.stdout)")
    }

    @Test("stream.lua stops early and says so")
    func stream() throws {
        let server = FakeProviderServer(responses: [.openAIText(["Once ", "upon ", "a ", "time"])])
        try server.start()
        defer { server.stop() }
        let r = try run("stream.lua", ["8"], server: server)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "Once upon \n-- stopped after 10 bytes (the transfer is aborted)\n")
    }

    @Test("embeddings.lua ranks documents by cosine similarity")
    func embeddings() throws {
        let vectors: [[Float]] = [[1, 0], [0.9, 0.1], [0, 1], [0.5, 0.5]]
        let data = vectors.enumerated().map { i, v in #"{"index":\#(i),"embedding":[\#(v.map { "\($0)" }.joined(separator: ","))]}"# }
        let server = FakeProviderServer(responses: [.json(#"{"data":[\#(data.joined(separator: ","))],"model":"text-embedding-3-small","usage":{"prompt_tokens":20,"total_tokens":20}}"#)])
        try server.start()
        defer { server.stop() }
        let r = try run("embeddings.lua", server: server)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[1].hasSuffix("Cats are small domesticated felines."))
        #expect(lines[3].hasSuffix("The stock market fell sharply today."))
    }

    @Test("tools.lua runs the Lua tool for each call and prints the final answer")
    func tools() throws {
        let first = ScriptedResponse.sse(events: [
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m1\",\"model\":\"claude-test\",\"content\":[],\"usage\":{\"input_tokens\":30,\"output_tokens\":1}}}\n\n",
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"get_weather\",\"input\":{}}}\n\n",
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}\n\n",
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\"},\"usage\":{\"output_tokens\":10}}\n\n",
            "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
        ])
        let server = FakeProviderServer(responses: [first, .anthropicText(["Paris: 21 °C, sunny."])])
        try server.start()
        defer { server.stop() }
        let r = try run("tools.lua", server: server)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("  [tool] get_weather(Paris)\n"))
        #expect(r.stdout.contains("Paris: 21 °C, sunny.\n-- 2 model turns, 1 tool results sent"), "\(r.stdout)")
        #expect(server.requests.count == 2)
        #expect(server.requests[1].bodyText.contains(#"\"temp_c\":21"#))  // JSON text inside the JSON body
    }
}

/// Examples with a cassette beside them run offline, with no key, by default.
@Suite("examples/ replay offline from their cassettes")
struct OfflineExamplesTests {
    static let offline = ["ANTHROPIC_API_KEY": "", "OPENAI_API_KEY": "", "MOONWIRE_CASSETTE": "", "MOONWIRE_RECORD_MODE": "",
                          "ANTHROPIC_BASE_URL": "", "OPENAI_BASE_URL": "", "MOONWIRE_LOCAL_URL": ""]

    @Test("demo.lua: streamed answer, tool call, fallback and stats, from the cassette")
    func demo() throws {
        let r = try ProcessRunner.moonwire(["run", Repository.root.appendingPathComponent("examples/demo.lua").path], environment: Self.offline)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("no API key set: replaying"))
        #expect(r.stderr.contains("[fallback] claude → openai (network)"))
        #expect(r.stdout.contains("1. Red\n2. Blue\n3. Green"))
        #expect(r.stdout.contains("the model called get_weather({\"city\":\"Paris\"})"))
        #expect(r.stdout.contains("local             3         3       0"), "\(r.stdout)")
        // Virtual time: the same figures on every run.
        let again = try ProcessRunner.moonwire(["run", Repository.root.appendingPathComponent("examples/demo.lua").path], environment: Self.offline)
        #expect(again.stdout == r.stdout)
    }

    @Test("fallback.lua ends at the local model")
    func fallback() throws {
        let r = try ProcessRunner.moonwire(["run", Repository.root.appendingPathComponent("examples/fallback.lua").path], environment: Self.offline)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("1. What is 2 + 2? → The answer is: 4  [local"))
    }

    @Test("batch.lua: llm.map over eight reviews, in order, with the summary line on stderr")
    func batch() throws {
        let script = Repository.root.appendingPathComponent("examples/batch.lua").path
        let r = try ProcessRunner.moonwire(["run", script], environment: Self.offline)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count > 9)
        #expect(lines.first?.hasSuffix(" The battery lasts two full days. Love it.") == true, "\(r.stdout)")
        #expect(lines[7].hasSuffix(" My kids use it every day and it still works."), "\(r.stdout)")
        #expect(r.stdout.contains("\n8 ok, 0 failed in "))
        #expect(r.stdout.contains("local             8         8       0"), "\(r.stdout)")
        #expect(r.stderr.contains("llm.map: 8 of 8 items in "), "\(r.stderr)")
        let again = try ProcessRunner.moonwire(["run", script], environment: Self.offline)
        #expect(again.stdout == r.stdout, "virtual time: the same run every time")
    }

    @Test("moonwire test over the examples' tests replays their cassettes and passes")
    func examplesTests() throws {
        let r = try ProcessRunner.moonwire(["test", "examples"], environment: Self.offline, currentDirectory: Repository.root)
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.hasSuffix("2 passed, 0 failed\n"), "\(r.stdout)")
    }

    @Test("--live skips the cassette (and fails here without a key)")
    func live() throws {
        let r = try ProcessRunner.moonwire(["run", "--live", Repository.root.appendingPathComponent("examples/fallback.lua").path], environment: Self.offline)
        #expect(r.status == 1)
        #expect(!r.stderr.contains("replaying"))
        #expect(r.stderr.contains("ANTHROPIC_API_KEY is not set"), "\(r.stderr)")
    }
}
