import CLua
import LuaBridge
import Testing

/// Counts what a Swift function did while Lua raised errors through it.
private final class Tracker {
    var defersRun = 0
    var calls = 0
}

private final class Payload {
    let onDeinit: () -> Void
    init(onDeinit: @escaping () -> Void) { self.onDeinit = onDeinit }
    deinit { onDeinit() }
}

@Suite("Swift functions raise Lua errors through the C trampoline")
struct TrampolineTests {
    @Test("10,000 errors raised from Swift inside pcall run every defer and leak no object")
    func raisingInsidePcall() throws {
        let lua = LuaState()
        let tracker = Tracker()
        var payloadsAlive = 0
        var payloadsMade = 0
        lua.register("fail") { call in
            tracker.calls += 1
            let payload = Payload { payloadsAlive -= 1 }
            payloadsAlive += 1
            payloadsMade += 1
            defer { tracker.defersRun += 1 }
            _ = payload
            throw LuaRuntimeError("boom \(try call.integer(1))")
        }
        let script = """
            local n, last = 0, nil
            for i = 1, 10000 do
              local ok, err = pcall(fail, i)
              if not ok then n = n + 1; last = err end
            end
            assert(n == 10000, "caught " .. n)
            assert(last:find("boom 10000", 1, true), last)
            """
        try lua.run(script).get()
        #expect(tracker.calls == 10_000)
        #expect(tracker.defersRun == 10_000)
        #expect(payloadsMade == 10_000)
        #expect(payloadsAlive == 0)
        #expect(lua.top == 0)
    }

    @Test("closing a state releases every registered Swift closure")
    func closeReleasesClosures() throws {
        weak var weakTracker: Tracker?
        // Only the Lua state holds the tracker (through the closures' captures).
        func makeState() throws -> LuaState {
            let lua = LuaState()
            let tracker = Tracker()
            weakTracker = tracker
            for i in 0..<100 {
                lua.register("f\(i)") { _ in tracker.calls += 1; return 0 }
            }
            // Closures stored in tables and upvalues too.
            try lua.run("t = { f1, f2, g = function() return f3() end }; t.g()").get()
            #expect(tracker.calls == 1)
            return lua
        }
        let lua = try makeState()
        #expect(weakTracker != nil)
        lua.close()
        #expect(weakTracker == nil)
    }

    @Test("a collected function releases its Swift closure before close")
    func garbageCollectedClosure() throws {
        let lua = LuaState()
        weak var weakTracker: Tracker?
        do {
            let tracker = Tracker()
            weakTracker = tracker
            lua.register("temp") { _ in tracker.calls += 1; return 0 }
        }
        try lua.run("temp(); temp = nil; collectgarbage(); collectgarbage()").get()
        #expect(weakTracker == nil)
    }

    @Test("argument errors read like lauxlib's, with the caller's position")
    func argumentErrorWording() throws {
        let lua = LuaState()
        lua.register("greet") { call in
            call.push("hi " + (try call.string(1)))
            return 1
        }
        let result = lua.run("greet(nil)", chunkName: "=script")
        let message = try #require(result.failureMessage)
        #expect(message.hasPrefix("script:1: bad argument #1 to 'greet' (string expected, got nil)"))
        #expect(message.contains("stack traceback:"))
    }

    @Test("a method call shifts the argument number like lauxlib")
    func methodArgumentNumbering() throws {
        let lua = LuaState()
        lua.register("make") { call in
            call.newTable()
            call.pushFunction(name: "say") { c in _ = try c.string(2); return 0 }
            call.setField(call.absolute(-2), "say")
            return 1
        }
        let message = try #require(lua.run("local o = make(); o:say(42)", chunkName: "=m").failureMessage)
        #expect(message.hasPrefix("m:1: bad argument #1 to 'say' (string expected, got number)"))
    }

    @Test("unknown option keys are rejected by name")
    func unknownOption() throws {
        let lua = LuaState()
        lua.register("chat") { call in
            try call.checkTable(1)
            try call.checkOptions(1, allowed: ["prompt", "temperature"])
            return 0
        }
        let message = try #require(lua.run("chat{ prompt = 'x', temprature = 1 }", chunkName: "=c").failureMessage)
        #expect(message.hasPrefix("c:1: unknown option 'temprature' to 'chat'"))
        #expect(lua.run("chat{ prompt = 'x', temperature = 1 }").failureMessage == nil)
    }

    @Test("a syntax error is reported with its chunk and line")
    func syntaxError() {
        let lua = LuaState()
        let result = lua.load("x = = 1", chunkName: "@bad.lua")
        guard case .failure(let error) = result else { Issue.record("expected a syntax error"); return }
        #expect(error.isSyntaxError)
        #expect(error.message.hasPrefix("bad.lua:1:"))
    }
}

extension Result where Failure == LuaScriptError {
    var failureMessage: String? {
        if case .failure(let e) = self { return e.message }
        return nil
    }
}
