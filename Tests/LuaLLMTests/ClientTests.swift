import JSON
import LLMCore
import LLMTransport
import Testing
import TestSupport

/// llm.client in virtual time: every wait is exact and costs no real time.
@Suite("llm.client: retry, timeouts, breaker, limiter, fallback, budget, stats")
struct ClientTests {
    private func harness(_ scripts: [String: [ScriptedTransport.Step]]) -> (LuaHarness, ScriptedTransport, VirtualClock) {
        LuaHarness.scripted(scripts)
    }

    private static let twoProviders = """
        providers = { { name = "a", kind = "anthropic", model = "claude-a", base_url = "http://a" },
                      { name = "b", kind = "anthropic", model = "claude-b", base_url = "http://b" } },
        """

    @Test("exact backoff schedule, then success on the same provider")
    func backoffSchedule() throws {
        let (h, transport, clock) = harness(["http://a": [.respond(Canned.error(529, type: "overloaded_error")), .respond(Canned.error(500)), .respond(Canned.anthropic(["ok"]))]])
        try h.mustRun("""
            waits = {}
            local c = llm.client{ providers = { { name = "a", kind = "anthropic", model = "claude-a", base_url = "http://a" } },
                                  retry = { base_delay = 1, max_delay = 8, jitter = 0 },
                                  on_retry = function(ev) waits[#waits + 1] = { ev.wait, ev.attempt, ev.error.kind } end }
            r = c:chat{ prompt = "x" }
            result = { text = r.text, provider = r.provider }
            """)
        #expect(try h.global("waits") == .array([.array([.double(1), .int(2), "overloaded"]), .array([.double(2), .int(3), "server"])]))
        #expect(try h.global("result") == .object(JSONObject([("text", "ok"), ("provider", "a")])))
        #expect(transport.requests.count == 3)
        // 5 ms per error response, 1 s + 2 s of backoff, then the 30 ms stream.
        #expect(abs(clock.now - 3.04) < 0.000001, "\(clock.now)")
    }

    @Test("retry-after is obeyed to the millisecond; above the cap the next provider answers at once")
    func retryAfter() throws {
        let (h, _, clock) = harness(["http://a": [.respond(Canned.error(429, type: "rate_limit_error", retryAfter: "7")), .respond(Canned.anthropic(["ok"]))]])
        try h.mustRun("""
            waits = {}
            local c = llm.client{ providers = { { name = "a", kind = "anthropic", model = "m", base_url = "http://a" } },
                                  on_retry = function(ev) waits[#waits + 1] = ev.wait end }
            result = c:chat{ prompt = "x" }.text
            """)
        #expect(try h.global("waits") == .array([.double(7)]))
        #expect(try h.global("result") == "ok")
        #expect(abs(clock.now - 7.035) < 0.000001, "\(clock.now)")

        let (h2, _, clock2) = harness([
            "http://a": [.respond(Canned.error(429, type: "rate_limit_error", retryAfter: "600"))],
            "http://b": [.respond(Canned.anthropic(["from b"]))],
        ])
        try h2.mustRun("""
            hops = {}
            local c = llm.client{ \(Self.twoProviders)
              on_fallback = function(ev) hops[#hops + 1] = ev.from .. ">" .. ev.to .. ":" .. ev.error.kind end }
            result = c:chat{ prompt = "x" }.text
            """)
        #expect(try h2.global("hops") == .array(["a>b:rate_limited"]))
        #expect(try h2.global("result") == "from b")
        #expect(clock2.now < 0.1, "no wait for a 600 s retry-after")
    }

    @Test("a failing provider with a healthy fallback: no backoff, the fallback answers")
    func fallbackSkipsBackoff() throws {
        let (h, _, clock) = harness(["http://a": [.respond(Canned.error(503))], "http://b": [.respond(Canned.anthropic(["b"]))]])
        try h.mustRun("""
            local c = llm.client{ \(Self.twoProviders) }
            local r = c:chat{ prompt = "x" }
            result = { r.text, r.provider }
            """)
        #expect(try h.global("result") == .array(["b", "b"]))
        #expect(clock.now < 0.1)
    }

    @Test("every provider failing gives all_failed listing each provider's last error")
    func allFailed() throws {
        let (h, _, _) = harness(["http://a": [.respond(Canned.error(500))], "http://b": [.respond(Canned.error(401, type: "authentication_error"))]])
        try h.mustRun("""
            local c = llm.client{ \(Self.twoProviders) retry = { max_retries = 0 } }
            local ok, err = pcall(c.chat, c, { prompt = "x" })
            result = { kind = err.kind, message = err.message }
            """)
        let r = try h.global("result")
        #expect(r["kind"] == "all_failed")
        let message = r["message"]?.stringValue ?? ""
        #expect(message.contains("a: server (500)") && message.contains("b: auth (401)"), "\(message)")
    }

    @Test("idle timeout fires at its time after a stall; first_token and deadline bound the rest")
    func timeouts() throws {
        let stalled = Canned.anthropic(["one", "two", "three"], gapMs: 100, stopAfter: 3)
        let (h, _, clock) = harness(["http://a": [.stall(stalled)]])
        try h.mustRun("""
            local c = llm.client{ providers = { { name = "a", kind = "anthropic", model = "m", base_url = "http://a" } },
                                  timeout = { idle = 5, first_token = 60 }, retry = { max_retries = 0 } }
            local ok, err = pcall(c.chat, c, { prompt = "x" })
            result = { kind = err.kind, message = err.message }
            """)
        let r = try h.global("result")
        #expect(r["kind"] == "timeout")
        #expect(r["message"]?.stringValue?.contains("idle") == true)
        // The last content arrived at 300 ms; idle is 5 s.
        #expect(abs(clock.now - 5.3) < 0.001, "\(clock.now)")

        let (h2, _, clock2) = harness(["http://a": Array(repeating: .respond(Canned.error(500)), count: 50)])
        try h2.mustRun("""
            local c = llm.client{ providers = { { name = "a", kind = "anthropic", model = "m", base_url = "http://a" } },
                                  timeout = { deadline = 10 }, retry = { max_retries = 40, base_delay = 1, max_delay = 4, jitter = 0 } }
            local ok, err = pcall(c.chat, c, { prompt = "x" })
            result = err.kind
            """)
        #expect(try h2.global("result") == "server" || (try h2.global("result")) == "timeout")
        #expect(clock2.now <= 10.0001, "the deadline bounds the retry storm: \(clock2.now)")
    }

    @Test("breaker: failures open it, calls skip the provider, a 429 storm does not open it")
    func breaker() throws {
        let (h, transport, _) = harness([
            "http://a": Array(repeating: .respond(Canned.error(500)), count: 3),
            "http://b": Array(repeating: .respond(Canned.anthropic(["b"])), count: 6),
        ])
        try h.mustRun("""
            c = llm.client{ \(Self.twoProviders) breaker = { min_calls = 2, failure_rate = 0.5, open_for = 30 }, retry = { max_retries = 0 } }
            for i = 1, 4 do c:chat{ prompt = "x" .. i } end
            result = c:breaker("a").state
            """)
        #expect(try h.global("result") == "open")
        #expect(transport.requests(to: "http://a").count == 2, "after two failures the breaker skips a")

        let (h2, _, _) = harness([
            "http://a": Array(repeating: .respond(Canned.error(429, type: "rate_limit_error", retryAfter: "1")), count: 10),
            "http://b": Array(repeating: .respond(Canned.anthropic(["b"])), count: 10),
        ])
        try h2.mustRun("""
            c = llm.client{ \(Self.twoProviders) breaker = { min_calls = 2 }, retry = { max_retries = 0 } }
            for i = 1, 5 do c:chat{ prompt = "x" .. i } end
            result = c:breaker("a").state
            """)
        #expect(try h2.global("result") == "closed")
    }

    @Test("the rate limiter spreads calls over time and a full queue fails at once")
    func limiter() throws {
        let (h, _, clock) = harness(["http://a": Array(repeating: .respond(Canned.anthropic(["ok"])), count: 5)])
        try h.mustRun("""
            waits = {}
            local c = llm.client{ providers = { { name = "a", kind = "anthropic", model = "m", base_url = "http://a" } },
                                  rate = { rpm = 2, on_wait = function(ev) waits[#waits + 1] = ev.wait end } }
            for i = 1, 3 do c:chat{ prompt = "x" .. i } end
            """)
        let waits = try h.global("waits").arrayValue ?? []
        #expect(waits.count == 1)
        #expect(clock.now >= 30, "the third call waited for the bucket: \(clock.now)")

        let (h2, _, _) = harness(["http://a": Array(repeating: .respond(Canned.anthropic(["ok"])), count: 5)])
        try h2.mustRun("""
            local c = llm.client{ providers = { { name = "a", kind = "anthropic", model = "m", base_url = "http://a" } },
                                  rate = { rpm = 1, queue = 0 } }
            c:chat{ prompt = "first" }
            local ok, err = pcall(c.chat, c, { prompt = "second" })
            result = err.kind
            """)
        #expect(try h2.global("result") == "queue_full")
    }

    @Test("a mid-stream drop under continue: partial + continuation, with a recovered event")
    func continueAfterDrop() throws {
        let cut = Canned.anthropic(["Hello, ", "wor"], stopAfter: 3)
        let (h, transport, _) = harness([
            "http://a": [.respond(CassetteResponse(status: 200, headers: cut.headers, chunks: cut.chunks, headAtMs: cut.headAtMs))],
            "http://b": [.respond(Canned.anthropic(["ld!"]))],
        ])
        // The cut stream ends without message_stop: a bad_response after content.
        try h.mustRun("""
            events = {}
            local c = llm.client{ \(Self.twoProviders) retry = { on_mid_stream = "continue" } }
            local r = c:chat{ prompt = "greet", on_event = function(ev) events[#events + 1] = ev.type end }
            result = r.text
            """)
        #expect(try h.global("result") == "Hello, world!")
        let types = (try h.global("events").arrayValue ?? []).compactMap(\.stringValue)
        #expect(types.contains("recovered"))
        let second = try JSONParser.parse(transport.requests(to: "http://b")[0].body)
        #expect(second["messages"]?[1]?["role"] == "assistant")
    }

    @Test("budget, stats and config errors")
    func budgetStatsConfig() throws {
        let (h, _, _) = harness(["http://a": Array(repeating: .respond(Canned.anthropic(["ok"], inputTokens: 1_000_000)), count: 3)])
        try h.mustRun("""
            local c = llm.client{ providers = { { name = "a", kind = "anthropic", model = "claude-sonnet-4-5", base_url = "http://a" } },
                                  budget = { usd = 2 } }
            c:chat{ prompt = "x" }
            local ok, err = pcall(c.chat, c, { prompt = "y" })
            local s = c:stats()
            result = { kind = err.kind, calls = s.a.calls, cost = s.total_cost_usd, text = tostring(s) }
            """)
        let r = try h.global("result")
        #expect(r["kind"] == "budget_exceeded")
        #expect(r["calls"] == .int(2))
        #expect(abs((r["cost"]?.doubleValue ?? 0) - 3.000015) < 1e-9)
        #expect(r["text"]?.stringValue?.contains("provider") == true)

        for (config, expected) in [
            ("providers = {}", "field 'providers' is empty"),
            ("providers = { { model = 'm', kind = 'acme' } }", "field 'providers[1].kind' must be"),
            ("providers = { { model = 'claude-x' } }, retry = { base_delay = -1 }", "field 'retry.base_delay' must be between 0 and 31536000 seconds, got -1"),
            ("providers = { { model = 'claude-x' } }, retyr = {}", "unknown option 'retyr' to 'client'"),
            ("providers = { { model = 'claude-x' } }, timeout = { idel = 1 }", "unknown option 'idel' in 'timeout' of 'client'"),
        ] {
            guard case .failure(let e) = h.run("llm.client{ \(config) }") else { Issue.record("no error for \(config)"); continue }
            #expect(e.message.contains(expected), "\(e.message)")
        }
    }

    @Test("a hook that raises fails the call with the hook's error, as raised")
    func hookRaises() throws {
        let (h, _, _) = harness(["http://a": [.respond(Canned.error(500)), .respond(Canned.anthropic(["never"]))]])
        try h.mustRun("""
            local c = llm.client{ providers = { { name = "a", kind = "anthropic", model = "m", base_url = "http://a" } },
                                  on_retry = function() error("hook broke") end }
            local ok, err = pcall(c.chat, c, { prompt = "x" })
            result = tostring(err)
            again = pcall(c.chat, c, { prompt = "x" })
            """)
        #expect(try h.global("result") == "test:2: hook broke")
    }
}

@Suite("llm.client streams and soak")
struct ClientStreamAndSoakTests {
    @Test("client:stream yields retry and fallback events between the text")
    func streamEvents() throws {
        let clock = VirtualClock()
        let transport = ScriptedTransport(loop: EventLoop(clock: clock), scripts: [
            "http://a": [.respond(Canned.error(500)), .respond(Canned.error(500))],
            "http://b": [.respond(Canned.anthropic(["x", "y"]))],
        ])
        let h = LuaHarness(environment: ["ANTHROPIC_API_KEY": "k"], transport: transport)
        try h.mustRun("""
            local c = llm.client{ providers = { { name = "a", kind = "anthropic", model = "m", base_url = "http://a" },
                                                { name = "b", kind = "anthropic", model = "m", base_url = "http://b" } },
                                  retry = { max_retries = 1, jitter = 0 } }
            types = {}
            for ev in c:stream{ prompt = "x" } do
              if ev.type ~= "usage" and ev.type ~= "start" then types[#types + 1] = ev.type end
            end
            """)
        // a is the only provider with a healthy fallback: no backoff, straight to b.
        #expect(try h.global("types") == .array(["fallback", "text", "text", "finish"]))
    }

    @Test("soak: 1,000 calls with seeded random faults all end by their deadline with an answer or a typed error")
    func soak() throws {
        var generator = SplitMix64(seed: 2026)
        func step() -> ScriptedTransport.Step {
            switch generator.next() % 12 {
            case 0: return .respond(Canned.error(529, type: "overloaded_error"))
            case 1: return .respond(Canned.error(429, type: "rate_limit_error", retryAfter: String(generator.next() % 5)))
            case 2: return .fail(kind: "network", message: "connection reset", atMs: 3)
            case 3: return .stall(Canned.anthropic(["partial"], stopAfter: 2))
            case 4: return .respond(Canned.anthropic(["cut"], stopAfter: 2))
            default: return .respond(Canned.anthropic(["fine"]))
            }
        }
        let scripts: [String: [ScriptedTransport.Step]] = [
            "http://a": (0..<4000).map { _ in step() }, "http://b": (0..<4000).map { _ in step() },
        ]
        let clock = VirtualClock()
        let transport = ScriptedTransport(loop: EventLoop(clock: clock), scripts: scripts)
        let h = LuaHarness(environment: ["ANTHROPIC_API_KEY": "k"], transport: transport)
        try h.mustRun("""
            local c = llm.client{ providers = { { name = "a", kind = "anthropic", model = "m", base_url = "http://a" },
                                                { name = "b", kind = "anthropic", model = "m", base_url = "http://b" } },
                                  timeout = { first_token = 5, idle = 5, deadline = 30 }, seed = 7,
                                  breaker = { failure_rate = 0.8, min_calls = 20, open_for = 5 } }
            counts, late = {}, 0
            for i = 1, 1000 do
              local ok, r = pcall(c.chat, c, { prompt = "q" .. i })
              local key = ok and "ok" or (type(r) == "table" and r.kind or "untyped")
              counts[key] = (counts[key] or 0) + 1
            end
            local s = c:stats()
            calls = (s.a and s.a.calls or 0) + (s.b and s.b.calls or 0)
            """)
        let counts = try h.global("counts")
        guard case .object(let table) = counts else { Issue.record("no counts"); return }
        let total = table.entries.reduce(0) { $0 + Int($1.value.intValue ?? 0) }
        #expect(total == 1000)
        #expect(table["untyped"] == nil, "every failure is a typed llm error")
        #expect((table["ok"]?.intValue ?? 0) > 500, "\(counts)")
        #expect(try h.global("calls") == .int(1000))
        print("soak outcomes:", table.entries.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " "))
        // Each call's latency is bounded by the 30 s deadline (checked in virtual time).
        let maxLatency = h.runtime.clients[0].stats.byProvider.values.flatMap(\.latencies).max() ?? 0
        #expect(maxLatency <= 30.0001, "\(maxLatency)")
    }
}
