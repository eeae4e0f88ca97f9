// `moonwire serve` and `moonwire cassette import` through the built binary:
// a served cassette answers curl with the recorded bytes, misses and faults;
// every shared VCR cassette imports losslessly and without secrets.
import Foundation
import JSON
import LLMCore
import Testing
import TestSupport

@Suite("moonwire serve and moonwire cassette import")
struct ServeAndImportTests {
    static let yamlFiles = ((try? Fixtures.conformanceFiles(endingWith: ".yaml")) ?? []).map {
        $0.deletingLastPathComponent().lastPathComponent + "/" + $0.lastPathComponent
    }
    static let prompt = "anthropic/llm-anthropic__test_prompt.yaml"

    /// A POST with `body` through curl, bounded; the response body lands in `output`.
    private func curl(_ url: String, body: [UInt8], in dir: URL) throws -> (status: String, exit: Int32, body: [UInt8]) {
        let bodyFile = dir.appendingPathComponent("body-\(UUID().uuidString).json")
        let output = dir.appendingPathComponent("response-\(UUID().uuidString)")
        try Data(body).write(to: bodyFile)
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/curl"), [
            "-sN", "--max-time", "20", "-X", "POST", "-H", "content-type: application/json",
            "--data-binary", "@" + bodyFile.path, "-o", output.path, "-w", "%{http_code}", url,
        ], timeout: 30)
        let received = (try? Data(contentsOf: output)).map(Array.init) ?? []
        return (result.stdout, result.status, received)
    }

    private func recordedRequestBody(_ cassette: Cassette, _ index: Int = 0) throws -> [UInt8] {
        try #require(cassette.interactions[index].request.body).bytes
    }

    private func errorObject(_ bytes: [UInt8]) throws -> JSONValue? {
        try JSONParser.parse(bytes)["error"]
    }

    // MARK: serve

    @Test("serve streams the recorded chunks to curl, then 404s a repeat and a different request")
    func serveStreamsRecordedBytes() throws {
        let dir = try ImportedCassette.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (cassette, path) = try ImportedCassette.load(Self.prompt, into: dir)
        let server = try ServeProcess(cassette: path, logDirectory: dir)  // default --speed 1: the 1 ms spacing is played
        defer { #expect(server.stop() == 0, "serve exits 0 on SIGTERM: \(server.log)") }
        let url = server.baseURL + "/v1/messages"
        let body = try recordedRequestBody(cassette)

        let hit = try curl(url, body: body, in: dir)
        #expect(hit.exit == 0 && hit.status == "200", "\(server.log)")
        let recorded = try #require(cassette.interactions[0].response?.chunks)
        #expect(recorded.count > 5)
        #expect(hit.body == recorded.flatMap(\.bytes))

        let repeated = try curl(url, body: body, in: dir)
        #expect(repeated.status == "404")
        let exhausted = try errorObject(repeated.body)
        #expect(exhausted?["type"] == "replay_mismatch")
        #expect(exhausted?["message"]?.stringValue?.contains("already replayed") == true)

        let other = try curl(url, body: Array(#"{"model":"claude-sonnet-4-5","max_tokens":5,"messages":[]}"#.utf8), in: dir)
        #expect(other.status == "404")
        let miss = try errorObject(other.body)
        #expect(miss?["type"] == "replay_mismatch")
        #expect(miss?["message"]?.stringValue?.contains("no recorded interaction matches POST /v1/messages; nearest is #0") == true)
        #expect(server.log.contains("#1 POST /v1/messages: interaction 0"))
    }

    @Test("moonwire itself, as any client would, replays a real-model recording from serve")
    func moonwireAsClient() throws {
        let dir = try ImportedCassette.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        // Interaction 2: llama-cpp-python streaming SmolLM2's answer to "What is 2 + 2?".
        let cassette = Repository.root.appendingPathComponent("examples/fallback.cassette.json").path
        let server = try ServeProcess(cassette: cassette, arguments: ["--speed", "0"], logDirectory: dir)
        defer { #expect(server.stop() == 0) }
        let chunk = """
            local r = llm.chat{ provider = "openai", base_url = "\(server.baseURL)/v1", model = "smollm2",
                                prompt = "What is 2 + 2?", max_tokens = 30, temperature = 0,
                                on_text = function(t) io.write("[", t, "]") end }
            print() print(r.text, r.stop_reason)
            """
        let env = ["OPENAI_API_KEY": "", "ANTHROPIC_API_KEY": "", "MOONWIRE_CASSETTE": "", "MOONWIRE_RECORD_MODE": ""]
        let run = try ProcessRunner.moonwire(["run", "--live", "-e", chunk], environment: env, timeout: 60)
        #expect(run.status == 0, "\(run.stderr)\n\(server.log)")
        #expect(run.stdout == "[The][ answer][ is][:][ ][4]\nThe answer is: 4\tstop\n")
        #expect(server.log.contains("#1 POST /v1/chat/completions: interaction 2"))
    }

    @Test("--chaos 529@1 answers the first request with an Anthropic-shaped 529")
    func chaosStatus() throws {
        let dir = try ImportedCassette.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (cassette, path) = try ImportedCassette.load(Self.prompt, into: dir)
        let server = try ServeProcess(cassette: path, arguments: ["--chaos", "529@1"], logDirectory: dir)
        defer { #expect(server.stop() == 0) }
        let reply = try curl(server.baseURL + "/v1/messages", body: try recordedRequestBody(cassette), in: dir)
        #expect(reply.status == "529")
        let json = try JSONParser.parse(reply.body)
        #expect(json["type"] == "error")
        #expect(json["error"]?["type"] == "overloaded_error")
    }

    @Test("--chaos drop:2 cuts the stream after two recorded chunks")
    func chaosDrop() throws {
        let dir = try ImportedCassette.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (cassette, path) = try ImportedCassette.load(Self.prompt, into: dir)
        let server = try ServeProcess(cassette: path, arguments: ["--chaos", "drop:2", "--speed", "0"], logDirectory: dir)
        defer { #expect(server.stop() == 0) }
        let reply = try curl(server.baseURL + "/v1/messages", body: try recordedRequestBody(cassette), in: dir)
        #expect(reply.exit == 18)  // curl: partial file (the chunked body never ended)
        let chunks = try #require(cassette.interactions[0].response?.chunks)
        #expect(reply.body == chunks.prefix(2).flatMap(\.bytes))
    }

    @Test("a recorded transport error closes the connection without a response")
    func recordedErrorDrops() throws {
        let dir = try ImportedCassette.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("reset.json").path
        try Data("""
            { "moonwire_cassette": 1, "interactions": [ {
              "request": { "method": "POST", "url": "https://api.openai.com/v1/chat/completions", "headers": {}, "body": { "model": "m" } },
              "error": { "kind": "network", "message": "connection reset by peer", "at_ms": 12 } } ] }
            """.utf8).write(to: URL(fileURLWithPath: path))
        let server = try ServeProcess(cassette: path, logDirectory: dir)
        defer { #expect(server.stop() == 0) }
        let reply = try curl(server.baseURL + "/v1/chat/completions", body: Array(#"{"model":"m"}"#.utf8), in: dir)
        #expect(reply.exit == 52)  // curl: empty reply from server
    }

    @Test("serve: a missing cassette or a bad --chaos fails before listening")
    func serveBadInput() throws {
        let missing = try ProcessRunner.moonwire(["serve", "--cassette", "/nonexistent/c.json"], timeout: 30)
        #expect(missing.status == 1 && !missing.timedOut)
        #expect(missing.stderr.contains("cassette /nonexistent/c.json"))
        let dir = try ImportedCassette.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let (_, path) = try ImportedCassette.load(Self.prompt, into: dir)
        let chaos = try ProcessRunner.moonwire(["serve", "--cassette", path, "--chaos", "bogus"], timeout: 30)
        #expect(chaos.status == 64 && !chaos.timedOut)
        #expect(chaos.stderr.contains("unknown fault 'bogus'"))
        #expect(chaos.stdout.isEmpty)
    }

    // MARK: import

    @Test func everyConformanceCassetteIsFound() {
        #expect(Self.yamlFiles.count >= 20)
    }

    @Test("import keeps every request and response, decoded, with credentials redacted", arguments: yamlFiles)
    func importsConformanceCassette(_ file: String) throws {
        let vcr = try VCRCassette.load(Fixtures.conformance(file))
        let (cassette, _) = try ImportedCassette.load(file)
        #expect(cassette.interactions.count == vcr.interactions.count)
        #expect(cassette.note?.hasPrefix("imported from \(URL(fileURLWithPath: file).lastPathComponent)") == true)
        var secrets: [String] = []
        var haystack: [UInt8] = []
        for (recorded, converted) in zip(vcr.interactions, cassette.interactions) {
            #expect(converted.request.method == recorded.request.method.uppercased())
            #expect(converted.request.url == recorded.request.uri)
            #expect(sameBody(converted.request.body?.bytes ?? [], Array(recorded.request.body ?? Data())))
            let response = try #require(converted.response)
            #expect(response.status == recorded.response.status)
            if let chunks = response.chunks {
                #expect(chunks.flatMap(\.bytes) == Array(recorded.response.body), "the chunks joined are the recorded stream")
                #expect(!chunks.isEmpty)  // a one-event Gemini stream is one chunk
            } else {
                #expect(sameBody(response.body?.bytes ?? [], Array(recorded.response.body)))
            }
            if recorded.response.bodyWasGzipped {
                #expect(response.headers["content-encoding"] == nil && response.headers["content-length"] == nil)
            }
            for (name, value) in Array(converted.request.headers) + Array(response.headers) {
                #expect(name == name.lowercased())
                if Redactor.isSensitiveHeader(name) { #expect(value == Redactor.placeholder, "\(name)") }
                haystack += Array(value.utf8)
            }
            haystack += converted.request.body?.bytes ?? []
            haystack += response.bodyBytes
            for (name, values) in Array(recorded.request.headers) + Array(recorded.response.headers) where Redactor.isSensitiveHeader(name) {
                secrets += values.filter { $0.count >= 8 }
            }
        }
        let text = String(decoding: haystack, as: UTF8.self)
        let leaked = secrets.filter { text.contains($0) }.count
        #expect(leaked == 0, "\(leaked) of \(secrets.count) credential header values survived the import")
    }

    /// JSON compared as JSON (the cassette re-encodes it), anything else byte for byte.
    private func sameBody(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard let x = try? JSONParser.parse(a), let y = try? JSONParser.parse(b) else { return a == b }
        let sorted = JSONWriter(options: .sortedKeys)
        return (try? sorted.bytes(x)) == (try? sorted.bytes(y))
    }

    @Test("without -o the cassette goes beside the YAML, named .json")
    func defaultOutputName() throws {
        let dir = try ImportedCassette.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let yaml = dir.appendingPathComponent("session.yaml")
        try FileManager.default.copyItem(at: Fixtures.conformance(Self.prompt), to: yaml)
        let result = try ProcessRunner.moonwire(["cassette", "import", yaml.path])
        #expect(result.status == 0, "\(result.stderr)")
        let out = dir.appendingPathComponent("session.json")
        #expect(result.stdout == "imported 1 interaction(s) from \(yaml.path) to \(out.path)\n")
        #expect(try CassetteCodec.decode(Array(Data(contentsOf: out))).interactions.count == 1)
    }

    @Test("a file that is not a VCR cassette is named in a clear error", arguments: [
        ("not-vcr.yaml", "model: gpt-4o\nmessages: []\n", "not a VCR cassette (no 'interactions' list)"),
        ("broken.yaml", "interactions: [\n  - request: {\n", "not a VCR cassette (not valid YAML"),
        ("bad-entry.yaml", "interactions:\n- request: {method: POST}\n", "interactions[0] lacks request or response"),
        // Found by scripts/fuzz vcr: a status the cassette format refuses was imported, and the cassette did not load.
        ("bad-status.yaml", "interactions:\n- request: {method: POST, uri: 'https://x/v1/messages'}\n  response: {status: {code: 808}}\n",
         "interactions[0].response: status.code 808 is not an HTTP status (100-599)"),
    ])
    func notAVCRCassette(_ name: String, _ content: String, _ message: String) throws {
        let dir = try ImportedCassette.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let yaml = dir.appendingPathComponent(name)
        try Data(content.utf8).write(to: yaml)
        let result = try ProcessRunner.moonwire(["cassette", "import", yaml.path])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("moonwire: \(yaml.path): \(message)"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent(name.replacingOccurrences(of: ".yaml", with: ".json")).path))
    }

    @Test("a missing input and an unwritable output are clear errors")
    func unreadableAndUnwritable() throws {
        let missing = try ProcessRunner.moonwire(["cassette", "import", "/nonexistent/in.yaml"])
        #expect(missing.status == 1)
        #expect(missing.stderr == "moonwire: /nonexistent/in.yaml: no such file\n")
        // A folder that does not exist: unwritable even for root.
        let out = "/nonexistent-\(UUID().uuidString)/out.json"
        let unwritable = try ProcessRunner.moonwire(["cassette", "import", Fixtures.conformance(Self.prompt).path, "-o", out])
        #expect(unwritable.status == 1)
        #expect(unwritable.stderr == "moonwire: cannot write \(out) (No such file or directory)\n")
    }
}
