import JSON
import LLMCore
import LLMTransport
import Testing
import TestSupport

/// llm.spawn / wait / wait_all / sleep / cancel on a virtual clock: waits are
/// exact and cost no real time, so overlap shows in the clock.
@Suite("Tasks: llm.spawn, task:wait, llm.wait_all, llm.sleep, cancel")
struct TaskTests {
    private func harness(_ scripts: [String: [ScriptedTransport.Step]] = [:]) -> (LuaHarness, ScriptedTransport, VirtualClock) {
        LuaHarness.scripted(scripts, environment: ["ANTHROPIC_API_KEY": "k", "ANTHROPIC_BASE_URL": "http://a", "MOONWIRE_MODEL": "claude-a"])
    }

    @Test("tasks run side by side: two 1 s chat streams and a 2 s sleep end at 2 s, results in order")
    func overlap() throws {
        let (h, transport, clock) = harness(["http://a": [.respond(Canned.anthropic(["a", "b"], gapMs: 300)),
                                                          .respond(Canned.anthropic(["c", "d"], gapMs: 300))]])
        try h.mustRun("""
            order = {}
            local function ask(p) order[#order + 1] = "start " .. p; local r = llm.chat{ prompt = p }; order[#order + 1] = "end " .. p; return r.text end
            local t1, t2 = llm.spawn(ask, "one"), llm.spawn(ask, "two")
            local t3 = llm.spawn(function() llm.sleep(2); return "slept", 3 end)
            results = llm.wait_all{ t1, t2 }
            s1, s2 = t3:wait()
            status = t1:status() .. " " .. tostring(t3)
            """)
        #expect(try h.global("results") == .array(["ab", "cd"]))
        #expect(try h.global("order") == .array(["start one", "start two", "end one", "end two"]))
        #expect(try h.global("s1") == "slept")
        #expect(try h.global("s2") == .int(3))
        #expect(try h.global("status") == "done llm.Task 3 (done)")
        #expect(transport.maxInFlight == 2)
        #expect(abs(clock.now - 2.0) < 0.000001, "\(clock.now)")
    }

    @Test("a task that raises does not disturb the others; wait re-raises it with the task's traceback")
    func failureStaysInItsTask() throws {
        let (h, _, _) = harness(["http://a": [.respond(Canned.anthropic(["fine"]))]])
        try h.mustRun("""
            local bad = llm.spawn(function() llm.sleep(0.5); local t = nil; return t.field end)
            local good = llm.spawn(function() return llm.chat{ prompt = "x" }.text end)
            good_result = good:wait()
            ok, message = pcall(bad.wait, bad)
            status = bad:status()
            local typed = llm.spawn(function() error(setmetatable({ kind = "custom" }, { __tostring = function() return "custom!" end })) end)
            local ok2, e = pcall(typed.wait, typed)
            typed_kind, typed_tb = e.kind, e.traceback
            """)
        #expect(try h.global("good_result") == "fine")
        #expect(try h.global("ok") == false)
        let message = try #require(try h.global("message").stringValue)
        #expect(message.hasPrefix("task 1 failed: test:1: attempt to index a nil value (local 't')"), "\(message)")
        #expect(message.contains("stack traceback:"))
        #expect(try h.global("status") == "failed")
        #expect(try h.global("typed_kind") == "custom")
        let traceback = try #require(try h.global("typed_tb").stringValue)
        #expect(traceback.hasPrefix("custom!\nstack traceback:"), "\(traceback)")
    }

    @Test("cancel: a task not started never runs; a waiting one raises cancelled where it waits and its transfer stops")
    func cancel() throws {
        let (h, transport, clock) = harness(["http://a": [.stall(Canned.anthropic(["never"], stopAfter: 2))]])
        try h.mustRun("""
            ran = false
            local never = llm.spawn(function() ran = true end)
            never:cancel()
            local stuck = llm.spawn(function() return llm.chat{ prompt = "x" } end)
            local canceller = llm.spawn(function() llm.sleep(3); stuck:cancel() end)
            canceller:wait()
            ok, err = pcall(stuck.wait, stuck)
            kind = err.kind
            s1, s2 = never:status(), stuck:status()
            """)
        #expect(try h.global("ran") == false)
        #expect(try h.global("ok") == false)
        #expect(try h.global("kind") == "cancelled")
        #expect(try h.global("s1") == "cancelled")
        #expect(try h.global("s2") == "cancelled")
        #expect(transport.requests.count == 1)
        #expect(abs(clock.now - 3.0) < 0.000001, "\(clock.now)")
    }

    @Test("coroutine.yield inside a task lets the others run; streams iterate inside tasks")
    func yieldAndStreams() throws {
        let (h, _, _) = harness(["http://a": [.respond(Canned.anthropic(["x", "y", "z"]))]])
        try h.mustRun("""
            trace = {}
            local a = llm.spawn(function() for i = 1, 3 do trace[#trace + 1] = "a" .. i; coroutine.yield() end end)
            local b = llm.spawn(function() for i = 1, 3 do trace[#trace + 1] = "b" .. i; coroutine.yield() end end)
            local s = llm.spawn(function()
              local parts = {}
              for ev in llm.stream{ prompt = "p" } do if ev.type == "text" then parts[#parts + 1] = ev.text end end
              return table.concat(parts, "|")
            end)
            llm.wait_all{ a, b }
            streamed = s:wait()
            """)
        #expect(try h.global("trace") == .array(["a1", "b1", "a2", "b2", "a3", "b3"]))
        #expect(try h.global("streamed") == "x|y|z")
    }

    @Test("bad input: waiting in a plain coroutine, a task waiting for itself, wait_all of non-tasks, a bad sleep")
    func badInput() throws {
        let (h, transport, _) = harness()
        try h.mustRun("""
            local co = coroutine.wrap(function() return llm.chat{ prompt = "x" } end)
            _, plain = pcall(co)
            local me
            me = llm.spawn(function() return pcall(me.wait, me) end)
            _, self_wait = me:wait()
            _, not_tasks = pcall(llm.wait_all, { 1 })
            _, bad_sleep = pcall(llm.sleep, -1)
            _, spawn_nil = pcall(llm.spawn, nil)
            """)
        #expect(try h.global("plain").stringValue?.contains("llm.chat has to wait, which it cannot do in a coroutine that is not a Moonwire task: run the coroutine's function with llm.spawn(fn)") == true)
        #expect(try h.global("self_wait").stringValue?.hasSuffix("task 1 cannot wait for itself") == true)
        #expect(try h.global("not_tasks").stringValue?.hasSuffix("bad argument #1 to 'wait_all' (element 1 is a number, not an llm.Task)") == true)
        #expect(try h.global("bad_sleep").stringValue?.hasSuffix("bad argument #1 to 'sleep' (seconds must be a finite number >= 0)") == true)
        #expect(try h.global("spawn_nil").stringValue?.hasSuffix("bad argument #1 to 'spawn' (function expected, got nil)") == true)
        #expect(transport.requests.isEmpty, "the plain coroutine's call never reached the network")
    }

    @Test("tasks share a client: its rpm limit holds across 90 concurrent calls")
    func rateLimitAcrossTasks() throws {
        let (h, transport, clock) = harness(["http://a": (0..<90).map { _ in .respond(Canned.anthropic(["ok"])) }])
        try h.mustRun("""
            local c = llm.client{ providers = { { name = "a", kind = "anthropic", model = "claude-a", base_url = "http://a" } },
                                  rate = { rpm = 30, queue = 1000 } }
            local results, summary = llm.map({}, function() end)
            local items = {}
            for i = 1, 90 do items[i] = i end
            results, summary = llm.map(items, function(i) return c:chat{ prompt = "n" .. i }.text end, { concurrency = 20 })
            ok = summary.ok
            """)
        #expect(try h.global("ok") == .int(90))
        let times = transport.startTimes
        #expect(times.count == 90)
        // The limiter is a token bucket (30 to start, refilled at 0.5 a second),
        // as the providers' own limits are: any stretch of requests i...j fits it.
        var worst = 0.0
        for i in times.indices {
            for j in i..<times.count {
                worst = max(worst, Double(j - i + 1) - (30 + 0.5 * (times[j] - times[i])))
            }
        }
        #expect(worst <= 0.000001, "the bucket was exceeded by \(worst) requests")
        #expect(times.filter { $0 < 1 }.count == 30, "the full bucket lets 30 through at once")
        #expect(clock.now >= 119, "90 requests at 30 per minute need two full minutes of waiting: \(clock.now)")
        #expect(transport.maxInFlight <= 20)
    }

    @Test("tasks share a client's budget and stats: once spent, no new call starts; the stats count every call")
    func budgetAcrossTasks() throws {
        let (h, transport, _) = harness(["http://a": (0..<60).map { _ in .respond(Canned.anthropic(["ok"])) }])
        try h.mustRun("""
            local c = llm.client{ providers = { { name = "a", kind = "anthropic", model = "claude-a", base_url = "http://a" } },
                                  budget = { tokens = 100 } }
            local items = {}
            for i = 1, 60 do items[i] = i end
            local results, summary = llm.map(items, function(i) return c:chat{ prompt = "n" .. i }.text end, { concurrency = 4 })
            ok, budget_failures = summary.ok, summary.errors.budget_exceeded
            local stats = c:stats()
            calls, tokens = stats.a.calls, stats.total_tokens
            """)
        let ok = try #require(try h.global("ok").intValue)
        #expect(ok + (try h.global("budget_failures").intValue ?? 0) == 60)
        #expect(transport.requests.count == Int(ok), "a call refused by the budget sends nothing")
        // 11 tokens a call: the 10th crosses 100; at most 3 more were already in flight.
        #expect((10...13).contains(ok), "\(ok) calls answered")
        #expect(try h.global("calls") == .int(60))
        #expect(try h.global("tokens") == .int(ok * 11))
    }

    @Test("a script resuming a waiting task's coroutine itself cannot cut its wait short")
    func foreignResume() throws {
        let (h, _, clock) = harness()
        try h.mustRun("""
            local co
            local t = llm.spawn(function() co = coroutine.running(); llm.sleep(5); return "slept" end)
            llm.sleep(1)
            resumed = { coroutine.resume(co) }
            result = t:wait()
            """)
        #expect(try h.global("resumed") == .array([true]))
        #expect(try h.global("result") == "slept")
        #expect(abs(clock.now - 5) < 0.000001, "\(clock.now)")
    }

    @Test("one llm.Stream, two tasks reading it: the second is told, the first gets every event")
    func sharedStream() throws {
        let (h, _, _) = harness(["http://a": [.respond(Canned.anthropic(["x", "y"]))]])
        try h.mustRun("""
            local s = llm.stream{ prompt = "p" }
            local function read() local n = 0; for ev in s do if ev.type == "text" then n = n + 1 end end; return n end
            local a = llm.spawn(read)
            local b = llm.spawn(read)
            texts = a:wait()
            ok, err = pcall(b.wait, b)
            """)
        #expect(try h.global("texts") == .int(2))
        #expect(try h.global("ok") == false)
        #expect(try h.global("err").stringValue?.contains("reading an llm.Stream: another task is already waiting on it (one reader at a time)") == true)
    }

    @Test("Ctrl-C during llm.map: the items in flight count as cancelled, none starts after, the error carries the results")
    func interruptedMap() throws {
        let (h, _, _) = harness()
        let loop = h.runtime.loop
        h.register("press_ctrl_c") { _ in
            loop.interrupt()
            return 0
        }
        try h.mustRun("""
            local items = {}
            for i = 1, 20 do items[i] = i end
            started = 0
            ok, err = pcall(llm.map, items, function(i)
              started = started + 1
              if i == 6 then llm.sleep(0.5); press_ctrl_c() end
              llm.sleep(i <= 4 and 0.1 or 10)
              return i
            end, { concurrency = 3 })
            summary = err.summary
            kind, r1, r5 = err.kind, err.results[1], err.results[5].kind
            """)
        #expect(try h.global("ok") == false)
        #expect(try h.global("kind") == "cancelled")
        #expect(try h.global("r1") == .int(1))
        #expect(try h.global("r5") == "cancelled")
        let summary = try h.global("summary")
        #expect(summary["ok"] == .int(4))
        #expect(summary["failed"] == .int(0))
        #expect(summary["cancelled"] == .int(3))
        #expect(summary["not_started"] == .int(13))
        #expect(try h.global("started") == .int(7))
        try h.mustRun("llm.sleep(1)")  // the interrupt was consumed: waits work again
    }

    @Test("a deadlock is an error naming it, not a hang; a task looping on coroutine.yield can be cancelled")
    func deadlockAndYieldLoop() throws {
        let (h, _, _) = harness()
        try h.mustRun("""
            local a, b
            a = llm.spawn(function() llm.sleep(0); return b:wait() end)
            b = llm.spawn(function() llm.sleep(0); return a:wait() end)
            ok, err = pcall(a.wait, a)
            message = tostring(err)
            a:cancel(); b:cancel()
            local spinner = llm.spawn(function() while true do coroutine.yield() end end)
            -- (A timer would never fire here: on the virtual clock a task that only yields takes no time.)
            local canceller = llm.spawn(function() for _ = 1, 5 do coroutine.yield() end; spinner:cancel() end)
            canceller:wait()
            spin_status = spinner:status()
            """)
        #expect(try h.global("ok") == false)
        #expect(try h.global("message").stringValue?.contains("deadlock: every task (2) is waiting for another task") == true)
        #expect(try h.global("spin_status") == "cancelled")
    }
}
