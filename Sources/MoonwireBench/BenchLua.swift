// A Lua state with Moonwire's modules pointed at a FakeProvider, built the way
// TestSupport's LuaHarness builds it (that target pulls in test-only packages,
// so the few lines are repeated here rather than imported).
import CallLog
import FakeProvider
import JSON
import LuaBridge
import LuaLLM

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

final class BenchLua {
    let lua = LuaState()
    let runtime: LLMRuntime

    /// The call log this state writes to, when it was given one.
    let callLog: CallLogWriter?

    /// `logTo`: a database path; every call is then logged there, as
    /// `moonwire run` logs it (CallLogging.install).
    init(server: FakeProviderServer, logTo: String? = nil) {
        runtime = LLMRuntime(configuration: LLMConfiguration(environment: [
            "ANTHROPIC_BASE_URL": server.baseURL, "ANTHROPIC_API_KEY": "sk-ant-bench",
            "OPENAI_BASE_URL": server.baseURL + "/v1", "OPENAI_API_KEY": "sk-openai-bench",
        ]))
        if let logTo {
            let writer = CallLogWriter(path: logTo, context: CallLogContext(runID: "bench", script: "bench.lua", arguments: []),
                                       warn: { note($0) })
            runtime.callLogDatabase = logTo
            runtime.callLogWriter = writer
            runtime.callLog = { writer.add($0, replayed: false, cassette: nil) }
            callLog = writer
        } else {
            callLog = nil
        }
        LuaLLMLibrary.open(lua, runtime: runtime)
    }

    func run(_ source: String) throws {
        if case .failure(let error) = lua.run(source, chunkName: "=bench") {
            throw BenchError("Lua error: \(error.message)")
        }
    }

    /// The global `name` as an integer (the scripts leave their counts there).
    func integer(_ name: String) throws -> Int {
        lua.pushGlobal(name)
        defer { lua.pop() }
        guard case .int(let n) = try lua.stack.json(at: -1) else { throw BenchError("global \(name) is not an integer") }
        return Int(n)
    }
}
