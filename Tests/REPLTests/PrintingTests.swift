// How results print: tables readably through stdlib `pretty` (depth and
// length limits, cycles marked), `__tostring` honoured, and a broken
// `__tostring` reported without ending the session.
import REPL
import Testing

@Suite("REPL result printing")
struct PrintingTests {
    @Test("tables print readably, cycles are marked, deep nesting is cut")
    func tables() {
        let h = REPLHarness()
        h.run(lines: [
            "{ 1, 2, name = 'moon', nested = { ok = true } }",
            "t = { } t.self = t",
            "t",
            "{ { { { { 'deep' } } } } }",
            "{}",
        ])
        #expect(h.output == """
            { 1, 2, name = "moon", nested = { ok = true } }
            { self = <cycle> }
            { { { { {...} } } } }
            {}

            """)
    }

    @Test("a long table is cut after its item limit and printed indented when it does not fit")
    func longTable() {
        let h = REPLHarness()
        h.console.width = 40
        h.run(lines: ["local t = {} for i = 1, 1000 do t[i] = i end return t"])
        let lines = h.output.split(separator: "\n")
        #expect(lines.first == "{")
        #expect(lines.last == "}")
        #expect(lines.count == 64 + 3)  // 64 items, "...", and the braces
        #expect(lines.dropLast().last == "  ...")
    }

    @Test("__tostring is honoured, and an error inside it is reported while the session goes on")
    func brokenToString() {
        let h = REPLHarness()
        h.run(lines: [
            "setmetatable({}, { __tostring = function() return 'a point' end })",
            "bad = setmetatable({}, { __tostring = function() error('no string for you') end })",
            "bad",
            "=1, bad, 3",
            "setmetatable({}, { __tostring = function() return 42 end })",
            "setmetatable({}, { __tostring = function() return {} end })",
            "{ inner = bad }",
            "='after'",
        ])
        #expect(h.output == "a point\n1\n3\n42\n{ inner = <table: __tostring failed> }\nafter\n")
        let errorLines = h.errors.split(separator: "\n")
        #expect(errorLines.count == 3)
        #expect(errorLines[0].hasPrefix("error printing result #1: stdin:1: no string for you"))
        #expect(errorLines[1].hasPrefix("error printing result #2: stdin:1: no string for you"))
        #expect(errorLines.last?.contains("'__tostring' must return a string") == true)
    }

    @Test("userdata, functions and a protected metatable print through tostring")
    func otherValues() {
        let h = REPLHarness()
        h.run(lines: ["=type(print)", "io.stdout", "setmetatable({ 1 }, { __metatable = 'locked' })"])
        let lines = h.output.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[0] == "function")
        #expect(lines[1].hasPrefix("file (0x"))
        #expect(lines[2] == "{ 1 }")
    }

    @Test("thousands of results all print, tab separated")
    func manyResults() {
        let h = REPLHarness()
        h.run(lines: ["local t = {} for i = 1, 5000 do t[i] = i end return table.unpack(t)"])
        let values = h.output.dropLast().split(separator: "\t")
        #expect(values.count == 5000)
        #expect(values.last == "5000")
    }
}
