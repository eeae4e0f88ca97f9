import FakeProvider
import Foundation
import Testing
import TestSupport

/// The official anthropic and openai Python SDKs against `moonwire serve`
/// playing a Moonwire-recorded cassette (issue 12). The SDKs live in a venv
/// that scripts/setup makes under .build/sdk-venv from PyPI; without it these
/// tests are skipped, and say so.
@Suite("The official SDKs replay through moonwire serve", .serialized,
       .enabled(if: SDKVenv.python != nil, "no SDK venv at .build/sdk-venv (scripts/setup makes it; PyPI was out of reach)"))
struct SDKReplayTests {
    static var python: URL? { SDKVenv.python }
    static let client = Repository.root.appendingPathComponent("Tests/sdk/replay_client.py").path

    /// A cassette recorded by Moonwire from a live (synthetic) server: one
    /// Anthropic stream and one OpenAI stream for the prompt "hello".
    private func recordedCassette() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("moonwire-sdk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let server = SyntheticProvider().server()
        try server.start()
        defer { server.stop() }
        let script = dir.appendingPathComponent("rec.lua")
        try """
            print(llm.chat{ prompt = "hello" }.text)
            print(llm.chat{ model = "gpt-test", provider = "openai", prompt = "hello" }.text)
            """.write(to: script, atomically: true, encoding: .utf8)
        let cassette = dir.appendingPathComponent("rec.json").path
        let r = try ProcessRunner.moonwire(["run", "--record", cassette, script.path], environment: [
            "ANTHROPIC_BASE_URL": server.baseURL, "OPENAI_BASE_URL": server.baseURL + "/v1", "ANTHROPIC_API_KEY": "k",
            "OPENAI_API_KEY": "k", "MOONWIRE_MODEL": "claude-test", "MOONWIRE_CASSETTE": "", "MOONWIRE_RECORD_MODE": ""])
        #expect(r.status == 0, "\(r.stderr)")
        return cassette
    }

    private func sdk(_ serve: ServeProcess, _ testCase: String) throws -> [String: Any] {
        let r = try ProcessRunner.run(Self.python!, [Self.client, serve.baseURL, testCase], timeout: 60)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        return try #require(json, "\(r.stdout) \(r.stderr)")
    }

    @Test("a Moonwire-recorded stream replays to plain SDK requests: string content, no stream_options")
    func plainRequestsMatch() throws {
        let serve = try ServeProcess(cassette: try recordedCassette(), arguments: ["--speed", "0"], logDirectory: FileManager.default.temporaryDirectory)
        defer { _ = serve.stop() }
        #expect(try sdk(serve, "anthropic-stream")["text"] as? String == "Answer to hello.")
        #expect(try sdk(serve, "openai-stream")["text"] as? String == "Answer to hello.")
    }

    @Test("--chaos 529@1: the SDK's own retry gets the recording")
    func retryAfterInjectedFault() throws {
        let serve = try ServeProcess(cassette: try recordedCassette(), arguments: ["--speed", "0", "--chaos", "529@1"], logDirectory: FileManager.default.temporaryDirectory)
        defer { _ = serve.stop() }
        #expect(try sdk(serve, "anthropic-stream")["text"] as? String == "Answer to hello.")
    }

    @Test("stall-before-head: the SDK times out, retries, and gets the recording")
    func stallBeforeHead() throws {
        let serve = try ServeProcess(cassette: try recordedCassette(), arguments: ["--speed", "0", "--chaos", "stall-before-head@1"], logDirectory: FileManager.default.temporaryDirectory)
        defer { _ = serve.stop() }
        let out = try sdk(serve, "anthropic-timeout")
        #expect((out["texts"] as? [Any])?.first as? String == "Answer to hello.", "\(out)")
        #expect((out["seconds"] as? Double ?? 0) >= 1, "the first attempt waited for its timeout")
    }

    @Test("a second identical call: 404 naming --repeat and reset; with --repeat both answer; reset starts over")
    func repeatAndReset() throws {
        let cassette = try recordedCassette()
        let once = try ServeProcess(cassette: cassette, arguments: ["--speed", "0"], logDirectory: FileManager.default.temporaryDirectory)
        let texts = try sdk(once, "anthropic-create")["texts"] as? [Any] ?? []
        #expect(texts.first as? String == "Answer to hello.")
        let second = (texts.last as? [String: Any]) ?? [:]
        #expect(second["status"] as? Int == 404)
        #expect((second["message"] as? String ?? "").contains("--repeat"), "\(second)")
        let reset = try ProcessRunner.run(Self.python!, ["-c", """
            import urllib.request
            print(urllib.request.urlopen(urllib.request.Request("\(once.baseURL)/__moonwire/reset", data=b"", method="POST")).status)
            """], timeout: 30)
        let status = Int(reset.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        #expect(status == 200)
        #expect((try sdk(once, "anthropic-create")["texts"] as? [Any])?.first as? String == "Answer to hello.", "after the reset")
        _ = once.stop()
        let repeating = try ServeProcess(cassette: cassette, arguments: ["--speed", "0", "--repeat"], logDirectory: FileManager.default.temporaryDirectory)
        defer { _ = repeating.stop() }
        let both = try sdk(repeating, "anthropic-create")["texts"] as? [Any] ?? []
        #expect(both.count == 2 && both.allSatisfy { $0 as? String == "Answer to hello." }, "\(both)")
    }

    @Test("embeddings recorded as base64 are served as floats to a client that asks for floats")
    func embeddingsInTheAskedEncoding() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("moonwire-emb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // 0.5 and -2 as little-endian float32, base64: what Moonwire asks for and records.
        let server = FakeProviderServer { _ in
            .json(#"{"object":"list","data":[{"object":"embedding","index":0,"embedding":"AAAAPwAAAMA="}],"model":"text-embedding-3-small","usage":{"prompt_tokens":1,"total_tokens":1}}"#)
        }
        try server.start()
        let script = dir.appendingPathComponent("e.lua")
        try #"print(table.concat(llm.embed{ model = "text-embedding-3-small", input = { "a" } }.vectors[1], ","))"#
            .write(to: script, atomically: true, encoding: .utf8)
        let cassette = dir.appendingPathComponent("e.json").path
        let r = try ProcessRunner.moonwire(["run", "--record", cassette, script.path], environment: [
            "OPENAI_BASE_URL": server.baseURL + "/v1", "OPENAI_API_KEY": "k", "MOONWIRE_CASSETTE": "", "MOONWIRE_RECORD_MODE": ""])
        server.stop()
        #expect(r.stdout == "0.5,-2.0\n", "\(r.stdout) \(r.stderr)")
        let serve = try ServeProcess(cassette: cassette, arguments: ["--speed", "0"], logDirectory: FileManager.default.temporaryDirectory)
        defer { _ = serve.stop() }
        let out = try sdk(serve, "openai-embed-float")
        #expect(out["vector"] as? [Double] == [0.5, -2], "\(out)")
    }

    @Test("injected faults look like the provider's: a reason phrase and a request id; malformed keeps its event line, so the SDK raises")
    func faultsLookReal() throws {
        let cassette = try recordedCassette()
        let overloaded = try ServeProcess(cassette: cassette, arguments: ["--speed", "0", "--chaos", "529"], logDirectory: FileManager.default.temporaryDirectory)
        let probe = try ProcessRunner.run(Self.python!, ["-c", """
            import json, urllib.request, urllib.error
            body = json.dumps({"model": "claude-test", "max_tokens": 4096, "stream": True, "messages": [{"role": "user", "content": "hello"}]}).encode()
            try:
                urllib.request.urlopen(urllib.request.Request("\(overloaded.baseURL)/v1/messages", data=body, headers={"content-type": "application/json"}))
            except urllib.error.HTTPError as e:
                print(e.code, e.reason, e.headers.get("request-id", "").startswith("req_"))
            """], timeout: 30)
        _ = overloaded.stop()
        #expect(probe.stdout == "529 Overloaded True\n", "\(probe.stdout) \(probe.stderr)")
        let malformed = try ServeProcess(cassette: cassette, arguments: ["--speed", "0", "--chaos", "malformed:0"], logDirectory: FileManager.default.temporaryDirectory)
        defer { _ = malformed.stop() }
        let out = try sdk(malformed, "anthropic-stream")
        #expect(out["text"] == nil && (out["error"] as? String) != nil, "the SDK raised instead of losing a token: \(out)")
    }

    @Test("--speed 1 replays the time to the head")
    func headLatency() throws {
        let cassette = try recordedCassette()
        // The recording's head came fast; say it took 800 ms, as a real provider's might.
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cassette))) as! [String: Any]
        var interactions = json["interactions"] as! [[String: Any]]
        var response = interactions[0]["response"] as! [String: Any]
        let shift = 800 - (response["head_at_ms"] as? Double ?? 0)
        response["head_at_ms"] = 800
        if var chunks = response["chunks"] as? [[String: Any]] {
            for i in chunks.indices { chunks[i]["at_ms"] = (chunks[i]["at_ms"] as? Double ?? 0) + shift }
            response["chunks"] = chunks
        }
        interactions[0]["response"] = response
        json["interactions"] = interactions
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: cassette))
        let serve = try ServeProcess(cassette: cassette, arguments: ["--speed", "1"], logDirectory: FileManager.default.temporaryDirectory)
        defer { _ = serve.stop() }
        let out = try sdk(serve, "anthropic-stream")
        #expect(out["text"] as? String == "Answer to hello.", "\(out)")
        #expect((out["seconds"] as? Double ?? 0) >= 0.79, "\(out)")
    }
}

enum SDKVenv {
    static let python: URL? = {
        let url = Repository.root.appendingPathComponent(".build/sdk-venv/bin/python")
        return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
    }()
}
