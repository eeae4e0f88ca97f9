// Runs a REPL on scripted input with Moonwire's modules and stdlib, and with
// `print` writing to the captured console (so a test sees the script's
// output and the REPL's in order). No terminal, no signal handler.
import Foundation
import LLMTransport
import LuaBridge
import LuaLLM
import REPL
import TestSupport

final class REPLHarness {
    let lua = LuaState()
    let runtime: LLMRuntime
    let console = CapturingConsole()
    var commands: [REPLCommand] = []

    /// `transport`: a scripted one for virtual time; nil is live (curl).
    init(environment: [String: String] = [:], transport: (any HTTPTransport)? = nil) {
        runtime = LLMRuntime(transport: transport, configuration: LLMConfiguration(environment: environment))
        LuaLLMLibrary.open(lua, runtime: runtime)
        LuaLLMLibrary.setStdlib(lua, Repository.root.appendingPathComponent("stdlib").path)
        let console = console
        lua.register("capture_output") { call in
            console.write(call.rawBytes(1))
            return 0
        }
        let defined = lua.run("""
            local capture, pack, concat, tostring = capture_output, table.pack, table.concat, tostring
            capture_output = nil
            function print(...)
              local t = pack(...)
              for i = 1, t.n do t[i] = tostring(t[i]) end
              capture(concat(t, "\\t", 1, t.n) .. "\\n")
            end
            """)
        if case .failure(let error) = defined { fatalError("REPLHarness: \(error)") }
    }

    /// Runs the REPL over `reader` to its end; returns the exit status.
    @discardableResult
    func run(_ reader: ScriptedLineReader) -> Int32 {
        REPL(lua: lua, runtime: runtime, reader: reader, console: console, commands: commands).run()
    }

    /// Runs the lines (`nil` is Ctrl-C at the prompt) and returns the reader.
    @discardableResult
    func run(lines: [String?]) -> ScriptedLineReader {
        let reader = ScriptedLineReader(lines: lines)
        run(reader)
        return reader
    }

    var output: String { console.output }
    var errors: String { console.errors }

    /// The REPL's completions, through a REPL that has not run.
    func completions(_ word: String) -> [String] {
        REPL(lua: lua, runtime: runtime, reader: ScriptedLineReader([]), console: console).completions(for: word)
    }
}
