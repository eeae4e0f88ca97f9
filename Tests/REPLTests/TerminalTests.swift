// The REPL on a real pseudo-terminal (tmux): what a person sees. Expression
// printing, continuation, history across restarts, UTF-8 input, completion,
// live streaming, Ctrl-C that stops a stream and not the session, double
// Ctrl-C, and bad input. Skipped when tmux is missing (scripts/setup installs it).
import FakeProvider
import Foundation
import Testing
import TestSupport

@Suite("REPL on a terminal (tmux)", .serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct TerminalTests {
    private func providerEnvironment(_ server: FakeProviderServer) -> [String: String] {
        ["ANTHROPIC_BASE_URL": server.baseURL, "ANTHROPIC_API_KEY": "sk-ant-test", "MOONWIRE_MODEL": "claude-test"]
    }

    @Test("expressions, continuation lines, UTF-8 input and completion of llm.ch<Tab>")
    func basics() throws {
        let tmux = try TmuxSession()
        defer { tmux.close() }
        try tmux.waitFor(".help for help")
        try tmux.waitForPrompt()
        try tmux.enter("1 + 1")
        try tmux.waitFor("> 1 + 1\n2\n>")
        try tmux.enter("for i = 1, 2 do")
        try tmux.waitFor(">> ")
        try tmux.enter("print('line ' .. i)")
        try tmux.enter("end")
        try tmux.waitFor(">> end\nline 1\nline 2\n>")
        try tmux.enter("s = 'café 日本'")
        try tmux.enter("=s .. ' ' .. #s .. ' ' .. utf8.len(s)")
        try tmux.waitFor("\ncafé 日本 12 7\n")
        try tmux.type("llm.ch")
        try tmux.press("Tab")
        try tmux.waitFor("> llm.chat")
        try tmux.press("C-u")
        try tmux.enter(".quit")
        #expect(try tmux.exitStatus() == 0)
    }

    @Test("_PROMPT's escape sequences reach the terminal, as lua's do (issue 11)")
    func promptEscapes() throws {
        let tmux = try TmuxSession()
        defer { tmux.close() }
        try tmux.waitForPrompt()
        try tmux.enter(#"_PROMPT = "\27[1;31mred>\27[0m ""#)
        try tmux.enter("x = 1")
        let screen = try tmux.waitFor("red> x = 1")
        let promptLine = screen.split(separator: "\n").first { $0.contains("x = 1") } ?? ""
        #expect(promptLine == "red> x = 1", "the escapes show as text: \(screen)")
        let coloured = tmux.screen(escapes: true)
        #expect(coloured.contains("\u{1B}[31mred>") || coloured.contains("\u{1B}[1;31mred>"), "no red prompt: \(coloured.debugDescription)")
        try tmux.enter(".quit")
        #expect(try tmux.exitStatus() == 0)
    }

    @Test("history is saved as entries are made and recalled with Up after a restart")
    func historyAcrossRestart() throws {
        let first = try TmuxSession()
        defer { first.close() }
        try first.waitForPrompt()
        try first.enter("marker = 40 + 2")
        try first.enter("if marker then")
        try first.enter("  marker = marker + 1")
        try first.enter("end")
        try first.waitForPrompt()
        // Written after each entry, before the session ends.
        let saved = try String(contentsOfFile: first.historyPath, encoding: .utf8)
        #expect(saved == "marker = 40 + 2\nif marker then\\n  marker = marker + 1\\nend\n")
        try first.press("C-d")
        #expect(try first.exitStatus() == 0)

        let second = try TmuxSession(home: first.home)
        defer { second.close() }
        try second.waitForPrompt()
        try second.press("Up")
        try second.press("Up")
        try second.waitFor("> marker = 40 + 2")
        try second.press("Enter")
        try second.enter("=marker")
        try second.waitFor("\n42\n")
    }

    @Test("a streamed reply appears on screen token by token")
    func liveStreaming() throws {
        let tokens = (1...12).map { String(format: "tok%02d ", $0) }
        let server = FakeProviderServer(responses: [.anthropicText(tokens, interval: 0.2)])
        try server.start()
        defer { server.stop() }
        let tmux = try TmuxSession(environment: providerEnvironment(server))
        defer { tmux.close() }
        try tmux.waitForPrompt()
        try tmux.enter("llm.chat{ prompt = 'count' }")
        let partial = try tmux.waitFor("tok03")
        #expect(!partial.contains("tok12"), "the whole reply was there at once:\n\(partial)")
        let done = try tmux.waitFor("the summary line") { $0.contains("anthropic · claude-test") }
        #expect(done.components(separatedBy: "tok01").count == 2, "the streamed text was printed twice:\n\(done)")
        #expect(done.contains("tok12"))
    }

    @Test(".logs shows the session's calls from the call log, newest first, as a table (issue 15)")
    func logsCommand() throws {
        let server = FakeProviderServer(responses: [.anthropicText(["first ", "reply"]), .anthropicText(["second ", "reply"])])
        try server.start()
        defer { server.stop() }
        var env = providerEnvironment(server)
        env["MOONWIRE_LOG"] = "on"  // the test run turns it off; the log goes to this session's XDG_STATE_HOME
        let tmux = try TmuxSession(environment: env)
        defer { tmux.close() }
        try tmux.waitForPrompt()
        try tmux.enter("=llm.chat{ prompt = 'question one' }.text")
        try tmux.waitFor("first reply\nfirst reply")
        try tmux.waitForPrompt()
        try tmux.enter("=llm.chat{ prompt = 'question two' }.text")
        try tmux.waitFor("second reply\nsecond reply")
        try tmux.waitForPrompt()
        // What a command printed: the screen after its own line, up to the next prompt.
        func shown(by command: String, _ screen: String) -> String? {
            guard let start = screen.range(of: "> " + command + "\n", options: .backwards) else { return nil }
            let after = screen[start.upperBound...]
            guard after.hasSuffix("\n>") || after.hasSuffix("\n> ") else { return nil }
            return String(after)
        }
        try tmux.enter(".logs 1")
        let one = shown(by: ".logs 1", try tmux.waitFor("the newest row") { shown(by: ".logs 1", $0)?.contains("question two") == true })!
        #expect(!one.contains("question one"), ".logs 1 showed more than the newest call:\n\(one)")
        #expect(one.contains("claude-test") && one.contains("second reply"), "\(one)")
        try tmux.enter(".logs")
        let both = shown(by: ".logs", try tmux.waitFor("both rows") { shown(by: ".logs", $0)?.contains("question one") == true })!
        #expect(both.range(of: "question two")!.lowerBound < both.range(of: "question one")!.lowerBound, "not newest first:\n\(both)")
        try tmux.enter(".logs x")
        try tmux.waitFor("usage: .logs [N], N a count from 1")
        let db = tmux.home.appendingPathComponent("state/moonwire/logs.db")
        #expect(FileManager.default.fileExists(atPath: db.path), "no database at \(db.path)")
    }

    @Test("Ctrl-C mid-stream aborts the transfer, the prompt returns, the next request works")
    func ctrlCStopsTheStream() throws {
        let tokens = (1...40).map { String(format: "slow%02d ", $0) }
        let server = FakeProviderServer(responses: [.anthropicText(tokens, interval: 0.25), .anthropicText(["second ", "answer"])])
        try server.start()
        defer { server.stop() }
        let tmux = try TmuxSession(environment: providerEnvironment(server))
        defer { tmux.close() }
        try tmux.waitForPrompt()
        try tmux.enter("llm.chat{ prompt = 'long' }")
        try tmux.waitFor("slow02")
        try tmux.press("C-c")
        let after = try tmux.waitFor("interrupted and a prompt", timeout: 10) { $0.contains("\ninterrupted\n>") }
        #expect(!after.contains("slow40"))
        #expect(server.waitUntil(timeout: 10) { $0.closedByClientCount == 1 }, "the server did not see the connection close")
        usleep(1_100_000)  // a second Ctrl-C within a second would quit
        try tmux.enter("=llm.chat{ prompt = 'again' }.text")
        try tmux.waitFor("second answer\nsecond answer")
        #expect(server.requests.count == 2)
    }

    @Test("Ctrl-C stops a busy Lua loop; a second Ctrl-C within a second exits 130")
    func ctrlCInLuaAndDoubleCtrlC() throws {
        let tmux = try TmuxSession()
        defer { tmux.close() }
        try tmux.waitForPrompt()
        try tmux.enter("n = 0 while true do n = n + 1 end")
        usleep(300_000)
        try tmux.press("C-c")
        try tmux.waitFor("^C\ninterrupted\n>")
        usleep(1_100_000)
        try tmux.enter("=n > 0")
        try tmux.waitFor("\ntrue\n>")
        try tmux.enter("while true do end")
        usleep(300_000)
        try tmux.press("C-c")
        try tmux.press("C-c")
        #expect(try tmux.exitStatus() == 130)
    }

    @Test("Ctrl-C at the prompt clears pending input, continuation lines included")
    func ctrlCAtPrompt() throws {
        let tmux = try TmuxSession()
        defer { tmux.close() }
        try tmux.waitForPrompt()
        try tmux.enter("for i = 1, 3 do")
        try tmux.type("print('never')")
        try tmux.press("C-c")
        try tmux.waitFor("print('never')^C\n>")
        usleep(1_100_000)
        try tmux.enter("='fresh'")
        try tmux.waitFor("\nfresh\n>")
        #expect(!tmux.screen().contains("\nnever"))
    }

    @Test("bad input: garbage, an unbalanced chunk ended by Ctrl-D, a 1 MB paste; Ctrl-D still exits 0")
    func badInput() throws {
        let tmux = try TmuxSession()
        defer { tmux.close() }
        try tmux.waitForPrompt()
        try tmux.enter("ÿþ 💥 @@ ``` \\")
        try tmux.waitFor("unexpected symbol")
        try tmux.enter("function f(")
        try tmux.waitFor(">> ")
        try tmux.press("C-d")
        try tmux.waitFor("\nstdin:1: <name> or '...' expected near <eof>\n>")
        try tmux.paste("big = '" + String(repeating: "x", count: 1 << 20) + "'")
        try tmux.press("Enter")
        try tmux.waitForPrompt(timeout: 120)
        try tmux.press("C-l")
        try tmux.enter("=#big")
        try tmux.waitFor("\(1 << 20)", timeout: 30)
        try tmux.waitForPrompt()  // Ctrl-D before the line editor is back would be the terminal's EOF
        try tmux.press("C-d")
        #expect(try tmux.exitStatus() == 0)
        let history = try String(contentsOfFile: tmux.historyPath, encoding: .utf8)
        #expect(!history.contains("xxxxxxxx"))
    }
}

@Suite("llm.map's progress bar on a terminal (tmux)", .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct ProgressBarTerminalTests {
    @Test("the bar is redrawn in place while items run, then replaced by the summary line")
    func progressBar() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("moonwire-progress-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let script = dir.appendingPathComponent("bar.lua")
        try """
            local items = {}
            for i = 1, 40 do items[i] = i end
            local results, summary = llm.map(items, function(i) llm.sleep(0.15); if i == 5 then error("five") end; return i end,
                                             { concurrency = 2, progress = true })
            print("ok " .. summary.ok .. " failed " .. summary.failed)
            """.write(to: script, atomically: true, encoding: .utf8)
        let tmux = try TmuxSession(["run", script.path])
        defer { tmux.close() }
        let midway = try tmux.waitFor("the bar part way") { screen in
            screen.contains("llm.map  ") && screen.contains("/40") && !screen.contains("llm.map  0/40") && !screen.contains("40/40")
        }
        let bar = try #require(midway.split(separator: "\n").first { $0.hasPrefix("llm.map  ") })
        #expect(bar.contains("%  ["), "\(bar)")
        #expect(bar.contains("/s  ETA "), "\(bar)")
        #expect(bar.contains(" in flight"), "\(bar)")
        _ = try tmux.waitFor("ok 39 failed 1")
        let done = tmux.screen(scrollback: true)
        // The whole history (tmux may scroll when the pane dies), without tmux's own note.
        let lines = done.split(separator: "\n").filter { !$0.hasPrefix("Pane is dead") }
        #expect(lines.count == 2, "the bar was redrawn in place, not scrolled: \(done)")
        #expect(lines.first?.hasPrefix("llm.map: 40 of 40 items in ") == true, "\(done.debugDescription)")
        #expect(lines.first?.hasSuffix(": 39 ok, 1 failed (script 1)") == true, "\(done.debugDescription)")
        #expect(try tmux.exitStatus() == 0)
    }
}

@Suite("the wait indicator on a terminal (tmux)", .serialized, .enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
struct WaitIndicatorTerminalTests {
    /// Runs a client call that meets a 429 with retry-after 1 s; returns
    /// whether the screen ever showed the indicator, and the final screen.
    private func run(_ extraArguments: [String]) throws -> (sawIndicator: Bool, screen: String) {
        let server = FakeProviderServer(responses: [
            .json(#"{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}"#, status: 429, headers: [("retry-after", "1")]),
            .anthropicText(["all", " done"]),
        ])
        try server.start()
        defer { server.stop() }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("moonwire-wait-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let script = dir.appendingPathComponent("wait.lua")
        try """
            local c = llm.client{ providers = { { name = "a", kind = "anthropic", model = "claude-test" } } }
            print(c:chat{ prompt = "hi" }.text)
            """.write(to: script, atomically: true, encoding: .utf8)
        let tmux = try TmuxSession(["run"] + extraArguments + [script.path],
                                   environment: ["ANTHROPIC_BASE_URL": server.baseURL, "ANTHROPIC_API_KEY": "sk-ant-test"])
        defer { tmux.close() }
        // Watch the whole wait: the indicator is erased when it ends.
        var saw = false
        let screen = try tmux.waitFor("the answer", scrollback: true) { screen in
            if screen.contains("waiting ") && screen.contains("429 from a · retry 1/2") { saw = true }
            return screen.contains("all done")
        }
        #expect(try tmux.exitStatus() == 0)
        return (saw, screen)
    }

    @Test("a retry wait shows as one line counting down, erased before the answer")
    func shown() throws {
        let (saw, screen) = try run([])
        #expect(saw, "the indicator never showed")
        #expect(!screen.contains("waiting "), "the indicator was erased: \(screen)")
    }

    @Test("--quiet: the same wait, silently")
    func quiet() throws {
        let (saw, screen) = try run(["--quiet"])
        #expect(!saw)
        #expect(screen.split(separator: "\n").first == "all done", "nothing before the answer: \(screen)")
    }
}
