// (f) The call log's cost (issue 15): what logging every call adds, measured
// side by side with the log off in the same run, rounds interleaved so the
// machine's drift falls on both alike.
//   - per call: sequential short streamed llm.chat calls, log off against on;
//     the difference on Moonwire's thread is what a call pays for its row;
//   - the writer's own work per row (redaction, JSON, SQLite in WAL mode, on
//     its queue): a real record added many times, timed until written;
//   - the 100k-token stream with and without the log.
import CallLog
import FakeProvider
import Foundation
import JSON
import LLMCore

enum CallLogBench {
    static func run(calls: Int, tokens: Int, rounds: Int) throws -> [Figure] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("moonwire-bench-log-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        return try [
            perCall(calls: calls, rounds: rounds, folder: folder),
            writer(rows: calls * 5, folder: folder),
            stream(tokens: tokens, rounds: rounds, folder: folder),
        ]
    }

    private static let chatLoop = """
        local n = 0
        for i = 1, bench_calls do
          local r = llm.chat{ model = "claude-test", prompt = "item " .. i, max_tokens = 100 }
          if r.text ~= "" then n = n + 1 end
        end
        bench_n = n
        """

    /// Runs `script` once with the log off and once on per round (after a warm-up
    /// of each); returns the (wall, thread CPU) samples of each side.
    private static func sideBySide(
        server: FakeProviderServer, folder: URL, rounds: Int, expect: Int, setup: String, script: String
    ) throws -> (off: [(Double, Double)], on: [(Double, Double)], rows: Int) {
        let plain = BenchLua(server: server)
        let logged = BenchLua(server: server, logTo: folder.appendingPathComponent("logs-\(UUID().uuidString).db").path)
        try plain.run(setup)
        try logged.run(setup)
        var off: [(Double, Double)] = [], on: [(Double, Double)] = []
        for round in 0...rounds {
            for (lua, isLogged) in [(plain, false), (logged, true)] {
                try lua.run("collectgarbage()")
                let t = try Clocks.measure { try lua.run(script) }
                guard try lua.integer("bench_n") == expect else {
                    throw BenchError("call log: Lua saw \(try lua.integer("bench_n")), expected \(expect)")
                }
                if round > 0 { isLogged ? on.append((t.wall, t.cpu)) : off.append((t.wall, t.cpu)) }
            }
        }
        logged.callLog?.close()
        return (off, on, logged.callLog?.writtenCount ?? 0)
    }

    private static func perCall(calls: Int, rounds: Int, folder: URL) throws -> Figure {
        let response = ScriptedResponse.anthropicText((0..<20).map { " w\($0)" }, model: "claude-test")
        let server = FakeProviderServer(handler: { _ in response })
        try server.start()
        defer { server.stop() }
        let (off, on, rows) = try sideBySide(server: server, folder: folder, rounds: rounds, expect: calls,
                                             setup: "bench_calls = \(calls)", script: chatLoop)
        guard rows == calls * (rounds + 1) else { throw BenchError("call log: \(rows) rows written, expected \(calls * (rounds + 1))") }
        let perCall = { (s: [(Double, Double)], cpu: Bool) in Sample(s.map { (cpu ? $0.1 : $0.0) / Double(calls) * 1e6 }).median }
        let wallOff = perCall(off, false), wallOn = perCall(on, false)
        let cpuOff = perCall(off, true), cpuOn = perCall(on, true)
        return Figure(
            name: "call log: added per call, wall", value: wallOn - wallOff, unit: "µs", target: "≪ a call",
            note: String(format: "wall per call %.1f µs logged, %.1f µs not; Moonwire's thread CPU %.1f against %.1f µs; %d sequential streamed calls × %d rounds, %d rows written",
                         wallOn, wallOff, cpuOn, cpuOff, calls, rounds, rows),
            details: [
                ("calls", .int(Int64(calls))), ("rounds", .int(Int64(rounds))), ("rows_written", .int(Int64(rows))),
                ("cpu_us_per_call_logged", .double(cpuOn)), ("cpu_us_per_call_unlogged", .double(cpuOff)),
                ("wall_us_per_call_logged", .double(wallOn)), ("wall_us_per_call_unlogged", .double(wallOff)),
            ])
    }

    private static func writer(rows: Int, folder: URL) throws -> Figure {
        // One real record, from a real call, to add many times.
        let response = ScriptedResponse.anthropicText((0..<20).map { " w\($0)" }, model: "claude-test")
        let server = FakeProviderServer(handler: { _ in response })
        try server.start()
        defer { server.stop() }
        final class Box { var record: CallRecord? }
        let box = Box()
        let lua = BenchLua(server: server)
        lua.runtime.callLog = { box.record = $0 }
        try lua.run(#"llm.chat{ model = "claude-test", prompt = "a prompt of a few words", max_tokens = 100 }"#)
        guard let record = box.record else { throw BenchError("call log: the call left no record") }
        let writer = CallLogWriter(path: folder.appendingPathComponent("writer.db").path,
                                   context: CallLogContext(runID: "bench", script: "bench.lua", arguments: []), warn: { note($0) })
        writer.add(record, replayed: false, cassette: nil)
        writer.flush()  // the database is created and migrated outside the timing
        let start = Clocks.wall()
        for _ in 0..<rows { writer.add(record, replayed: false, cassette: nil) }
        let added = Clocks.wall() - start
        writer.close()
        let total = Clocks.wall() - start
        guard writer.writtenCount == rows + 1 else { throw BenchError("call log: \(writer.writtenCount) rows written, expected \(rows + 1)") }
        return Figure(
            name: "call log: writer per row", value: total / Double(rows) * 1e6, unit: "µs", target: "—",
            note: String(format: "%d rows added from the loop's side in %.0f ms (%.2f µs each), all written %.0f ms after the first (redaction, JSON, SQLite WAL, batched; its own queue)",
                         rows, added * 1e3, added / Double(rows) * 1e6, total * 1e3),
            details: [("rows", .int(Int64(rows))), ("add_us_per_row", .double(added / Double(rows) * 1e6)),
                      ("written_us_per_row", .double(total / Double(rows) * 1e6))])
    }

    private static func stream(tokens: Int, rounds: Int, folder: URL) throws -> Figure {
        let (response, _, _) = StreamBench.body(tokens: tokens, eventsPerChunk: 1000)
        let server = FakeProviderServer(handler: { _ in response })
        try server.start()
        defer { server.stop() }
        let (off, on, _) = try sideBySide(server: server, folder: folder, rounds: rounds, expect: tokens,
                                          setup: "", script: StreamBench.onText)
        let wallOff = Sample(off.map(\.0)), wallOn = Sample(on.map(\.0))
        return Figure(
            name: "call log: \(tokens / 1000)k-token stream, logged", value: Double(tokens) / wallOn.median, unit: "tokens/s",
            target: "within noise of unlogged",
            note: String(format: "%.0f ms logged (%.0f–%.0f), %.0f ms not (%.0f–%.0f), medians of %d interleaved rounds",
                         wallOn.median * 1e3, wallOn.min * 1e3, wallOn.max * 1e3, wallOff.median * 1e3, wallOff.min * 1e3,
                         wallOff.max * 1e3, rounds),
            details: [("wall_ms_logged", .double(wallOn.median * 1e3)), ("wall_ms_unlogged", .double(wallOff.median * 1e3)),
                      ("tokens", .int(Int64(tokens))), ("rounds", .int(Int64(rounds)))])
    }
}
