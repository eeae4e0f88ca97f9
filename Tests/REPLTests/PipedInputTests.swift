// Without a terminal: `moonwire` runs standard input as a script (like
// `lua -`), while `moonwire repl` reads it as REPL input without prompts,
// which also exercises .cassette through the binary.
import FakeProvider
import Foundation
import Testing
import TestSupport

@Suite("REPL without a terminal (through the binary)")
struct PipedInputTests {
    private let quiet = ["MOONWIRE_CASSETTE": "", "MOONWIRE_RECORD_MODE": "", "ANTHROPIC_API_KEY": "", "OPENAI_API_KEY": ""]

    @Test("piped stdin runs as a script, with no prompts, and exits with its status")
    func pipedScript() throws {
        let ok = try ProcessRunner.moonwire([], stdin: "x = 1 + 1\nprint('x is', x)\n", environment: quiet)
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout == "x is\t2\n")
        let exits = try ProcessRunner.moonwire([], stdin: "print('before')\nos.exit(3)\n", environment: quiet)
        #expect(exits.status == 3)
        #expect(exits.stdout == "before\n")
        let fails = try ProcessRunner.moonwire([], stdin: "error('piped failure')\n", environment: quiet)
        #expect(fails.status == 1)
        #expect(fails.stderr.contains("piped failure"))
        #expect(!fails.stdout.contains(">"))
    }

    @Test("moonwire repl from a pipe evaluates chunk by chunk and goes on after errors")
    func replFromPipe() throws {
        let input = "1 + 1\nfor i = 1, 2 do\nprint(i)\nend\nerror('oops')\n{ a = 1 }\n.stats\n"
        let r = try ProcessRunner.moonwire(["repl"], stdin: input, environment: quiet)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "2\n1\n2\n{ a = 1 }\nno calls yet (plain calls and each llm.client{...} get a table)\n")
        #expect(r.stderr.hasPrefix("stdin:1: oops\nstack traceback:"))
    }

    @Test("a streamed answer's line ends before the chunk prints more, and a chunk that prints the answer shows it once (issue 11)")
    func streamedLineEnds() throws {
        let server = FakeProviderServer(responses: [.anthropicText(["lorem", " ipsum"]), .anthropicText(["dolor", " sit"])])
        try server.start()
        defer { server.stop() }
        var env = quiet
        env["ANTHROPIC_BASE_URL"] = server.baseURL
        env["ANTHROPIC_API_KEY"] = "sk-ant-test"
        env["MOONWIRE_MODEL"] = "claude-test"
        let r = try ProcessRunner.moonwire(["repl"], stdin: """
            r = llm.chat{ prompt = 'x' }; print("DONE")
            print(llm.chat{ prompt = 'y' }.text)
            """, environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "lorem ipsum\nDONE\ndolor sit\n", "\(r.stdout.debugDescription)")
    }

    @Test("as lua.c: results go through a print the script redefined; json.null prints as json.null (issue 11)")
    func userPrintAndNull() throws {
        let r = try ProcessRunner.moonwire(["repl"], stdin: """
            =json.null
            print = function(...) io.write("[", select("#", ...), "]\\n") end
            =1, 2
            """, environment: quiet)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "json.null\n[2]\n", "\(r.stdout.debugDescription)")
    }

    @Test("-i runs the -e chunks, then the REPL; like lua -i it shows the version first")
    func interactiveAfterChunks() throws {
        let r = try ProcessRunner.moonwire(["-e", "greeting = 'hello'", "-i"], stdin: "=greeting\n", environment: quiet)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("Lua 5.4"), "\(r.stdout)")
        // Prompts even on a pipe, as lua -i prints them.
        #expect(r.stdout.hasSuffix("\n> hello\n> "), "\(r.stdout.debugDescription)")
    }

    @Test(".cassette records live calls, .cassette off goes live again, and the recording replays offline")
    func cassetteCommand() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("moonwire-repl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let cassette = dir.appendingPathComponent("repl.json").path
        let server = FakeProviderServer(responses: [.anthropicText(["taped"]), .anthropicText(["live"])])
        try server.start()
        var env = quiet
        env["ANTHROPIC_BASE_URL"] = server.baseURL
        env["ANTHROPIC_API_KEY"] = "sk-ant-test"
        env["MOONWIRE_MODEL"] = "claude-test"
        let recording = try ProcessRunner.moonwire(["repl"], stdin: """
            .cassette \(cassette) all
            r = llm.chat{ prompt = 'one' }
            .cassette
            .cassette off
            r2 = llm.chat{ prompt = 'two' }
            .cassette \(cassette) bogus
            """, environment: env)
        server.stop()
        #expect(recording.status == 0, "\(recording.stderr)")
        #expect(recording.stdout == "recording to \(cassette)\ntaped\nrecording to \(cassette)\ncassette off: calls go to the network\nlive\n")
        #expect(recording.stderr.contains("recorded 1 interaction(s) to \(cassette)"))
        #expect(recording.stderr.contains("unknown cassette mode 'bogus'"))

        env["ANTHROPIC_BASE_URL"] = "http://127.0.0.1:9"  // nothing listens there
        env["ANTHROPIC_API_KEY"] = ""
        let replay = try ProcessRunner.moonwire(["repl"], stdin: ".cassette \(cassette) none\n=llm.chat{ prompt = 'one' }.text\n", environment: env)
        #expect(replay.status == 0, "\(replay.stderr)")
        #expect(replay.stdout == "replaying \(cassette) (1 interactions, offline)\ntaped\ntaped\n")
    }
}
