// llm.client{...}: a resilient client as a Lua object (`llm.Client`).
//   client:chat{...}         like llm.chat, through retries, breakers, limits and fallback
//   client:stats()           per provider: calls, errors, latency/TTFT percentiles, tokens, cost
//   client:breaker(name)     { state = "closed"|"open"|"half_open", open_until =, limited_until = }
//   client:reset_breaker(name)
import Foundation
import LLMCore
import LLMTransport
import LuaBridge

final class LuaClient {
    static let typeName = "llm.Client"
    let client: ResilientClient
    let runtime: LLMRuntime
    let hooks: [LuaRef]  // kept alive with the client

    init(client: ResilientClient, runtime: LLMRuntime, hooks: [LuaRef]) {
        self.client = client
        self.runtime = runtime
        self.hooks = hooks
    }

    static func create(_ call: LuaCall, runtime: LLMRuntime) throws -> Int32 {
        let options = try ClientOptions.read(call, configuration: runtime.configuration)
        let client = ResilientClient(config: options.config, transport: runtime.transport)
        var hooks = ResilienceHooks()
        let main = LuaCall(call.mainThread, name: "client")
        if let ref = options.shouldRetry {
            hooks.shouldRetry = { error, attempt in
                let base = main.count
                defer { main.settop(base) }
                ref.push(on: main)
                main.push(error: error)
                main.push(attempt)
                if let e = main.protectedCallKeepingError(nargs: 2, nresults: 1) { throw e }
                return main.type(-1) == .nil_ ? nil : main.boolean(-1)
            }
        }
        if let ref = options.onRetry { hooks.onRetry = { info in try callHook(ref, main, .retry(info)) } }
        if let ref = options.onFallback { hooks.onFallback = { info in try callHook(ref, main, .fallback(info)) } }
        let indicator = WaitIndicator.forRuntime(runtime)
        let onWait = options.onWait
        // Weak: the runtime holds the client (runtime.clients), the client these hooks.
        hooks.onWait = { [weak runtime] info in
            if let runtime { indicator?.show(info, loop: runtime.loop) }
            if let onWait { try callHook(onWait, main, .rateWait(info)) }
        }
        if let indicator {
            let retryHook = hooks.onRetry
            hooks.onRetry = { [weak runtime] info in
                if let runtime { indicator.show(info, loop: runtime.loop) }
                try retryHook?(info)
            }
        }
        client.hooks = hooks
        client.onRecord = runtime.callLog
        runtime.clients.append(client)
        let object = LuaClient(client: client, runtime: runtime,
                               hooks: [options.shouldRetry, options.onRetry, options.onFallback, options.onWait].compactMap { $0 })
        call.pushObject(object, typeName: typeName) { c, mt in
            c.newTable(recordCount: 4)
            let methods = c.absolute(-1)
            c.pushFunction(name: "chat", chat); c.setField(methods, "chat")
            c.pushFunction(name: "stream", stream); c.setField(methods, "stream")
            c.pushFunction(name: "stats", stats); c.setField(methods, "stats")
            c.pushFunction(name: "breaker", breaker); c.setField(methods, "breaker")
            c.pushFunction(name: "reset_breaker", resetBreaker); c.setField(methods, "reset_breaker")
            c.setField(mt, "__index")
            c.pushFunction(name: "__tostring") { c in
                let o = try c.object(1, typeName: typeName, as: LuaClient.self)
                c.push("llm.Client (\(o.client.config.routes.map(\.name).joined(separator: " → ")))")
                return 1
            }
            c.setField(mt, "__tostring")
        }
        return 1
    }

    private static func callHook(_ ref: LuaRef, _ main: LuaCall, _ event: ResilientEvent) throws {
        let base = main.count
        defer { main.settop(base) }
        ref.push(on: main)
        main.push(resilientEvent: event)
        if let e = main.protectedCallKeepingError(nargs: 1, nresults: 0) { throw e }
    }

    private static func chat(_ call: LuaCall) throws -> Int32 {
        let me = try call.object(1, typeName: typeName, as: LuaClient.self)
        let options = try ChatOptions.read(call, at: 2, configuration: me.runtime.configuration, clientModel: me.client.config.routes[0].model)
        let priority = try LuaOptions(call, at: 2).integer("priority").map { Int($0) } ?? 0
        return try ChatFunction.run(options, target: CallTarget(client: me.client, priority: priority), call: call, runtime: me.runtime)
    }

    /// client:stream{...}: llm.stream through the client; the iterator also
    /// yields "retry", "fallback", "rate_wait" and "recovered" events.
    private static func stream(_ call: LuaCall) throws -> Int32 {
        let me = try call.object(1, typeName: typeName, as: LuaClient.self)
        let options = try ChatOptions.read(call, at: 2, configuration: me.runtime.configuration, clientModel: me.client.config.routes[0].model)
        if options.onText != nil || options.onEvent != nil || options.tools.contains(where: { $0.function != nil }) {
            throw LuaArgumentError(argument: 1, "stream takes no callbacks or tool functions (iterate the events, or use chat)")
        }
        let priority = try LuaOptions(call, at: 2).integer("priority").map { Int($0) } ?? 0
        return LLMModule.pushStream(LuaStream(runtime: me.runtime, target: CallTarget(client: me.client, priority: priority), request: options.request), call)
    }

    private static func stats(_ call: LuaCall) throws -> Int32 {
        let me = try call.object(1, typeName: typeName, as: LuaClient.self)
        StatsTable.push(me.client.stats, routes: me.client.routeGauges, on: call)
        return 1
    }

    private static func breaker(_ call: LuaCall) throws -> Int32 {
        let me = try call.object(1, typeName: typeName, as: LuaClient.self)
        let name = try call.string(2)
        guard let state = me.client.breakerState(name) else {
            throw LuaArgumentError(argument: 1, "no provider named '\(name)' in this client")
        }
        let now = me.runtime.loop.clock.now
        call.newTable(recordCount: 3)
        let t = call.absolute(-1)
        switch state {
        case .closed: call.push("closed")
        case .halfOpen: call.push("half_open")
        case .open(let until):
            call.push(max(0, until - now)); call.setField(t, "open_for")
            call.push("open")
        }
        call.setField(t, "state")
        if let limited = me.client.limitedUntil(name), limited > now { call.push(limited - now); call.setField(t, "limited_for") }
        return 1
    }

    private static func resetBreaker(_ call: LuaCall) throws -> Int32 {
        let me = try call.object(1, typeName: typeName, as: LuaClient.self)
        let name = try call.string(2)
        guard me.client.resetBreaker(name) else { throw LuaArgumentError(argument: 1, "no provider named '\(name)' in this client") }
        return 0
    }
}
