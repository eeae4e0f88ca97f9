// llm.logs{ n = 10, model = "…", provider = "…", errors = true, since = "2h",
//           script = "job.lua", q = "words", run = "current" | RUN_ID }
//   -> a list of rows, newest first, each a table as `moonwire logs --json`
//      prints it (prompt, response, usage, cost_usd, error, attempt_log, …).
// So a script can see what it did before: skip items a previous run of the
// same job already answered, or report what last night's run cost.
import CallLog
import LLMCore
import LuaBridge

enum LogsFunction {
    static let keys: Set<String> = ["n", "model", "provider", "errors", "since", "script", "q", "run"]

    static func logs(_ call: LuaCall, runtime: LLMRuntime) throws -> Int32 {
        var filter = CallLogFilter()
        if call.type(1) != .none && call.type(1) != .nil_ {
            try call.checkTable(1)
            try call.checkOptions(1, allowed: keys)
            let o = LuaOptions(call, at: 1)
            if let n = try o.integer("n") {
                guard n >= 0, n <= 1_000_000 else { throw LuaArgumentError(argument: 1, "field 'n' must be from 0 to 1000000, got \(n)") }
                filter.limit = n == 0 ? 1_000_000 : Int(n)
            }
            filter.model = try o.string("model")
            filter.provider = try o.string("provider")
            filter.errorsOnly = try o.boolean("errors") ?? false
            if let since = try o.string("since") {
                guard let t = CallLogFilter.since(since) else {
                    throw LuaArgumentError(argument: 1, "field 'since' must be a duration (90s, 30m, 2h, 7d) or a UTC date/time, got '\(since)'")
                }
                filter.since = t
            }
            filter.script = try o.string("script")
            filter.query = try o.string("q")
            if let run = try o.string("run") {
                filter.runID = run == "current" ? (runtime.callLogWriter?.runID ?? "-") : run
            }
        }
        guard let path = runtime.callLogDatabase else {
            throw LuaRuntimeError("llm.logs: no call log in this host")
        }
        runtime.callLogWriter?.flush()  // this run's calls so far are in it
        let rows: [LoggedCall]
        do {
            rows = try CallLogStore(path: path, create: false).calls(filter)
        } catch let e as SQLiteError where e.code == 14 && runtime.callLogWriter == nil {
            rows = []  // nothing logged yet, and this run does not log
        } catch {
            throw LuaRuntimeError("llm.logs: \(error)")
        }
        call.newTable(arrayCount: Int32(rows.count))
        let t = call.absolute(-1)
        for (i, row) in rows.enumerated() {
            call.push(json: row.json)
            call.setIndex(t, Int64(i + 1))
        }
        return 1
    }
}
