// LuaHarness: a Lua state with Moonwire's modules, configured from a given
// environment (so tests point providers at a FakeProvider), with helpers to
// run chunks and read globals back as JSON.
import Foundation
import JSON
import LuaBridge
import LLMCore
import LLMTransport
import LuaLLM

public final class LuaHarness {
    public let lua = LuaState()
    public let runtime: LLMRuntime

    public init(environment: [String: String] = [:], transport: (any HTTPTransport)? = nil) {
        runtime = LLMRuntime(transport: transport, configuration: LLMConfiguration(environment: environment))
        LuaLLMLibrary.open(lua, runtime: runtime)
        // As the CLI does: Moonwire's stdlib (pretty, llm_prices, test) on the module path.
        LuaLLMLibrary.setStdlib(lua, Repository.root.appendingPathComponent("stdlib").path)
    }

    /// Runs `source`; a Lua error comes back as its message with traceback.
    @discardableResult
    public func run(_ source: String, chunkName: String = "=test") -> Result<Void, LuaScriptError> {
        lua.run(source, chunkName: chunkName)
    }

    /// Runs `source` and fails the calling test with the Lua error if any.
    public func mustRun(_ source: String) throws {
        try lua.run(source, chunkName: "=test").get()
    }

    /// The global `name` converted to JSON.
    public func global(_ name: String) throws -> JSONValue {
        lua.pushGlobal(name)
        defer { lua.pop() }
        return try lua.stack.json(at: -1)
    }

    /// Registers a Swift function under a global name.
    public func register(_ name: String, _ body: @escaping LuaFunction) {
        lua.register(name, body)
    }
}

extension LuaHarness {
    /// A harness whose network is a ScriptedTransport on a virtual clock:
    /// waits are exact and cost no real time.
    public static func scripted(_ scripts: [String: [ScriptedTransport.Step]],
                                environment: [String: String] = ["ANTHROPIC_API_KEY": "k", "OPENAI_API_KEY": "k"])
        -> (LuaHarness, ScriptedTransport, VirtualClock) {
        let clock = VirtualClock()
        let transport = ScriptedTransport(loop: EventLoop(clock: clock), scripts: scripts)
        return (LuaHarness(environment: environment, transport: transport), transport, clock)
    }
}
