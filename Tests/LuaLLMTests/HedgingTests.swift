import JSON
import LLMCore
import LLMTransport
import Testing
import TestSupport

/// hedge_after in virtual time: which provider wins is decided by exact timings.
@Suite("llm.client hedging")
struct HedgingTests {
    private func harness(_ scripts: [String: [ScriptedTransport.Step]]) -> (LuaHarness, ScriptedTransport, VirtualClock) {
        LuaHarness.scripted(scripts)
    }

    private static let hedged = """
        events = {}
        local c = llm.client{ providers = { { name = "a", kind = "anthropic", model = "claude-a", base_url = "http://a" },
                                            { name = "b", kind = "anthropic", model = "claude-b", base_url = "http://b" } },
                              hedge_after = 1, retry = { jitter = 0 } }
        local r = c:chat{ prompt = "x", on_event = function(ev)
          if ev.type == "hedge" then events[#events + 1] = "hedge " .. ev.from .. "->" .. ev.to end
        end }
        local s = c:stats()
        result = { text = r.text, provider = r.provider, calls = (s.a and s.a.calls or 0) + (s.b and s.b.calls or 0) }
        """

    @Test("hedging: no token from a after hedge_after, b gets the request, b streams first and wins; a is cut")
    func hedgeWins() throws {
        let (h, transport, clock) = harness(["http://a": [.respond(Canned.anthropic(["slow"], gapMs: 2500))],
                                             "http://b": [.respond(Canned.anthropic(["fast"], gapMs: 10))]])
        try h.mustRun(Self.hedged)
        #expect(try h.global("result") == .object(JSONObject([("text", "fast"), ("provider", "b"), ("calls", .int(1))])))
        #expect(try h.global("events") == .array(["hedge a->b"]))
        #expect(transport.requests(to: "http://a").count == 1)
        #expect(transport.requests(to: "http://b").count == 1)
        // b started at 1 s and its stream took 30 ms; a's 5 s stream was not waited for.
        #expect(abs(clock.now - 1.03) < 0.000001, "\(clock.now)")
    }

    @Test("hedging: a's first token comes before b's, so a wins and b is cancelled")
    func primaryWins() throws {
        let (h, transport, clock) = harness(["http://a": [.respond(Canned.anthropic(["from a"], gapMs: 750))],
                                             "http://b": [.respond(Canned.anthropic(["from b"], gapMs: 300))]])
        try h.mustRun(Self.hedged)
        #expect(try h.global("result") == .object(JSONObject([("text", "from a"), ("provider", "a"), ("calls", .int(1))])))
        #expect(transport.requests(to: "http://b").count == 1)
        #expect(abs(clock.now - 2.25) < 0.000001, "a's stream ends at 3 × 750 ms: \(clock.now)")
    }

    @Test("hedging: a token before hedge_after means no hedge at all")
    func noHedgeWhenFast() throws {
        let (h, transport, _) = harness(["http://a": [.respond(Canned.anthropic(["quick"], gapMs: 100))],
                                         "http://b": [.respond(Canned.anthropic(["unused"]))]])
        try h.mustRun(Self.hedged)
        #expect(try h.global("result")["provider"] == "a")
        #expect(try h.global("events") == .object(JSONObject()))
        #expect(transport.requests(to: "http://b").isEmpty)
    }

    @Test("hedging: a fails while the hedge runs, and the hedge carries the call (no retry on a)")
    func primaryFailsDuringHedge() throws {
        let slowError = CassetteResponse(status: 500, headers: ["content-type": "application/json"],
                                         body: .text(#"{"type":"error","error":{"type":"api_error","message":"late 500"}}"#), headAtMs: 1500)
        let (h, transport, clock) = harness(["http://a": [.respond(slowError), .respond(Canned.anthropic(["retry"]))],
                                             "http://b": [.respond(Canned.anthropic(["from b"], gapMs: 1000))]])
        try h.mustRun(Self.hedged)
        #expect(try h.global("result")["text"] == "from b")
        #expect(try h.global("result")["provider"] == "b")
        #expect(transport.requests(to: "http://a").count == 1)
        #expect(abs(clock.now - 4.0) < 0.000001, "b started at 1 s, its stream took 3 s: \(clock.now)")
    }

    @Test("hedge_after must be positive")
    func hedgeAfterValidated() throws {
        let (h, _, _) = harness([:])
        try h.mustRun("""
            ok, err = pcall(llm.client, { providers = { { name = "a", kind = "anthropic", model = "m" } }, hedge_after = 0 })
            """)
        let err = try h.global("err")
        #expect(err.stringValue?.hasSuffix("bad argument #1 to 'client' (field 'hedge_after' must be more than 0 and at most 31536000 seconds, got 0)") == true, "\(err)")
    }

    @Test("closing a hedged stream after the hedge took over cancels the hedge's transfer too")
    func closingHedgedStream() throws {
        let (h, transport, _) = harness(["http://a": [.respond(Canned.anthropic(["slow"], gapMs: 2500))],
                                         "http://b": [.respond(Canned.anthropic(Array(repeating: "b", count: 50), gapMs: 100))]])
        try h.mustRun("""
            local c = llm.client{ providers = { { name = "a", kind = "anthropic", model = "claude-a", base_url = "http://a" },
                                                { name = "b", kind = "anthropic", model = "claude-b", base_url = "http://b" } },
                                  hedge_after = 1 }
            types = {}
            for ev in c:stream{ prompt = "x" } do
              types[#types + 1] = ev.type
              if ev.type == "text" then break end
            end
            """)
        #expect(try h.global("types").arrayValue?.contains("hedge") == true)
        #expect(transport.requests.count == 2)
        #expect(transport.inFlight == 0, "both transfers are over once the stream is closed")
    }
}
