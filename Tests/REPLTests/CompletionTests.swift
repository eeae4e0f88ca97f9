// Tab completion walks the real tables with raw access: globals and keywords,
// `table.field`, `obj:method` through __index tables, never running code.
import REPL
import Testing

@Suite("REPL completion")
struct CompletionTests {
    @Test("globals, keywords and library fields")
    func basics() {
        let h = REPLHarness()
        #expect(h.completions("pri") == ["print"])
        #expect(h.completions("whi") == ["while"])
        #expect(h.completions("llm.ch") == ["llm.chat"])
        #expect(h.completions("string.fo") == ["string.format"])
        #expect(h.completions("table.") == ["table.concat", "table.insert", "table.move", "table.pack", "table.remove", "table.sort", "table.unpack"])
        #expect(h.completions("nosuch.") == [])
        #expect(h.completions("1.5") == [])
        #expect(h.completions("") .contains("llm"))
    }

    @Test("methods through a metatable's __index, strings' methods, nested fields")
    func methods() {
        let h = REPLHarness()
        h.run(lines: [
            "Point = { new = function() end, norm = function(self) end, kind = 'point' }",
            "p = setmetatable({ x = 1 }, { __index = Point })",
            "s = 'text'",
            "config = { server = { port = 80, host = 'a' } }",
        ])
        #expect(h.completions("p:n") == ["p:new", "p:norm"])
        #expect(h.completions("p.") == ["p.kind", "p.new", "p.norm", "p.x"])
        #expect(h.completions("s:up") == ["s:upper"])
        #expect(h.completions("config.server.p") == ["config.server.port"])
    }

    @Test("completion runs no metamethods and survives hostile tables")
    func noMetamethods() {
        let h = REPLHarness()
        h.run(lines: [
            "called = false",
            "trap = setmetatable({}, { __index = function() called = true error('no') end, __pairs = function() called = true end })",
            "loop = {} setmetatable(loop, { __index = loop })",
        ])
        #expect(h.completions("trap.x") == [])
        #expect(h.completions("loop.") == [])
        h.run(lines: ["=called"])
        #expect(h.output.hasSuffix("false\n"))
    }
}
