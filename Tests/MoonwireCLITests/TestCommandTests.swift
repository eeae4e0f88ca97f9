import FakeProvider
import Foundation
import Testing
import TestSupport

@Suite("moonwire test, end to end through the built binary")
struct TestCommandTests {
    let fixtures = Repository.root.appendingPathComponent("Tests/lua/fixtures/testcmd")

    private func path(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

    /// Runs `moonwire test` in the fixtures folder: relative paths keep Lua's
    /// own messages (which shorten paths over 59 bytes) exact wherever the checkout is.
    private func moonwireTest(_ arguments: [String]) throws -> ProcessResult {
        try ProcessRunner.moonwire(["test"] + arguments, currentDirectory: fixtures)
    }

    private func lastLine(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: true).last.map(String.init) ?? ""
    }

    @Test("a passing folder: recursive, sorted, hidden folders skipped, exit 0")
    func passingFolder() throws {
        let dir = path("passing")
        let r = try ProcessRunner.moonwire(["test", dir])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(lastLine(r.stdout) == "8 passed, 0 failed, 1 skipped")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "✔ \(dir)/more/helper_test.lua › helper › greets")
        #expect(lines.contains("✔ \(dir)/passing_test.lua › counter › nested › runs outer hooks first"))
        #expect(lines.contains("○ \(dir)/passing_test.lua › counter › counts backwards (pending)"))
        #expect(!r.stdout.contains("must not run"))
    }

    @Test("PATHS default to the current folder, printed relative to it")
    func defaultPath() throws {
        let r = try ProcessRunner.moonwire(["test"], currentDirectory: fixtures.appendingPathComponent("passing"))
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.hasPrefix("✔ more/helper_test.lua › helper › greets\n"))
        #expect(lastLine(r.stdout) == "8 passed, 0 failed, 1 skipped")
    }

    @Test("a failed expectation shows file:line, expected and actual; exit 1")
    func failingFile() throws {
        let file = "failing_test.lua"
        let r = try moonwireTest([file])
        #expect(r.status == 1)
        #expect(r.stdout.contains("✔ \(file) › arithmetic › adds\n"))
        #expect(r.stdout.contains("""
            ✘ \(file) › arithmetic › is wrong on purpose
                \(file):9: expected values to be equal (first difference at sum)
                  expected: { sum = 3 }
                  actual:   { sum = 2 }
            """), "\(r.stdout)")
        #expect(lastLine(r.stdout) == "1 passed, 1 failed")
        // A long absolute path is named whole, not shortened to "..." as Lua's short_src is.
        let absolute = path(file)
        let full = try ProcessRunner.moonwire(["test", absolute])
        #expect(full.stdout.contains("    \(absolute):9: expected values to be equal"), "\(full.stdout)")
    }

    @Test("an error in a test shows its message and the test's traceback")
    func raisingTest() throws {
        let file = "raises_test.lua"
        let r = try moonwireTest([file])
        #expect(r.status == 1)
        #expect(r.stdout.contains("\(file):2: helper exploded\n    stack traceback:"), "\(r.stdout)")
        #expect(r.stdout.contains("\(file):5: in function"))
        #expect(!r.stdout.contains("stdlib/test.lua"), "the runner's own frames are left out")
        #expect(lastLine(r.stdout) == "0 passed, 1 failed")
    }

    @Test("a file that does not load counts as one failure")
    func syntaxError() throws {
        let file = "syntax_error_test.lua"
        let r = try moonwireTest([file])
        #expect(r.status == 1)
        #expect(r.stdout.hasPrefix("✘ \(file)\n    \(file):4: ')' expected"), "\(r.stdout)")
        #expect(lastLine(r.stdout) == "0 passed, 1 failed")
    }

    @Test("an error at the top level, outside any it, counts as one failure")
    func topLevelError() throws {
        let file = "toplevel_error_test.lua"
        let r = try moonwireTest([file])
        #expect(r.status == 1)
        #expect(r.stdout.hasPrefix("✘ \(file)\n    \(file):5: attempt to index a nil value (local 'config')"), "\(r.stdout)")
        #expect(!r.stdout.contains("never runs"))
        #expect(lastLine(r.stdout) == "0 passed, 1 failed")
    }

    @Test("every fixture together: counts add up across files")
    func wholeFolder() throws {
        let r = try ProcessRunner.moonwire(["test", fixtures.path])
        #expect(r.status == 1)
        #expect(lastLine(r.stdout) == "9 passed, 4 failed, 1 skipped", "\(r.stdout)")
    }

    @Test("--filter selects tests by name, as text or a Lua pattern")
    func filter() throws {
        let plain = try ProcessRunner.moonwire(["test", "--filter", "nested › runs", path("passing")])
        #expect(plain.status == 0, "\(plain.stdout)")
        #expect(lastLine(plain.stdout) == "1 passed, 0 failed")
        let pattern = try ProcessRunner.moonwire(["test", "--filter", "^matchers › c", fixtures.path])
        #expect(lastLine(pattern.stdout) == "2 passed, 2 failed", "files that do not load still count: \(pattern.stdout)")
        let none = try ProcessRunner.moonwire(["test", "--filter", "adds", path("failing_test.lua")])
        #expect(none.status == 0)
        #expect(lastLine(none.stdout) == "1 passed, 0 failed")
    }

    @Test("a missing path is a usage error")
    func missingPath() throws {
        let r = try ProcessRunner.moonwire(["test", "no/such/dir"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("no such file or folder: no/such/dir"), "\(r.stderr)")
    }

    @Test("tasks in test files: waited ones pass; one left to fail unseen fails the file")
    func tasksInTests() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("moonwire-testcmd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try """
            describe("tasks", function()
              it("waits for a task", function()
                local t = llm.spawn(function(x) llm.sleep(0.01); return x * 2 end, 21)
                expect(t:wait()).to.equal(42)
              end)
              it("leaves one behind", function()
                llm.spawn(function() llm.sleep(0.01); error("nobody saw this") end)
              end)
            end)
            """.write(to: dir.appendingPathComponent("tasks_test.lua"), atomically: true, encoding: .utf8)
        let r = try ProcessRunner.moonwire(["test", dir.path])
        #expect(r.status == 1)
        #expect(r.stdout.contains("a task failed and nobody waited for it"), "\(r.stdout)")
        #expect(r.stdout.contains("nobody saw this"))
        #expect(lastLine(r.stdout) == "2 passed, 1 failed", "\(r.stdout)")
    }

    // Issue 12: moonwire test is offline by default.
    @Test("a call without a cassette fails its test, says how to record one, and reaches no server; --record records it, and it replays offline")
    func offlineByDefault() throws {
        let server = FakeProviderServer { request in SyntheticResponder(SyntheticProvider()).respond(to: request) }
        try server.start()
        defer { server.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("moonwire-offline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try """
            describe("chat", function()
              it("answers", function() expect(llm.chat{ prompt = "hi" }.text).to.equal("Answer to hi.") end)
              it("answers from its cassette", { cassette = "hi.json" }, function()
                expect(llm.chat{ prompt = "hi" }.text).to.equal("Answer to hi.")
              end)
            end)
            """.write(to: dir.appendingPathComponent("chat_test.lua"), atomically: true, encoding: .utf8)
        let env = ["ANTHROPIC_BASE_URL": server.baseURL, "ANTHROPIC_API_KEY": "sk-ant-real-key", "MOONWIRE_MODEL": "claude-test",
                   "MOONWIRE_CASSETTE": "", "MOONWIRE_RECORD_MODE": ""]
        let offline = try ProcessRunner.moonwire(["test", dir.path], environment: env)
        #expect(offline.status == 1)
        #expect(offline.stdout.contains("moonwire test is offline"), "\(offline.stdout)")
        #expect(offline.stdout.contains("moonwire test --record"), "\(offline.stdout)")
        #expect(lastLine(offline.stdout) == "0 passed, 2 failed")
        #expect(server.requests.isEmpty, "the server saw no request")

        // --record fills the cassettes; a call with none stays offline even so.
        let recording = try ProcessRunner.moonwire(["test", "--record", dir.path], environment: env)
        #expect(lastLine(recording.stdout) == "1 passed, 1 failed", "\(recording.stdout)")
        var recordEnv = env
        recordEnv["MOONWIRE_RECORD_MODE"] = "once"
        _ = try ProcessRunner.moonwire(["test", dir.path], environment: recordEnv)
        #expect(server.requests.count == 1, "MOONWIRE_RECORD_MODE does not send cassette-less calls to the network")
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("hi.json").path))
        let seen = server.requests.count

        let replay = try ProcessRunner.moonwire(["test", dir.path], environment: env)
        #expect(replay.stdout.contains("✔ \(dir.path)/chat_test.lua › chat › answers from its cassette"), "\(replay.stdout)")
        #expect(lastLine(replay.stdout) == "1 passed, 1 failed")
        let live = try ProcessRunner.moonwire(["test", "--live", dir.path], environment: env)
        #expect(lastLine(live.stdout) == "2 passed, 0 failed", "\(live.stdout)")
        #expect(server.requests.count == seen + 1, "only the test without a cassette went live")
    }

    @Test("no test files: exit 1 with 'no tests found'")
    func noTests() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("moonwire-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let r = try ProcessRunner.moonwire(["test", dir.path])
        #expect(r.status == 1)
        #expect(r.stdout.hasPrefix("no tests found"), "\(r.stdout)")
    }
}
