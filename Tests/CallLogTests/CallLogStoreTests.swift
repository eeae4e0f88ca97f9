import CallLog
import Foundation
import JSON
import LLMCore
import Testing
import TestSupport

@Suite("CallLogStore: schema, rows, search, stats, the writer")
struct CallLogStoreTests {
    private func record(_ prompt: String, answer: String = "fine", model: String = "claude-test", error: LLMError? = nil,
                        latency: Double = 0.5, at: Double = 1_780_000_000) -> CallRecord {
        var r = CallRecord(provider: "claude", model: model, attempts: error == nil ? 1 : 3, hops: 0, queueWait: 0.01, ttft: 0.1,
                           latency: latency, usage: Usage(inputTokens: 12, outputTokens: 3), cost: 0.001, errorKind: error?.kind)
        r.providerKind = "anthropic"
        r.startedAt = at
        r.error = error
        r.request = ChatRequest(model: model, messages: [Message(role: .user, text: prompt)], system: "Be brief.")
        if error == nil {
            r.response = ChatResponse(model: model + "-20250101", message: Message(role: .assistant, text: answer), finishReason: .stop,
                                      rawFinishReason: "end_turn")
            r.responseModel = model + "-20250101"
        }
        r.attemptLog = [AttemptRecord(route: "claude", model: model, offset: 0, latency: latency, status: error?.status ?? 200, error: error)]
        return r
    }

    private let context = CallLogContext(runID: "run-1", script: "job.lua", arguments: ["a"])

    private func store() throws -> (CallLogStore, URL) {
        let dir = try TemporaryFiles.directory("calllog-unit")
        return (try CallLogStore(path: dir.appendingPathComponent("sub/logs.db").path), dir)
    }

    @Test("migrations are recorded once; reopening an existing database applies nothing twice")
    func migrations() throws {
        let (s, dir) = try store()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("sub/logs.db").path
        _ = try CallLogStore(path: path)
        let versions = try s.query("SELECT version FROM _moonwire_migrations")
        #expect(versions.rows == [[.integer(1)]])
        #expect(try s.query("PRAGMA journal_mode").rows == [[.text("wal")]])
        #expect(throws: SQLiteError.self) { try CallLogStore(path: dir.appendingPathComponent("missing.db").path, create: false) }
    }

    @Test("a row goes in and comes out whole: request JSON, attempts, tool calls, the error")
    func roundTrip() throws {
        let (s, dir) = try store()
        defer { try? FileManager.default.removeItem(at: dir) }
        var ok = record("What is 2+2?", answer: "4")
        ok.response?.message.content.append(.toolUse(ToolCall(id: "t1", name: "add", arguments: ["a": 2, "b": 2])))
        let failed = record("fail", error: LLMError(.server, "upstream", status: 503, requestID: "req_9"), at: 1_780_000_001)
        try s.insert([LoggedCall(ok, context: context, replayed: false, cassette: nil),
                      LoggedCall(failed, context: context, replayed: true, cassette: "x.json")])
        let rows = try s.calls(CallLogFilter())
        #expect(rows.count == 2)
        #expect(rows[0].errorKind == "server" && rows[0].errorStatus == 503 && rows[0].requestID == "req_9" && rows[0].replayed)
        #expect(rows[1].prompt == "What is 2+2?" && rows[1].response == "4" && rows[1].stopReason == "end_turn")
        #expect(rows[1].responseModel == "claude-test-20250101" && rows[1].model == "claude-test")
        #expect(rows[1].toolCalls.map(\.name) == ["add"])
        #expect(rows[1].attemptRows.first?.status == 200)
        let request = try JSONParser.parse(try #require(rows[1].request))
        #expect(request["system"]?.stringValue == "Be brief.")
        #expect(request["messages"]?[0]?["content"]?.stringValue == "What is 2+2?")
        #expect(rows[1].json["args"] == .array(["a"]))
    }

    @Test("filters: model, provider or route, errors, since, script, full-text words with punctuation")
    func filters() throws {
        let (s, dir) = try store()
        defer { try? FileManager.default.removeItem(at: dir) }
        try s.insert([
            LoggedCall(record("old one", model: "a", at: 1_000), context: context, replayed: false, cassette: nil),
            LoggedCall(record("O'Brien's question: why?", answer: "Because.", model: "b", at: 2_000), context: context, replayed: false, cassette: nil),
            LoggedCall(record("broken", error: LLMError(.timeout, "slow"), at: 3_000), context: CallLogContext(runID: "run-2", script: "/x/other.lua", arguments: []),
                       replayed: false, cassette: nil),
        ])
        func count(_ edit: (inout CallLogFilter) -> Void) throws -> Int {
            var f = CallLogFilter()
            edit(&f)
            return try s.calls(f).count
        }
        #expect(try count { $0.model = "b" } == 1)
        #expect(try count { $0.provider = "anthropic" } == 3)
        #expect(try count { $0.provider = "claude" } == 3)
        #expect(try count { $0.errorsOnly = true } == 1)
        #expect(try count { $0.since = 1_500 } == 2)
        #expect(try count { $0.script = "other.lua" } == 1)
        #expect(try count { $0.script = "job.lua" } == 2)
        #expect(try count { $0.query = "O'Brien's question:" } == 1)
        #expect(try count { $0.query = "because" } == 1)
        #expect(try count { $0.query = "brief" } == 3)  // the system prompt is searched too
        #expect(try count { $0.runID = "run-2" } == 1)
        #expect(try count { $0.limit = 1 } == 1)
    }

    @Test("--since reads durations and UTC dates; nonsense is nil")
    func since() {
        #expect(CallLogFilter.since("2h", now: 10_000) == 2_800)
        #expect(CallLogFilter.since("90s", now: 100) == 10)
        #expect(CallLogFilter.since("1w", now: 604_800) == 0)
        #expect(CallLogFilter.since("2026-12-01") == 1_796_083_200)
        #expect(abs((CallLogFilter.since("2026-12-01T08:00:00") ?? 0) - 1_796_112_000) < 0.001)
        #expect(CallLogFilter.since("yesterday") == nil)
        #expect(CallLogFilter.since("-2h") == nil)
    }

    @Test("stats per model and day: errors by kind and nearest-rank p50/p95 of the answered calls")
    func stats() throws {
        let (s, dir) = try store()
        defer { try? FileManager.default.removeItem(at: dir) }
        var rows = (1...20).map { i in LoggedCall(record("q\(i)", latency: Double(i) / 10), context: context, replayed: false, cassette: nil) }
        rows.append(LoggedCall(record("bad", error: LLMError(.rateLimited, "429", status: 429)), context: context, replayed: false, cassette: nil))
        rows.append(LoggedCall(record("next day", at: 1_780_000_000 + 86_400), context: context, replayed: false, cassette: nil))
        try s.insert(rows)
        let stats = try s.stats(CallLogFilter())
        #expect(stats.count == 2)
        #expect(stats[0].calls == 21 && stats[0].errors == 1 && stats[0].errorKinds == ["rate_limited": 1])
        #expect(stats[0].latencyP50 == 1000 && stats[0].latencyP95 == 1900)
        #expect(stats[0].inputTokens == 12 * 21)
        #expect(stats[1].calls == 1 && stats[1].day == "2026-05-29")
    }

    @Test("the writer batches thousands of records from the caller's thread and flush waits for them")
    func writer() throws {
        let dir = try TemporaryFiles.directory("calllog-writer")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("logs.db").path
        let warnings = Warnings()
        let w = CallLogWriter(path: path, context: context, warn: { warnings.add($0) })
        for i in 0..<5_000 { w.add(record("item \(i)"), replayed: false, cassette: nil) }
        w.flush()
        #expect(w.writtenCount == 5_000)
        w.close()
        #expect(warnings.all.isEmpty)
        let s = try CallLogStore(path: path, create: false)
        #expect(try s.query("SELECT count(*), count(DISTINCT prompt) FROM calls").rows == [[.integer(5_000), .integer(5_000)]])
    }
}

private final class Warnings: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
}
