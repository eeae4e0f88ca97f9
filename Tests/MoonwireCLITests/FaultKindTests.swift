import FakeProvider
import Foundation
import Testing
import TestSupport

/// Every `--chaos` fault kind, played the one way FaultedResponse interprets
/// it, in both `run --replay` (the client's own loop, virtual time) and
/// `serve` (over HTTP to a live client): the same script sees the same outcome.
@Suite("every --chaos fault kind, in run --replay and in serve", .serialized)
struct FaultKindTests {
    static let key = "sk-ant-test-0123456789abcdef"
    static let script = """
        llm.configure{ retry = { max_retries = 0 }, timeout = { first_token = 0.5, idle = 0.5 } }
        local ok, r = pcall(llm.chat, { model = "claude-test", prompt = "count", on_text = function() end })
        if ok then print("ok", r.text) else print("failed", r.kind) end
        """

    /// (spec, what the script prints). The recording is a four-token Anthropic stream.
    static let cases: [(String, String)] = [
        ("429@1", "failed\trate_limited"), ("429:1@1", "failed\trate_limited"), ("500@1", "failed\tserver"), ("502@1", "failed\tserver"),
        ("503@1", "failed\tserver"), ("504@1", "failed\tserver"), ("529@1", "failed\toverloaded"),
        ("error-event@1", "failed\toverloaded"), ("drop:1@1", "failed\tnetwork"), ("drop:0@1", "failed\tnetwork"),
        ("stall:1@1", "failed\ttimeout"), ("stall-before-head@1", "failed\ttimeout"), ("malformed:0@1", "failed\tbad_response"),
        // No tool calls in a text stream: the recording arrives intact.
        ("bad-tool-index@1", "ok\tone two three four"),
        // A fault for another request, or with probability 0, leaves this one alone.
        ("529@2", "ok\tone two three four"), ("529%0,seed=3", "ok\tone two three four"), ("529%1,seed=3", "failed\toverloaded"),
    ]

    /// A cassette recorded by moonwire itself from a FakeProvider, so the script's request matches it.
    static func recordedCassette(in dir: URL) throws -> (cassette: String, script: URL) {
        let script = dir.appendingPathComponent("faults.lua")
        try Data(Self.script.utf8).write(to: script)
        let cassette = dir.appendingPathComponent("faults.json").path
        let server = FakeProviderServer(responses: [.anthropicText(["one", " two", " three", " four"], interval: 0.01)])
        try server.start()
        defer { server.stop() }
        let recorded = try ProcessRunner.moonwire(["run", "--record", cassette, script.path], environment: env(server.baseURL))
        #expect(recorded.stdout == "ok\tone two three four\n", "\(recorded.stderr)")
        return (cassette, script)
    }

    static func env(_ baseURL: String?) -> [String: String] {
        var e = ["ANTHROPIC_API_KEY": Self.key, "OPENAI_API_KEY": "", "MOONWIRE_CASSETTE": "", "MOONWIRE_RECORD_MODE": "", "MOONWIRE_LOG": "off"]
        if let baseURL { e["ANTHROPIC_BASE_URL"] = baseURL }
        return e
    }

    @Test func everyFaultKindPlaysTheSameInReplayAndServe() throws {
        let dir = try TemporaryFiles.directory("faults")
        defer { try? FileManager.default.removeItem(at: dir) }
        let (cassette, script) = try Self.recordedCassette(in: dir)
        for (spec, expected) in Self.cases {
            let replay = try ProcessRunner.moonwire(["run", "--replay", cassette, "--chaos", spec, script.path], environment: Self.env(nil), timeout: 60)
            #expect(replay.stdout == expected + "\n", "run --replay --chaos \(spec): \(replay.stdout) \(replay.stderr)")

            let serve = try ServeProcess(cassette: cassette, arguments: ["--speed", "0", "--chaos", spec], logDirectory: dir)
            let live = try ProcessRunner.moonwire(["run", "--live", script.path], environment: Self.env(serve.baseURL), timeout: 60)
            #expect(serve.stop() == 0)
            #expect(live.stdout == expected + "\n", "serve --chaos \(spec): \(live.stdout) \(live.stderr)")
        }
    }
}
