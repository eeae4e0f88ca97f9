// The `llm` module table: chat, stream, embed, configure. Every function
// shares one LLMRuntime (event loop + configuration) per Lua state.
import LLMCore
import LLMProviders
import LuaBridge

enum LLMModule {
    static let version = "0.1.0"

    static func push(_ stack: LuaCall, runtime: LLMRuntime) {
        stack.newTable(recordCount: 9)
        let t = stack.absolute(-1)
        stack.push(version)
        stack.setField(t, "version")
        stack.pushFunction(name: "chat") { call in try ChatFunction.chat(call, runtime: runtime) }
        stack.setField(t, "chat")
        stack.pushFunction(name: "stream") { call in try stream(call, runtime: runtime) }
        stack.setField(t, "stream")
        stack.pushFunction(name: "embed") { call in try EmbedFunction.embed(call, runtime: runtime) }
        stack.setField(t, "embed")
        stack.pushFunction(name: "configure") { call in try configure(call, runtime: runtime) }
        stack.setField(t, "configure")
        stack.pushFunction(name: "client") { call in try LuaClient.create(call, runtime: runtime) }
        stack.setField(t, "client")
        stack.pushFunction(name: "use_cassette") { call in try useCassette(call, runtime: runtime) }
        stack.setField(t, "use_cassette")
        stack.pushFunction(name: "logs") { call in try LogsFunction.logs(call, runtime: runtime) }
        stack.setField(t, "logs")
        TaskFunctions.register(in: stack, module: t, runtime: runtime)
    }

    /// Returns the stream object as iterator and to-be-closed value:
    /// `for ev in llm.stream{...}` closes it when the loop ends or breaks.
    private static func stream(_ call: LuaCall, runtime: LLMRuntime) throws -> Int32 {
        let options = try ChatOptions.read(call, at: 1, configuration: runtime.configuration)
        if options.onText != nil || options.onEvent != nil || options.tools.contains(where: { $0.function != nil }) {
            throw LuaArgumentError(argument: 1, "llm.stream takes no callbacks or tool functions (iterate the events, or use llm.chat)")
        }
        let target = try ChatFunction.plainTarget(options, runtime: runtime, call: call)
        return pushStream(LuaStream(runtime: runtime, target: target, request: options.request), call)
    }

    static func pushStream(_ stream: LuaStream, _ call: LuaCall) -> Int32 {
        LuaStream.push(stream, on: call)
        call.pushNil()
        call.pushNil()
        call.pushValue(at: -3)
        return 4
    }

    /// llm.use_cassette(path [, mode]) / llm.use_cassette(nil): calls after it
    /// replay (or record) that cassette; nil goes back to the network.
    private static func useCassette(_ call: LuaCall, runtime: LLMRuntime) throws -> Int32 {
        let path = try call.optionalString(1)
        let mode = try call.optionalString(2)
        guard let hook = runtime.useCassette else {
            throw LuaRuntimeError("llm.use_cassette is available under `moonwire test`; use --replay/--record with moonwire run")
        }
        guard runtime.liveTaskCount == 0 else {
            throw LuaRuntimeError("llm.use_cassette cannot switch while \(runtime.liveTaskCount) task(s) are running: wait for them first")
        }
        try hook(path, mode)
        return 0
    }

    /// llm.configure{ model =, provider =, anthropic = { base_url =, api_key = }, openai = {...},
    ///                retry = {...}, timeout = {...}, concurrency = {...} }  (the last three: plain calls)
    private static func configure(_ call: LuaCall, runtime: LLMRuntime) throws -> Int32 {
        try call.checkTable(1)
        try call.checkOptions(1, allowed: Set(["model", "provider"] + ProviderKind.allCases.map(\.rawValue)).union(["retry", "timeout", "concurrency", "max_response_bytes"]))
        let o = LuaOptions(call, at: 1)
        var plain = runtime.plainSettings
        try ClientOptions.readRetryAndTimeouts(call, o, function: "configure", into: &plain)
        runtime.plainSettings = plain
        runtime.plainSettingsChanged()
        let config = runtime.configuration
        if let model = try o.string("model") { config.defaultModel = model }
        if let p = try o.string("provider") {
            config.defaultProvider = try LLMConfiguration.kind(named: p, field: "provider", argument: 1)
        }
        for kind in ProviderKind.allCases where try o.pushTable(kind.rawValue) {
            defer { call.pop() }
            try call.checkOptions(-1, allowed: ["base_url", "api_key", "headers"])
            let p = LuaOptions(call, at: -1, argument: 1)
            var settings = config.settings[kind] ?? ProviderSettings()
            if let url = try p.string("base_url") { settings.baseURL = url }
            if let key = try p.string("api_key") { settings.apiKey = key }
            if p.has("headers") { settings.headers = try HeaderOptions.read(call, p, field: "\(kind.rawValue).headers") }
            config.settings[kind] = settings
        }
        return 0
    }
}
