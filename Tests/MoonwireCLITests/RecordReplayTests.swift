import FakeProvider
import Foundation
import Testing
import TestSupport

/// `moonwire run --record/--replay/--cassette` end to end through the binary.
@Suite("Record and replay through the binary")
struct RecordReplayTests {
    static let key = "sk-ant-api03-" + String(repeating: "Zq7", count: 14)

    private func temporaryDirectory() throws -> URL { try TemporaryFiles.directory("rr") }

    private func write(_ text: String, to url: URL) throws {
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    private static let streamScript = """
        local r = llm.chat{ model = "claude-test", prompt = arg[1] or "hi", on_event = function(ev)
          if ev.type == "text" then io.write("[", ev.text, "]") end
        end }
        print()
        print(r.text, r.usage.output_tokens, r.stop_reason, math.floor(r.latency_ms))
        """

    private func env(_ server: FakeProviderServer?) -> [String: String] {
        var e = ["ANTHROPIC_API_KEY": Self.key, "OPENAI_API_KEY": "", "MOONWIRE_CASSETTE": "", "MOONWIRE_RECORD_MODE": ""]
        if let server { e["ANTHROPIC_BASE_URL"] = server.baseURL }
        return e
    }

    @Test("a recording replays with the server gone: same events, no key in the file")
    func recordThenReplay() throws {
        let dir = try temporaryDirectory()
        let script = dir.appendingPathComponent("s.lua")
        try write(Self.streamScript, to: script)
        let cassette = dir.appendingPathComponent("s.json").path
        let server = FakeProviderServer(responses: [.anthropicText(["Hel", "lo", "!"], interval: 0.02)])
        try server.start()
        let recorded = try ProcessRunner.moonwire(["run", "--record", cassette, script.path], environment: env(server))
        server.stop()
        #expect(recorded.status == 0, "\(recorded.stderr)")
        #expect(recorded.stdout.hasPrefix("[Hel][lo][!]\nHello!\t3\tstop\t"))
        #expect(recorded.stderr.contains("recorded 1 interaction(s)"))
        let text = try String(contentsOfFile: cassette, encoding: .utf8)
        #expect(!text.contains(Self.key))
        #expect(text.contains("\"x-api-key\" : \"<redacted>\"") || text.contains("\"x-api-key\": \"<redacted>\""))
        #expect(text.contains("\"chunks\""))

        var offline = env(nil)
        offline["ANTHROPIC_BASE_URL"] = "http://127.0.0.1:9"  // nothing listens: a network call would fail
        offline["ANTHROPIC_API_KEY"] = ""
        let replayed = try ProcessRunner.moonwire(["run", "--replay", cassette, script.path], environment: offline)
        #expect(replayed.status == 0, "\(replayed.stderr)")
        let firstLine = { (s: String) in s.split(separator: "\n").first.map(String.init) }
        #expect(firstLine(replayed.stdout) == firstLine(recorded.stdout))
        #expect(replayed.stdout.contains("Hello!\t3\tstop\t"))
    }

    @Test("at speed 0 recorded waits cost no real time but stay exact")
    func virtualTime() throws {
        let dir = try temporaryDirectory()
        let cassette = dir.appendingPathComponent("slow.json")
        // Hand-made: the answer's last chunk arrives 30 s after the request.
        try write("""
            { "moonwire_cassette": 1, "interactions": [ {
              "request": { "method": "POST", "url": "https://api.anthropic.com/v1/messages", "headers": {},
                           "body": { "max_tokens": 4096, "messages": [ { "content": [ { "text": "hi", "type": "text" } ], "role": "user" } ], "model": "claude-test", "stream": true } },
              "response": { "status": 200, "headers": { "content-type": "text/event-stream" }, "head_at_ms": 100,
                "chunks": [
                  { "at_ms": 150, "text": "event: message_start\\ndata: {\\"type\\":\\"message_start\\",\\"message\\":{\\"id\\":\\"m\\",\\"model\\":\\"claude-test\\",\\"content\\":[],\\"usage\\":{\\"input_tokens\\":3,\\"output_tokens\\":1}}}\\n\\nevent: content_block_start\\ndata: {\\"type\\":\\"content_block_start\\",\\"index\\":0,\\"content_block\\":{\\"type\\":\\"text\\",\\"text\\":\\"\\"}}\\n\\n" },
                  { "at_ms": 200, "text": "event: content_block_delta\\ndata: {\\"type\\":\\"content_block_delta\\",\\"index\\":0,\\"delta\\":{\\"type\\":\\"text_delta\\",\\"text\\":\\"slow\\"}}\\n\\n" },
                  { "at_ms": 30000, "text": "event: content_block_stop\\ndata: {\\"type\\":\\"content_block_stop\\",\\"index\\":0}\\n\\nevent: message_delta\\ndata: {\\"type\\":\\"message_delta\\",\\"delta\\":{\\"stop_reason\\":\\"end_turn\\"},\\"usage\\":{\\"output_tokens\\":1}}\\n\\nevent: message_stop\\ndata: {\\"type\\":\\"message_stop\\"}\\n\\n" }
                ] } } ] }
            """, to: cassette)
        let started = Date()
        let r = try ProcessRunner.moonwire(
            ["run", "--replay", cassette.path, "-e", "local r = llm.chat{ model = 'claude-test', prompt = 'hi' }; print(r.text, r.latency_ms, r.ttft_ms)"],
            environment: env(nil))
        let elapsed = Date().timeIntervalSince(started)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "slow\t30000.0\t200.0\n")
        #expect(elapsed < 20, "a 30 s recorded wait must not be slept")
    }

    @Test("a request that matches nothing fails with replay_mismatch naming the nearest and the difference")
    func mismatch() throws {
        let dir = try temporaryDirectory()
        let script = dir.appendingPathComponent("s.lua")
        try write(Self.streamScript, to: script)
        let cassette = dir.appendingPathComponent("s.json").path
        let server = FakeProviderServer(responses: [.anthropicText(["ok"])])
        try server.start()
        _ = try ProcessRunner.moonwire(["run", "--record", cassette, script.path, "first"], environment: env(server))
        server.stop()
        let r = try ProcessRunner.moonwire(["run", "--replay", cassette, script.path, "second"], environment: env(nil))
        #expect(r.status == 1)
        #expect(r.stderr.contains("replay_mismatch"), "\(r.stderr)")
        #expect(r.stderr.contains("first") && r.stderr.contains("second"), "\(r.stderr)")
    }

    @Test("mode once records when the file is missing, then replays; mode none refuses a missing file")
    func modes() throws {
        let dir = try temporaryDirectory()
        let script = dir.appendingPathComponent("s.lua")
        try write(Self.streamScript, to: script)
        let cassette = dir.appendingPathComponent("once.json").path
        let missing = try ProcessRunner.moonwire(["run", "--cassette", cassette, "--mode", "none", script.path], environment: env(nil))
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no such file"), "\(missing.stderr)")
        let server = FakeProviderServer(responses: [.anthropicText(["one"]), .anthropicText(["two"])])
        try server.start()
        let first = try ProcessRunner.moonwire(["run", "--cassette", cassette, "--mode", "once", script.path], environment: env(server))
        let second = try ProcessRunner.moonwire(["run", "--cassette", cassette, "--mode", "once", script.path], environment: env(server))
        server.stop()
        #expect(first.stdout.hasPrefix("[one]"), "\(first.stderr)")
        #expect(second.stdout.hasPrefix("[one]"), "\(second.stderr)")
        #expect(server.requests.count == 1)
    }

    @Test("a secret echoed in a response is redacted, so the cassette saves without it; the script's output is kept (issue 16)")
    func plantedSecret() throws {
        let dir = try temporaryDirectory()
        let cassette = dir.appendingPathComponent("leak.json").path
        let server = FakeProviderServer(responses: [.anthropicText(["your key is ", Self.key])])
        try server.start()
        defer { server.stop() }
        let r = try ProcessRunner.moonwire(["run", "--record", cassette, "-e", "print(llm.chat{ model = 'claude-test', prompt = 'x' }.text ~= nil)"], environment: env(server))
        #expect(r.stdout == "true\n")
        #expect(r.status == 0 && r.stderr.contains("recorded 1 interaction(s)"), "\(r.stderr)")
        #expect(!r.stderr.contains(Self.key))
        let saved = try String(contentsOfFile: cassette, encoding: .utf8)
        #expect(!saved.contains(Self.key) && saved.contains("<redacted>"), "\(saved)")
    }

    @Test("a key that is a common word (`messages`) is too short to redact by value: the recording keeps its URL path and JSON keys, says so once, and replays (issue 16, item 13)")
    func shortSecretDoesNotMangle() throws {
        let dir = try temporaryDirectory()
        let cassette = dir.appendingPathComponent("short.json").path
        let server = FakeProviderServer { _ in .anthropicText(["the messages"]) }
        try server.start()
        defer { server.stop() }
        let script = "for i = 1, 2 do print(llm.chat{ model = 'claude-test', messages = {{ role = 'user', content = 'messages ' .. i }} }.text) end"
        var e = env(server)
        e["ANTHROPIC_API_KEY"] = "messages"
        let r = try ProcessRunner.moonwire(["run", "--record", cassette, "-e", script], environment: e)
        #expect(r.status == 0 && r.stdout == "the messages\nthe messages\n", "\(r.stderr)")
        #expect(r.stderr.components(separatedBy: "is shorter than 16 characters").count == 2, "said once: \(r.stderr)")
        #expect(!r.stderr.contains("messages)"), "the warning must not show the key: \(r.stderr)")
        let saved = try String(contentsOfFile: cassette, encoding: .utf8)
        #expect(saved.contains("/v1/messages") && saved.contains(#""messages""#) && saved.contains("the messages"), "\(saved)")
        #expect(saved.contains(#""x-api-key": "<redacted>""#) || saved.contains(#""x-api-key":"<redacted>""#), "the header is still redacted by name")
        server.stop()
        let replay = try ProcessRunner.moonwire(["run", "--replay", cassette, "-e", script], environment: env(nil))
        #expect(replay.status == 0 && replay.stdout == "the messages\nthe messages\n", "\(replay.stderr)")
    }

    @Test("a cassette that cannot be saved fails the run (exit 1) and says why once, however many calls were made (issue 16)")
    func unsavableCassetteFailsTheRun() throws {
        let dir = try temporaryDirectory()
        let blocker = dir.appendingPathComponent("a-file")
        try Data().write(to: blocker)
        let cassette = blocker.appendingPathComponent("c.json").path  // a folder that cannot exist
        let server = FakeProviderServer { _ in .anthropicText(["ok"]) }
        try server.start()
        defer { server.stop() }
        let r = try ProcessRunner.moonwire(
            ["run", "--record", cassette, "-e", "for i = 1, 3 do io.write(llm.chat{ model = 'claude-test', prompt = 'x' .. i }.text, ' ') end print()"],
            environment: env(server))
        #expect(r.stdout == "ok ok ok \n", "\(r.stdout)")
        #expect(r.status == 1, "a lost cassette must fail the run: \(r.stderr)")
        let said = r.stderr.components(separatedBy: "cannot write to").count - 1
        #expect(said == 1, "\(r.stderr)")
    }

    @Test("broken cassettes are clear errors naming the file and the problem", arguments: [
        ("not json at all", "not valid JSON"),
        ("{\"moonwire_cassette\": 99, \"interactions\": []}", "unsupported cassette version 99"),
        ("{\"moonwire_cassette\": 1, \"interactions\": [ {\"request\": {\"method\": \"POST\"", "not valid JSON"),
        ("{\"interactions\": []}", "not a Moonwire cassette"),
        ("{\"moonwire_cassette\": 1, \"interactions\": [ {\"request\": {\"method\": \"POST\", \"url\": \"/x\"}} ]}", "needs a \"response\" or an \"error\""),
    ])
    func brokenCassettes(_ content: String, _ expected: String) throws {
        let dir = try temporaryDirectory()
        let cassette = dir.appendingPathComponent("bad.json")
        try write(content, to: cassette)
        let r = try ProcessRunner.moonwire(["run", "--replay", cassette.path, "-e", "print(1)"], environment: env(nil))
        #expect(r.status == 1)
        #expect(r.stderr.contains(cassette.path), "\(r.stderr)")
        #expect(r.stderr.contains(expected), "\(r.stderr)")
    }

    @Test("recording where no file can be written: clear error, the script's output is not lost")
    func unwritableFolder() throws {
        let dir = try temporaryDirectory()
        // A "folder" that is a file: no user, root included, can create files in it.
        let notADirectory = dir.appendingPathComponent("plain-file")
        try write("x", to: notADirectory)
        let server = FakeProviderServer(responses: [.anthropicText(["kept"])])
        try server.start()
        defer { server.stop() }
        let target = notADirectory.appendingPathComponent("c.json").path
        let r = try ProcessRunner.moonwire(["run", "--record", target, "-e", "print(llm.chat{ model = 'claude-test', prompt = 'x' }.text)"], environment: env(server))
        #expect(r.stdout == "kept\n")
        #expect(r.stderr.contains("cannot write"), "\(r.stderr)")
    }

    @Test("--chaos injects a 529 into a replay")
    func chaos() throws {
        let dir = try temporaryDirectory()
        let script = dir.appendingPathComponent("s.lua")
        try write(Self.streamScript, to: script)
        let cassette = dir.appendingPathComponent("s.json").path
        let server = FakeProviderServer(responses: [.anthropicText(["fine"])])
        try server.start()
        _ = try ProcessRunner.moonwire(["run", "--record", cassette, script.path], environment: env(server))
        server.stop()
        // The fault is served instead of the recording; the plain call's retry gets the recording (issues 10 and 12).
        let r = try ProcessRunner.moonwire(["run", "--replay", cassette, "--chaos", "529@1", script.path], environment: env(nil))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("fine"), "\(r.stdout)")
        let noRetry = dir.appendingPathComponent("n.lua")
        try write("llm.configure{ retry = { max_retries = 0 } }\n" + Self.streamScript, to: noRetry)
        let failed = try ProcessRunner.moonwire(["run", "--replay", cassette, "--chaos", "529@1", noRetry.path], environment: env(nil))
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("overloaded (529)"), "\(failed.stderr)")
        let bad = try ProcessRunner.moonwire(["run", "--replay", cassette, "--chaos", "explode@1", script.path], environment: env(nil))
        #expect(bad.status == 64)
        #expect(bad.stderr.contains("unknown fault 'explode'"), "\(bad.stderr)")
    }
}
