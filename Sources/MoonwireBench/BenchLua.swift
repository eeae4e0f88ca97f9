// A Lua state with Moonwire's modules pointed at a FakeProvider, built the way
// TestSupport's LuaHarness builds it (that target pulls in test-only packages,
// so the few lines are repeated here rather than imported).
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

    init(server: FakeProviderServer) {
        runtime = LLMRuntime(configuration: LLMConfiguration(environment: [
            "ANTHROPIC_BASE_URL": server.baseURL, "ANTHROPIC_API_KEY": "sk-ant-bench",
            "OPENAI_BASE_URL": server.baseURL + "/v1", "OPENAI_API_KEY": "sk-openai-bench",
        ]))
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
