import FakeProvider
import Foundation
import JSON
import LLMCore
import LLMTransport
import Testing
import TestSupport

/// llm.map over a FakeProvider on 127.0.0.1: real sockets, real streams, one thread.
@Suite("llm.map over HTTP: bounded concurrency, faults, order, 1,000 streams at once", .serialized)
struct MapTests {
    private func harness(_ server: FakeProviderServer) -> LuaHarness {
        LuaHarness(environment: ["ANTHROPIC_BASE_URL": server.baseURL, "ANTHROPIC_API_KEY": "sk-ant-test", "MOONWIRE_MODEL": "claude-test"])
    }

    /// The item number in a request body ("item 17").
    private static func item(_ request: RecordedRequest) -> Int {
        guard let match = request.bodyText.firstMatch(of: /item (\d+)/) else { return 0 }
        return Int(match.1) ?? 0
    }

    @Test("1,000 items at concurrency 50 with seeded faults: every item has its answer or its error, in order, never more than 50 in flight")
    func thousandItemsWithFaults() throws {
        // A fault for about one item in eight, chosen by a seeded generator from the item number.
        @Sendable func fault(_ n: Int) -> Int {
            var rng = SplitMix64(seed: UInt64(n))
            let roll = rng.next() % 16
            return roll < 2 ? 1 : 0  // 1: a fault
        }
        let server = FakeProviderServer { request in
            let n = Self.item(request)
            guard fault(n) == 0 else {
                switch n % 3 {
                case 0: return .json(#"{"type":"error","error":{"type":"api_error","message":"boom \#(n)"}}"#, status: 500)
                case 1: return .json(#"{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}"#, status: 429)
                default: return ScriptedResponse.anthropicText(["cut"]).with(fault: .dropAfterChunks(2))
                }
            }
            return .anthropicText(["answer ", "\(n)"], interval: 0.002)
        }
        try server.start()
        defer { server.stop() }
        let h = harness(server)
        try h.mustRun("""
            llm.configure{ retry = { max_retries = 0 } }  -- every fault here is final: count them as errors
            local items = {}
            for i = 1, 1000 do items[i] = "item " .. i end
            local results, summary = llm.map(items, function(prompt) return llm.chat{ prompt = prompt }.text end, { concurrency = 50 })
            n, ok, failed = results.n, summary.ok, summary.failed
            mismatches, errors, kinds = {}, 0, {}
            for i = 1, 1000 do
              local r = results[i]
              if type(r) == "string" then
                if r ~= "answer " .. i then mismatches[#mismatches + 1] = i end
              elseif type(r) == "table" and r.index == i then
                errors = errors + 1
                kinds[r.kind] = (kinds[r.kind] or 0) + 1
              else
                mismatches[#mismatches + 1] = i
              end
            end
            by_kind = summary.errors
            mismatch_count = #mismatches
            sample = {}
            for k = 1, math.min(3, #mismatches) do local r = results[mismatches[k]]; sample[k] = type(r) == "table" and tostring(r) .. " index " .. tostring(r.index) or tostring(r) end
            """)
        let expectedFaults = (1...1000).filter { fault($0) == 1 }
        #expect(try h.global("n") == .int(1000))
        let sample = try h.global("sample")
        #expect(try h.global("mismatch_count") == .int(0), "\(sample)")
        #expect(try h.global("errors") == .int(Int64(expectedFaults.count)))
        #expect(try h.global("ok") == .int(Int64(1000 - expectedFaults.count)))
        #expect(try h.global("failed") == .int(Int64(expectedFaults.count)))
        #expect(try h.global("kinds") == h.global("by_kind"))
        let kinds = try h.global("kinds")
        #expect(kinds["server"] == .int(Int64(expectedFaults.filter { $0 % 3 == 0 }.count)))
        #expect(kinds["rate_limited"] == .int(Int64(expectedFaults.filter { $0 % 3 == 1 }.count)))
        #expect(server.requests.count == 1000)
        #expect(server.maxConcurrentRequests <= 50)
        #expect(server.maxConcurrentRequests > 1, "the items overlapped")
    }

    /// Both ends of every connection live in this process.
    static let enoughDescriptors = OpenFileLimit.raiseToHardLimit() >= 2_500

    @Test("1,000 concurrent streams complete on one thread",
          .enabled(if: enoughDescriptors, "the open-file limit is below 2,500 (ulimit -n): 1,000 connections need both ends here"))
    func thousandConcurrentStreams() throws {
        let server = FakeProviderServer { request in .anthropicText(["s", "\(Self.item(request))"], interval: 0.05) }
        try server.start()
        defer { server.stop() }
        let h = harness(server)
        try h.mustRun("""
            llm.configure{ concurrency = { adaptive = false } }  -- the loop's capacity, not the route's limit, is under test
            local tasks = {}
            for i = 1, 1000 do
              tasks[i] = llm.spawn(function()
                local parts = {}
                for ev in llm.stream{ prompt = "item " .. i } do if ev.type == "text" then parts[#parts + 1] = ev.text end end
                return table.concat(parts)
              end)
            end
            local results = llm.wait_all(tasks)
            wrong = 0
            for i = 1, 1000 do if results[i] ~= "s" .. i then wrong = wrong + 1 end end
            """)
        #expect(try h.global("wrong") == .int(0))
        #expect(server.requests.count == 1000)
        #expect(server.maxConcurrentRequests > 100, "the streams were in flight together: \(server.maxConcurrentRequests)")
    }

    @Test("on_error = 'raise' stops at the first failure, cancels the rest, and the error carries results and summary")
    func raiseStops() throws {
        let server = FakeProviderServer { request in
            Self.item(request) == 3
                ? .json(#"{"type":"error","error":{"type":"invalid_request_error","message":"bad item"}}"#, status: 400)
                : .anthropicText(["ok"], interval: 0.01)
        }
        try server.start()
        defer { server.stop() }
        let h = harness(server)
        try h.mustRun("""
            local items = {}
            for i = 1, 100 do items[i] = "item " .. i end
            local ok, err = pcall(llm.map, items, function(p) return llm.chat{ prompt = p }.text end, { concurrency = 4, on_error = "raise" })
            raised = { ok = ok, kind = err.kind, index = err.index, n = err.results.n, third = err.results[3].kind,
                       failed = err.summary.failed, not_started = err.summary.not_started }
            """)
        let r = try h.global("raised")
        #expect(r["ok"] == false)
        #expect(r["kind"] == "invalid_request")
        #expect(r["index"] == .int(3))
        #expect(r["n"] == .int(100))
        #expect(r["third"] == "invalid_request")
        #expect(r["failed"] == .int(1), "the items in flight were cancelled, not counted as failures")
        #expect((r["not_started"]?.intValue ?? 0) > 80)
        #expect(server.requests.count < 20)
    }

    @Test("llm.embed inside llm.map: 40 embeddings, 10 at a time, each vector back in its place")
    func embeddingsInTasks() throws {
        let server = FakeProviderServer { request in
            let n = Self.item(request)
            return .json(#"{"object":"list","data":[{"object":"embedding","index":0,"embedding":[\#(n).0,0.5]}],"model":"e","usage":{"prompt_tokens":2,"total_tokens":2}}"#)
        }
        try server.start()
        defer { server.stop() }
        let h = LuaHarness(environment: ["OPENAI_BASE_URL": server.baseURL + "/v1", "OPENAI_API_KEY": "sk-test"])
        try h.mustRun("""
            local items = {}
            for i = 1, 40 do items[i] = "item " .. i end
            local vectors = llm.map(items, function(text) return llm.embed{ model = "e", input = text, encoding = "float" }.vector end,
                                    { concurrency = 10 })
            wrong = 0
            for i = 1, 40 do if vectors[i][1] ~= i or vectors[i][2] ~= 0.5 then wrong = wrong + 1 end end
            """)
        #expect(try h.global("wrong") == .int(0))
        #expect(server.requests.count == 40)
        #expect(server.maxConcurrentRequests <= 10)
    }
}
