// lua.c's evaluation rules through the scripted LineReader: expressions
// print, `=expr`, continuation lines, one history entry per chunk, prompts,
// errors that leave the session running.
import REPL
import Testing

@Suite("REPL evaluation (scripted input)")
struct EvaluationTests {
    @Test("an expression prints its values; a statement prints nothing; =expr works")
    func expressions() {
        let h = REPLHarness()
        h.run(lines: ["1 + 1", "x = 10", "=x * 2", "return x, 'a', nil, true", "nil", "print('hi')", "math.type(3.0)"])
        #expect(h.output == "2\n20\n10\ta\tnil\ttrue\nnil\nhi\nfloat\n")
        #expect(h.errors == "")
    }

    @Test("an incomplete chunk continues with >> and becomes one history entry")
    func continuation() {
        let h = REPLHarness()
        let reader = h.run(lines: ["t = 0", "for i = 1, 3 do", "  t = t + i", "end", "=t", "function f(a,", "b)", "return a + b end", "f(2, 3)"])
        #expect(h.output == "6\n5\n")
        #expect(reader.prompts == ["> ", "> ", ">> ", ">> ", "> ", "> ", ">> ", ">> ", "> ", "> "])
        #expect(reader.history == ["t = 0", "for i = 1, 3 do\n  t = t + i\nend", "=t", "function f(a,\nb)\nreturn a + b end", "f(2, 3)"])
    }

    @Test("an expression spanning lines continues too, = included")
    func continuedExpression() {
        let h = REPLHarness()
        let reader = h.run(lines: ["=1 +", "2", "return { 1,", "2 }", "{ 1,"])
        #expect(h.output == "3\n{ 1, 2 }\n")
        #expect(reader.history == ["=1 +\n2", "return { 1,\n2 }", "{ 1,"])
        // As in lua.c, only `return` and `=` continue an expression: a bare `{` is a statement.
        #expect(h.errors == "stdin:1: unexpected symbol near '{'\n")
    }

    @Test("_PROMPT and _PROMPT2 are honoured")
    func prompts() {
        let h = REPLHarness()
        let reader = h.run(lines: ["_PROMPT = 'lua% '", "_PROMPT2 = '... '", "if true then", "end", "_PROMPT = 7"])
        #expect(reader.prompts == ["> ", "lua% ", "lua% ", "... ", "lua% ", "7"])
    }

    @Test("a runtime error prints its message and traceback, and the session goes on")
    func runtimeError() {
        let h = REPLHarness()
        h.run(lines: ["local function inner() error('boom') end inner()", "1 + 1", "nosuch.field"])
        #expect(h.errors.contains("stdin:1: boom\nstack traceback:"))
        #expect(h.errors.contains("inner"))
        #expect(h.errors.contains("attempt to index a nil value (global 'nosuch')"))
        #expect(h.output == "2\n")
    }

    @Test("a syntax error is reported once, without asking for more lines")
    func syntaxError() {
        let h = REPLHarness()
        let reader = h.run(lines: ["x = = 1", "=2"])
        #expect(h.errors == "stdin:1: unexpected symbol near '='\n")
        #expect(h.output == "2\n")
        #expect(reader.history == ["x = = 1", "=2"])
    }

    @Test("Ctrl-C at the prompt drops the pending lines, including continuation lines")
    func ctrlCAtPrompt() {
        let h = REPLHarness()
        let reader = h.run(lines: ["for i = 1, 2 do", "print(i)", nil, nil, "=3"])
        #expect(h.output == "^C\n^C\n3\n")
        #expect(reader.prompts == ["> ", ">> ", ">> ", "> ", "> ", "> "])
        #expect(reader.history == ["=3"])
        #expect(h.errors == "")
    }

    @Test("Ctrl-D inside an unbalanced chunk reports it; the next Ctrl-D exits 0")
    func unbalancedThenEnd() {
        let h = REPLHarness()
        let reader = ScriptedLineReader([.line(Array("function f()".utf8)), .line(Array("local x = {".utf8)), .end, .line(Array("=1".utf8)), .end])
        let status = h.run(reader)
        #expect(status == 0)
        #expect(h.errors.hasPrefix("stdin:2: "))
        #expect(h.errors.contains("<eof>"))
        #expect(h.output == "1\n")
        #expect(reader.prompts == ["> ", ">> ", ">> ", "> ", "> "])
    }

    @Test("binary garbage, NUL bytes and invalid UTF-8 are syntax errors, not crashes")
    func binaryGarbage() {
        let h = REPLHarness()
        let garbage: [[UInt8]] = [[0xFF, 0xFE, 0x00, 0x41], [0xC3, 0x28, 0x1B, 0x5B, 0x41], Array(0...31), [0x80]]
        let reader = ScriptedLineReader(garbage.map { .line($0) } + [.line(Array("='still here'".utf8))])
        #expect(h.run(reader) == 0)
        #expect(h.output == "still here\n")
        #expect(h.errors.components(separatedBy: "\n").filter { $0.hasPrefix("stdin:1:") }.count == garbage.count)
    }

    @Test("a 1 MB line evaluates, and is too big for the saved history")
    func megabyteLine() {
        let h = REPLHarness()
        let big = "s = \"" + String(repeating: "a", count: 1 << 20) + "\""
        h.run(lines: [big, "=#s"])
        #expect(h.output == "\(1 << 20)\n")
        #expect(!HistoryFile.shouldRecord(big))
    }

    @Test("Ctrl-D on an empty prompt ends the session with status 0")
    func endOfInput() {
        let h = REPLHarness()
        #expect(h.run(ScriptedLineReader([])) == 0)
        #expect(h.output == "")
    }

    @Test("blank lines do nothing and are not history")
    func blankLines() {
        let h = REPLHarness()
        let reader = h.run(lines: ["", "   ", "\t"])
        #expect(h.output == "")
        #expect(reader.history.isEmpty)
    }
}
