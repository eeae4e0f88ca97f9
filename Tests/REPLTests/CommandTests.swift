// Dot commands: .help, .history, .stats, .quit and the host's own; `.5` stays
// Lua; unknown commands are reported.
import REPL
import Testing

@Suite("REPL commands")
struct CommandTests {
    @Test(".help lists every command, the host's included")
    func help() {
        let h = REPLHarness()
        h.commands = [REPLCommand(name: "cassette", usage: ".cassette FILE [MODE]", summary: "use a cassette") { _ in nil }]
        h.run(lines: [".help"])
        for usage in [".help", ".history [N]", ".stats", ".quit", ".cassette FILE [MODE]", "=expr"] {
            #expect(h.output.contains(usage), "missing \(usage)")
        }
    }

    @Test(".history shows the last entries, multi-line ones indented")
    func history() {
        let h = REPLHarness()
        h.run(lines: ["a = 1", "if a then", "b = 2", "end", "c = 3", ".history 2", ".history x"])
        #expect(h.output == "3  c = 3\n4  .history 2\n")
        #expect(h.errors == "usage: .history [N] (N a positive number)\n")
        let all = REPLHarness()
        all.run(lines: ["if true then", "x = 1", "end", ".history"])
        #expect(all.output == "1  if true then\n   x = 1\n   end\n2  .history\n")
    }

    @Test(".stats without a client says so")
    func stats() {
        let h = REPLHarness()
        h.run(lines: [".stats"])
        #expect(h.output == "no calls yet (plain calls and each llm.client{...} get a table)\n")
    }

    @Test(".quit ends the session at once; .5 is a number, not a command")
    func quitAndNumbers() {
        let h = REPLHarness()
        let reader = h.run(lines: [".5", "  .quit", "=1"])
        #expect(h.output == "0.5\n")
        #expect(reader.prompts.count == 2)
    }

    @Test("an unknown command and a failing host command are reported; the session goes on")
    func failures() {
        let h = REPLHarness()
        h.commands = [REPLCommand(name: "fail", usage: ".fail", summary: "fails") { words in
            throw REPLCommandError("failed with \(words.joined(separator: ","))")
        }]
        h.run(lines: [".nope", ".fail a b", "=2"])
        #expect(h.errors == "unknown command .nope (try .help)\nfailed with a,b\n")
        #expect(h.output == "2\n")
    }
}
