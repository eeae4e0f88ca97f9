import FakeProvider
import Foundation
import Testing
import TestSupport

/// Hardening (issue 16), through the binary: hostile servers on 127.0.0.1 and
/// hostile files made by the test. Memory bounds are read from outside, as the
/// process's peak RSS (`/usr/bin/time -f %M`), never from timings.
@Suite("Hostile servers and files: bounded memory, typed errors", .serialized)
struct HostileServerTests {
    private func script(_ text: String) throws -> URL {
        try TemporaryFiles.script(text, prefix: "hostile", name: "hostile.lua")
    }

    private func env(_ server: FakeProviderServer) -> [String: String] {
        ["ANTHROPIC_API_KEY": "sk-ant-test-0123456789abcdef", "ANTHROPIC_BASE_URL": server.baseURL, "MOONWIRE_MODEL": "claude-test",
         "MOONWIRE_CASSETTE": "", "MOONWIRE_RECORD_MODE": "", "OPENAI_API_KEY": "", "OPENAI_BASE_URL": server.baseURL]
    }

    /// Runs `moonwire run SCRIPT` under /usr/bin/time; the result and the peak RSS in MB.
    private func runMeasured(_ text: String, _ environment: [String: String], arguments: [String] = []) throws -> (ProcessResult, Double) {
        let url = try script(text)
        return try measured(["run"] + arguments + [url.path], in: url.deletingLastPathComponent(), environment: environment)
    }

    /// `moonwire cassette import FILE` under /usr/bin/time.
    private func importMeasured(_ file: URL) throws -> (ProcessResult, Double) {
        let out = file.deletingPathExtension().appendingPathExtension("json").path
        return try measured(["cassette", "import", file.path, "-o", out], in: file.deletingLastPathComponent(), environment: [:])
    }

    /// The binary with `arguments` under /usr/bin/time: the result and the peak RSS in MB (-1 if unread).
    private func measured(_ arguments: [String], in dir: URL, environment: [String: String]) throws -> (ProcessResult, Double) {
        let rssFile = dir.appendingPathComponent("rss-\(UUID().uuidString)").path
        let r = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/time"), ["-f", "%M", "-o", rssFile, Repository.moonwireBinary.path] + arguments,
                                      environment: environment, timeout: 120)
        let kb = (try? String(contentsOfFile: rssFile, encoding: .utf8))?.split(separator: "\n").last.flatMap { Double($0) } ?? -1
        return (r, kb < 0 ? -1 : kb / 1024)
    }

    /// A gzip stream of `megabytes` MiB of zeros, about a thousandth of that on
    /// the wire, built from repeated deflate blocks so it costs no time to make.
    static func gzipOfZeros(megabytes: Int) throws -> [UInt8] {
        let python = """
            import zlib, struct, sys
            n = int(sys.argv[1]); z = bytes(1 << 20)
            c = zlib.compressobj(9, zlib.DEFLATED, 31)
            a = c.compress(z) + c.flush(zlib.Z_FULL_FLUSH)
            b = c.compress(z) + c.flush(zlib.Z_FULL_FLUSH)
            end = c.compress(z) + c.flush()
            crc = 0
            for _ in range(n): crc = zlib.crc32(z, crc)
            open(sys.argv[2], 'wb').write(a + b * (n - 2) + end[:-8] + struct.pack('<II', crc, (n << 20) & 0xffffffff))
            """
        let file = try TemporaryFiles.directory("bomb").appendingPathComponent("bomb.gz")
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let r = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/python3"), ["-c", python, String(megabytes), file.path])
        #expect(r.status == 0, "python3: \(r.stderr)")
        return Array(try Data(contentsOf: file))
    }

    @Test("a gzip bomb (1 MB on the wire, 1 GiB inflated) fails as bad_response at the body limit, in bounded memory (issue 16)")
    func gzipBomb() throws {
        let bomb = try Self.gzipOfZeros(megabytes: 1024)
        let server = FakeProviderServer { _ in
            ScriptedResponse(status: 200, headers: [("content-type", "application/json"), ("content-encoding", "gzip")], body: .whole(bomb))
        }
        try server.start()
        defer { server.stop() }
        let (r, peakMB) = try runMeasured("""
            llm.configure{ retry = { max_retries = 0 } }
            local ok, e = pcall(llm.chat, { prompt = "x", stream = false })
            print(ok, e.kind, e.message)
            """, env(server))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("false\tbad_response\t") && r.stdout.contains("larger than 67108864 bytes"), "\(r.stdout)")
        #expect(peakMB > 0 && peakMB < 400, "peak RSS \(peakMB) MB for a 1 GiB bomb")
    }

    @Test("a stream that goes on past max_response_bytes fails as bad_response, for on_text and for the iterator (issue 16)")
    func streamSizeBound() throws {
        // 4 MB of text deltas against a 1 MiB bound.
        let token = String(repeating: "a", count: 4000)
        let server = FakeProviderServer { _ in .anthropicText(Array(repeating: token, count: 1000)) }
        try server.start()
        defer { server.stop() }
        let (r, _) = try runMeasured("""
            llm.configure{ max_response_bytes = 1048576 }
            local seen = 0
            local ok, e = pcall(llm.chat, { prompt = "x", on_text = function(t) seen = seen + #t end })
            print("on_text", ok, e.kind, e.message:match("max_response_bytes") ~= nil, seen <= 1048576)
            local got = 0
            local ok2, e2 = pcall(function() for ev in llm.stream{ prompt = "x" } do got = got + #(ev.text or "") end end)
            print("stream", ok2, e2.kind, tostring(e2.message):match("passed 1048576 bytes") ~= nil, got <= 1048576)
            print(pcall(llm.configure, { max_response_bytes = 10 }))
            """, env(server))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == """
            on_text\tfalse\tbad_response\ttrue\ttrue
            stream\tfalse\tbad_response\ttrue\ttrue
            false\tbad argument #1 to 'configure' (field 'max_response_bytes' must be between 1024 and 1099511627776, got 10)

            """, "\(r.stdout)")
    }

    @Test("numbers out of range are errors naming the field and the range, never a trap (issue 16)")
    func numbersOutOfRange() throws {
        let env = ["ANTHROPIC_API_KEY": "sk-ant-test-0123456789abcdef", "MOONWIRE_MODEL": "claude-test"]
        let r = try ProcessRunner.moonwire(["-e", """
            local p = {{ kind = "anthropic", model = "m" }}
            for _, o in ipairs{ { timeout = { first_token = 1e300 } }, { retry = { base_delay = 1e300 } }, { retry = { max_retries = math.maxinteger } },
                                { hedge_after = -(0/0) }, { rate = { rpm = 0 } }, { max_response_bytes = 1e300 } } do
              o.providers = p
              print(select(2, pcall(llm.client, o)))
            end
            print(select(2, pcall(llm.chat, { prompt = "x", max_tokens = -1 })))
            print(select(2, pcall(llm.chat, { prompt = "x", temperature = 1e300 })))
            """], environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == """
            bad argument #1 to 'client' (field 'timeout.first_token' must be more than 0 and at most 31536000 seconds, got 1e+300)
            bad argument #1 to 'client' (field 'retry.base_delay' must be between 0 and 31536000 seconds, got 1e+300)
            bad argument #1 to 'client' (field 'retry.max_retries' must be between 0 and 100, got 9223372036854775807)
            bad argument #1 to 'client' (field 'hedge_after' must be more than 0 and at most 31536000 seconds, got nan)
            bad argument #1 to 'client' (field 'rate.rpm' must be more than 0 and at most 1e12, got 0)
            bad argument #1 to 'client' (field 'max_response_bytes' must be an integer, got number)
            bad argument #1 to 'chat' (field 'max_tokens' must be between 1 and 100000000, got -1)
            bad argument #1 to 'chat' (field 'temperature' must be between 0 and 2, got 1e+300)

            """, "\(r.stdout)")
        for flags in [["run", "--speed", "1e-300"], ["serve", "--cassette", "x.json", "--speed", "1e300"]] {
            let bad = try ProcessRunner.moonwire(flags + ["-e", "print(1)"].prefix(flags[0] == "run" ? 2 : 0))
            #expect(bad.status == 64 && bad.stderr.contains("--speed must be 0 (no waits) or from 0.001 to 1000000"), "\(flags): \(bad.stderr)")
        }
    }

    @Test("a key passed as api_key and echoed back by the server is redacted in the cassette, which is saved, and in error messages (issue 16)")
    func echoedKeyIsRedacted() throws {
        let key = "sk-ant-passed-by-script-0123456789"
        let server = FakeProviderServer { request in
            let sent = request.header("x-api-key") ?? ""
            if request.bodyText.contains("fail") {
                return .json(#"{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key: \#(sent)"}}"#, status: 401)
            }
            return .anthropicText(["your key is ", sent])
        }
        try server.start()
        defer { server.stop() }
        let dir = try TemporaryFiles.directory("echo")
        let cassette = dir.appendingPathComponent("echo.cassette.json").path
        let script = try self.script("""
            llm.configure{ anthropic = { api_key = "\(key)", base_url = os.getenv("ANTHROPIC_BASE_URL") } }
            print(llm.chat{ prompt = "hello" }.text)
            local ok, e = pcall(llm.chat, { prompt = "fail" })
            print(e.kind, e.message)
            print(tostring(e))
            print(pcall(llm.configure, { anthropic = { api_key = "abc\\r\\nX-Injected: yes" } }))
            local ok2, e2 = pcall(llm.chat, { prompt = "x" })
            print(e2.kind, e2.message)
            """)
        var environment = env(server)
        environment["ANTHROPIC_API_KEY"] = ""
        let r = try ProcessRunner.moonwire(["run", "--record", cassette, script.path], environment: environment)
        #expect(r.status == 0, "\(r.stderr)")
        // The live answer reaches the script as sent; everything else keeps the key out.
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == "your key is \(key)", "\(r.stdout)")
        #expect(!lines.dropFirst().joined().contains(key) && !r.stderr.contains(key), "the key leaked: \(r.stdout) \(r.stderr)")
        #expect(r.stdout.contains("auth\tinvalid x-api-key: <redacted>"), "\(r.stdout)")
        #expect(r.stdout.contains("config\tapi_key contains a carriage return (\\r), which a header value cannot hold"), "\(r.stdout)")
        let saved = try String(contentsOfFile: cassette, encoding: .utf8)
        #expect(!saved.contains(key) && saved.contains("<redacted>"), "\(saved.prefix(400))")
        #expect(server.requests.allSatisfy { $0.header("x-injected") == nil })
    }

    @Test("cassette import stops a billion-laughs YAML and a gzip bomb body with an error naming the file, in bounded memory (issue 16)")
    func hostileVCRFiles() throws {
        let dir = try TemporaryFiles.directory("vcr")
        var yaml = #"a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]"# + "\n"
        let names = Array("abcdefghi")
        for (previous, name) in zip(names, names.dropFirst()) {
            yaml += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
        }
        yaml += """
            interactions:
            - request: {method: POST, uri: "http://x/v1/messages", body: "x", headers: {}}
              response: {status: {code: 200, message: OK}, headers: {}, body: {string: ""}, parsed_body: *i}

            """
        let laughs = dir.appendingPathComponent("laughs.yaml")
        try yaml.write(to: laughs, atomically: true, encoding: .utf8)
        let (r, peak) = try importMeasured(laughs)
        #expect(r.status == 1 && r.stderr.contains(laughs.path) && r.stderr.contains("expands past 67108864 bytes"), "\(r.stderr)")
        #expect(peak > 0 && peak < 600, "peak RSS \(peak) MB")

        let bomb = try Self.gzipOfZeros(megabytes: 300)
        let base64 = Data(bomb).base64EncodedString()
        let gz = """
            interactions:
            - request: {method: POST, uri: "http://x/v1/messages", body: "x", headers: {}}
              response:
                status: {code: 200, message: OK}
                headers: {Content-Encoding: [gzip]}
                body: {string: !!binary "\(base64)"}

            """
        let gzFile = dir.appendingPathComponent("bomb.yaml")
        try gz.write(to: gzFile, atomically: true, encoding: .utf8)
        let (g, gzPeak) = try importMeasured(gzFile)
        #expect(g.status == 1 && g.stderr.contains(gzFile.path) && g.stderr.contains("inflates past 268435456 bytes"), "\(g.stderr)")
        #expect(gzPeak > 0 && gzPeak < 900, "peak RSS \(gzPeak) MB")
    }

    @Test("headers = {...} on calls, client providers and llm.configure reach the server; credential-like values are redacted by value (issue 16)")
    func extraHeaders() throws {
        let azureKey = "azure-key-passed-in-headers-0123456789"
        let server = FakeProviderServer { request in
            .anthropicText(["got ", request.header("api-key") ?? "-", " ", request.header("x-team") ?? "-"])
        }
        try server.start()
        defer { server.stop() }
        let dir = try TemporaryFiles.directory("headers")
        let cassette = dir.appendingPathComponent("h.cassette.json").path
        let script = try self.script("""
            print(llm.chat{ prompt = "a", headers = { ["api-key"] = "\(azureKey)", ["x-team"] = "blue" } }.text == "got \(azureKey) blue")
            llm.configure{ anthropic = { headers = { ["x-team"] = "green" } } }
            print(llm.chat{ prompt = "b" }.text)
            local c = llm.client{ providers = {{ kind = "anthropic", model = "claude-test", base_url = os.getenv("ANTHROPIC_BASE_URL"), headers = { ["x-team"] = "red" } }} }
            print(c:chat{ prompt = "c" }.text)
            print(select(2, pcall(llm.chat, { prompt = "d", headers = { ["bad name"] = "x" } })))
            print(select(2, pcall(llm.chat, { prompt = "d", headers = { ["x-a"] = "1\\n2" } })))
            print(select(2, pcall(llm.chat, { prompt = "d", headers = { ["x-a"] = 5 } })))
            """)
        let r = try ProcessRunner.moonwire(["run", "--record", cassette, script.path], environment: env(server))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == """
            true
            got - green
            got - red
            bad argument #1 to 'chat' (field 'headers': 'bad name' is not a header name)
            bad argument #1 to 'chat' (field 'headers["x-a"]' contains a line feed (\\n), which a header value cannot hold)
            bad argument #1 to 'chat' (field 'headers' must map header names to strings: the value of 'x-a' is a number)

            """, "\(r.stdout)")
        let saved = try String(contentsOfFile: cassette, encoding: .utf8)
        #expect(!saved.contains(azureKey) && saved.contains("green"), "\(saved.prefix(600))")
    }

    @Test("many calls at once, each a 4 MB gzip body that inflates past the 1 MiB delivery bound: every transfer pauses, resumes and answers whole (issue 16)")
    func concurrentInflatingBodies() throws {
        let text = String(repeating: "lorem ipsum ", count: 350_000)  // 4.2 MB, a few kB gzipped
        let json = #"{"id":"msg_1","type":"message","role":"assistant","model":"claude-test","content":[{"type":"text","text":"\#(text)"}],"stop_reason":"end_turn","usage":{"input_tokens":1,"output_tokens":1}}"#
        let dir = try TemporaryFiles.directory("gz")
        let plain = dir.appendingPathComponent("body.json"), packed = dir.appendingPathComponent("body.json.gz")
        try json.write(to: plain, atomically: true, encoding: .utf8)
        let gz = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/python3"),
                                       ["-c", "import gzip,sys; open(sys.argv[2],'wb').write(gzip.compress(open(sys.argv[1],'rb').read()))", plain.path, packed.path])
        #expect(gz.status == 0, "\(gz.stderr)")
        let body = Array(try Data(contentsOf: packed))
        let server = FakeProviderServer { _ in
            ScriptedResponse(status: 200, headers: [("content-type", "application/json"), ("content-encoding", "gzip")], body: .whole(body))
        }
        try server.start()
        defer { server.stop() }
        let (r, peakMB) = try runMeasured("""
            local items = {}
            for i = 1, 24 do items[i] = i end
            local lengths = llm.map(items, function(i) return #llm.chat{ prompt = "x" .. i, stream = false }.text end, { concurrency = 12 })
            local whole = 0
            for i = 1, 24 do if lengths[i] == \(text.utf8.count) then whole = whole + 1 end end
            print(whole)
            """, env(server))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "24\n", "\(r.stdout) \(r.stderr)")
        #expect(server.requests.count == 24)
        #expect(peakMB > 0 && peakMB < 1024, "peak RSS \(peakMB) MB")
    }
}
