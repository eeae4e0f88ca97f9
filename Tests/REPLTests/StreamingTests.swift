// Chat calls at the prompt: text streams to the console as it arrives when
// the call has no on_text, and a printed response shows its text (unless it
// was streamed) and one summary line.
import FakeProvider
import Foundation
import LLMCore
import LLMTransport
import REPL
import Testing
import TestSupport

@Suite("REPL streaming and responses")
struct StreamingTests {
    private func harness(_ server: FakeProviderServer) -> REPLHarness {
        REPLHarness(environment: [
            "ANTHROPIC_BASE_URL": server.baseURL, "ANTHROPIC_API_KEY": "sk-ant-test", "MOONWIRE_MODEL": "claude-test",
        ])
    }

    @Test("a chat call without on_text streams token by token, then prints one summary line")
    func streamsThenSummary() throws {
        let server = FakeProviderServer(responses: [.anthropicText(["Hel", "lo", " world"], interval: 0.02, inputTokens: 12)])
        try server.start()
        defer { server.stop() }
        let h = harness(server)
        h.run(lines: ["llm.chat{ prompt = 'hi' }"])
        #expect(h.errors == "")
        #expect(Array(h.console.writes.prefix(3)).map { String(decoding: $0, as: UTF8.self) } == ["Hel", "lo", " world"])
        let lines = h.output.split(separator: "\n", omittingEmptySubsequences: false)
        try #require(lines.count == 3)
        #expect(lines[0] == "Hello world")  // streamed once, not printed again
        #expect(lines[1].hasPrefix("anthropic · claude-test · 12 in / 3 out tokens · "))
        #expect(lines[1].hasSuffix(" ms"))
        #expect(lines[2] == "")
    }

    @Test("an assignment streams the answer and prints nothing else")
    func assignmentStreams() throws {
        let server = FakeProviderServer(responses: [.anthropicText(["A", "B"])])
        try server.start()
        defer { server.stop() }
        let h = harness(server)
        h.run(lines: ["r = llm.chat{ prompt = 'hi' }", "=r.text"])
        #expect(h.output == "AB\nAB\n")
    }

    @Test("with on_text the script decides: nothing streams, the printed response shows its text")
    func onTextAndResponse() throws {
        let server = FakeProviderServer(responses: [.anthropicText(["quiet ", "answer"])])
        try server.start()
        defer { server.stop() }
        let h = harness(server)
        h.console.styled = true
        h.run(lines: ["r = llm.chat{ prompt = 'hi', on_text = function() end }", "r"])
        let lines = h.output.split(separator: "\n")
        try #require(lines.count == 2)
        #expect(lines[0] == "quiet answer")
        #expect(lines[1].hasPrefix("\u{1B}[2manthropic · claude-test · "))
        #expect(lines[1].hasSuffix("\u{1B}[0m"))
    }

    @Test("llm.stream prints only what the script prints; the REPL's sink is gone after the session")
    func streamIteration() throws {
        let server = FakeProviderServer(responses: [.anthropicText(["x", "y"])])
        try server.start()
        defer { server.stop() }
        let h = harness(server)
        h.run(lines: ["for ev in llm.stream{ prompt = 'hi' } do if ev.type == 'text' then print('<' .. ev.text .. '>') end end"])
        #expect(h.output == "<x>\n<y>\n")
        #expect(h.runtime.defaultTextSink == nil)
    }

    @Test("a failed call prints its error and the next call works")
    func failureThenSuccess() throws {
        let server = FakeProviderServer(responses: [
            ScriptedResponse(status: 529, headers: [("content-type", "application/json")],
                             body: .whole(Array(#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#.utf8))),
            .anthropicText(["fine"]),
        ])
        try server.start()
        defer { server.stop() }
        let h = harness(server)
        h.run(lines: ["llm.configure{ retry = { max_retries = 0 } }", "llm.chat{ prompt = 'hi' }", "=llm.chat{ prompt = 'again' }.text"])
        #expect(h.errors.contains("Overloaded"))
        #expect(h.output == "fine\nfine\n")
    }

    @Test("a client's backoff wait shows as a status line on stderr, cleared before the answer streams")
    func waitIndicator() throws {
        let clock = VirtualClock()
        let transport = ScriptedTransport(loop: EventLoop(clock: clock), scripts: [
            "http://a": [.respond(Canned.error(429, type: "rate_limit_error", retryAfter: "2")), .respond(Canned.anthropic(["so", "on"]))],
        ])
        let h = REPLHarness(environment: ["ANTHROPIC_API_KEY": "k"], transport: transport)
        h.run(lines: [
            "c = llm.client{ providers = { { name = 'a', kind = 'anthropic', model = 'claude-a', base_url = 'http://a' } } }",
            "r = c:chat{ prompt = 'hi' }",
        ])
        #expect(h.output == "soon\n")  // the status never lands in the answer
        let erase = "\r\u{1B}[K"
        let first: String = erase + "waiting 2.0 s · 429 from a · retry 1/2"
        let later: String = erase + "waiting 1.0 s · 429 from a · retry 1/2"
        let errors = h.errors
        #expect(errors.hasPrefix(first), "\(errors.debugDescription)")
        #expect(errors.contains(later))
        #expect(errors.hasSuffix(erase), "the last write clears the line")
        #expect(abs(clock.now - 2.045) < 0.000001, "\(clock.now)")
    }

    @Test("NO_COLOR or MOONWIRE_QUIET: the wait happens, silently")
    func quietWaits() throws {
        for variable in ["NO_COLOR", "MOONWIRE_QUIET"] {
            let clock = VirtualClock()
            let transport = ScriptedTransport(loop: EventLoop(clock: clock), scripts: [
                "http://a": [.respond(Canned.error(429, type: "rate_limit_error", retryAfter: "2")), .respond(Canned.anthropic(["ok"]))],
            ])
            let h = REPLHarness(environment: ["ANTHROPIC_API_KEY": "k", variable: "1"], transport: transport)
            h.run(lines: [
                "c = llm.client{ providers = { { name = 'a', kind = 'anthropic', model = 'claude-a', base_url = 'http://a' } } }",
                "r = c:chat{ prompt = 'hi' }",
            ])
            #expect(h.output == "ok\n")
            #expect(h.errors == "", "\(variable)")
            #expect(clock.now > 2)
        }
    }
}
