import FakeProvider
import Foundation
import Testing
import TestSupport

/// libcurl is loaded with the first HTTP request (CShims/curl_library.c), through
/// the binary: a script that makes none never maps it, and a libcurl that
/// cannot be loaded is a typed error at the request, not a binary that does not start.
@Suite("libcurl is loaded with the first request")
struct CurlLoadingTests {
    /// Lua that tells whether libcurl is mapped into the process now (a local
    /// function; the REPL, where locals end with their line, gets a global one).
    static let curlMapped = """
        local function curl_mapped()
          for line in io.lines("/proc/self/maps") do if line:find("libcurl", 1, true) then return true end end
          return false
        end
        """

    private func env(_ server: FakeProviderServer, _ extra: [String: String] = [:]) -> [String: String] {
        ["ANTHROPIC_API_KEY": "sk-ant-test-0123456789abcdef", "ANTHROPIC_BASE_URL": server.baseURL, "MOONWIRE_MODEL": "claude-test",
         "MOONWIRE_CASSETTE": "", "MOONWIRE_RECORD_MODE": "", "OPENAI_API_KEY": ""].merging(extra) { $1 }
    }

    @Test("a script, a replay and the REPL that make no request never map libcurl; the first request does")
    func loadedOnFirstRequest() throws {
        let server = FakeProviderServer { _ in .anthropicText(["Hello", " there"]) }
        try server.start()
        defer { server.stop() }
        let script = try TemporaryFiles.script(Self.curlMapped + """

            print("before", curl_mapped())
            local t = llm.spawn(function() llm.sleep(0.01) return 1 end)
            t:wait()
            print("after timers and tasks", curl_mapped())
            print(llm.chat{ prompt = "hi" }.text)
            print("after a request", curl_mapped())
            """, prefix: "curl-load", name: "load.lua")
        let r = try ProcessRunner.moonwire(["run", script.path], environment: env(server))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "before\tfalse\nafter timers and tasks\tfalse\nHello there\nafter a request\ttrue\n", "\(r.stdout)")

        // Recorded, the request goes through curl; replayed, it never needs it.
        let cassette = script.deletingLastPathComponent().appendingPathComponent("load.cassette.json").path
        let recorded = try ProcessRunner.moonwire(["run", "--record", cassette, script.path], environment: env(server))
        #expect(recorded.stdout.hasSuffix("after a request\ttrue\n"), "\(recorded.stdout) \(recorded.stderr)")
        let replayed = try ProcessRunner.moonwire(["run", "--replay", cassette, script.path], environment: env(server))
        #expect(replayed.stdout == "before\tfalse\nafter timers and tasks\tfalse\nHello there\nafter a request\tfalse\n", "\(replayed.stdout) \(replayed.stderr)")

        let repl = try ProcessRunner.moonwire(["-i"], stdin: Self.curlMapped.replacingOccurrences(of: "local function", with: "function") + "\nprint('repl', curl_mapped())\n", environment: env(server))
        #expect(repl.stdout.contains("repl\tfalse"), "\(repl.stdout) \(repl.stderr)")
    }

    @Test("a libcurl that cannot be loaded is a config error at the request, named, catchable; the rest of the script runs")
    func unloadableLibcurl() throws {
        let server = FakeProviderServer { _ in .anthropicText(["never"]) }
        try server.start()
        defer { server.stop() }
        let script = try TemporaryFiles.script("""
            print("starts", 1 + 1)
            for _ = 1, 2 do
              local ok, e = pcall(llm.chat, { prompt = "hi" })
              print(ok, e.kind, e.attempts, e.message)
            end
            """, prefix: "curl-load", name: "missing.lua")
        let r = try ProcessRunner.moonwire(["run", script.path], environment: env(server, ["MOONWIRE_LIBCURL": "/nonexistent/libcurl-moonwire.so"]))
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "starts\t2")
        #expect(lines.count == 3, "\(r.stdout)")
        for line in lines.dropFirst() {
            #expect(line.hasPrefix("false\tconfig\t1\tcannot make HTTP requests: cannot load libcurl (/nonexistent/libcurl-moonwire.so: cannot open shared object file"), "\(line)")
        }
        #expect(server.requests.isEmpty)
    }
}
