// CallLogStore: one connection to the call log database: opened in WAL mode
// (readers never block the writer, and a second process's writer waits for
// the busy timeout instead of failing), brought up to the current schema,
// then written in batches and read with filters.
import Foundation

public final class CallLogStore {
    let db: SQLiteDatabase

    /// Opens the database at `path`, making it and its folder when `create`.
    public init(path: String, create: Bool = true, busyTimeoutMs: Int32 = 5000) throws {
        if create {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
                do {
                    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                            attributes: [.posixPermissions: 0o700])
                } catch {
                    throw SQLiteError(code: 14, message: "cannot make the folder \(folder): \(error.localizedDescription)")
                }
            }
        } else if !FileManager.default.fileExists(atPath: path) {
            throw SQLiteError(code: 14, message: "no call log at \(path) (nothing logged yet)")
        }
        db = try SQLiteDatabase(path: path, create: create, busyTimeoutMs: busyTimeoutMs)
        try db.execute("PRAGMA foreign_keys = ON")
        if create {
            // Persistent: every later connection to this file is in WAL mode too.
            _ = try? db.rows("PRAGMA journal_mode = WAL")
            try db.execute("PRAGMA synchronous = NORMAL")
            try CallLogSchema.migrate(db)
        }
    }

    /// Writes `calls` in one transaction; their ids are assigned here.
    public func insert(_ calls: [LoggedCall]) throws {
        guard !calls.isEmpty else { return }
        try db.transaction {
            let call = try db.prepare("""
                INSERT INTO calls (started_at, run_id, script, args, kind, provider, route, model, response_model, request, prompt, response,
                    stop_reason, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, usage_estimated, cost_usd,
                    latency_ms, ttft_ms, queue_wait_ms, attempts, retries, hops, error_kind, error_status, error_message,
                    request_id, replayed, cassette)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let attempt = try db.prepare("""
                INSERT INTO attempts (call_id, n, route, model, offset_ms, latency_ms, status, error_kind, error_message, request_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let tool = try db.prepare("INSERT INTO tool_calls (call_id, n, tool_call_id, name, arguments) VALUES (?, ?, ?, ?, ?)")
            let fts = try db.prepare("INSERT INTO calls_fts (rowid, prompt, response) VALUES (?, ?, ?)")
            for c in calls {
                try call.run([.text(c.startedAt), .text(c.runID), .opt(c.script), .opt(c.args), .text(c.kind), .opt(c.provider),
                              .text(c.route), .text(c.model), .opt(c.responseModel), .opt(c.request), .opt(c.prompt), .opt(c.response), .opt(c.stopReason),
                              .int(c.inputTokens), .int(c.outputTokens), .int(c.cacheReadTokens), .int(c.cacheWriteTokens),
                              .bool(c.usageEstimated), .real(c.costUSD), .opt(c.latencyMs), .opt(c.ttftMs), .opt(c.queueWaitMs),
                              .int(c.attempts), .int(c.retries), .int(c.hops), .opt(c.errorKind), .opt(c.errorStatus),
                              .opt(c.errorMessage), .opt(c.requestID), .bool(c.replayed), .opt(c.cassette)])
                let id = db.lastInsertRowID
                for (n, a) in c.attemptRows.enumerated() {
                    try attempt.run([.integer(id), .int(n + 1), .opt(a.route), .opt(a.model), .opt(a.offsetMs), .opt(a.latencyMs),
                                     .opt(a.status), .opt(a.errorKind), .opt(a.errorMessage), .opt(a.requestID)])
                }
                for (n, t) in c.toolCalls.enumerated() {
                    try tool.run([.integer(id), .int(n + 1), .opt(t.id), .text(t.name), .opt(t.arguments)])
                }
                try fts.run([.integer(id), .opt(c.searchablePrompt ?? c.prompt), .opt(c.response)])
            }
        }
    }

    /// Calls matching `filter`, newest first, with their attempts and tool calls.
    public func calls(_ filter: CallLogFilter) throws -> [LoggedCall] {
        let (whereSQL, values) = filter.whereClause()
        let (columns, rows) = try db.rows("SELECT * FROM calls \(whereSQL) ORDER BY started_at DESC, id DESC LIMIT ?",
                                          values + [.integer(Int64(filter.limit))])
        var calls = rows.map { LoggedCall(columns: columns, row: $0) }
        let attempt = try db.prepare("""
            SELECT route, model, offset_ms, latency_ms, status, error_kind, error_message, request_id FROM attempts
            WHERE call_id = ? ORDER BY n
            """)
        let tool = try db.prepare("SELECT tool_call_id, name, arguments FROM tool_calls WHERE call_id = ? ORDER BY n")
        for i in calls.indices {
            try attempt.bind([.integer(calls[i].id)])
            while try attempt.step() {
                let r = attempt.row()
                calls[i].attemptRows.append(LoggedCall.Attempt(
                    route: r[0].string, model: r[1].string, offsetMs: r[2].double, latencyMs: r[3].double, status: r[4].int.map { Int($0) },
                    errorKind: r[5].string, errorMessage: r[6].string, requestID: r[7].string))
            }
            try tool.bind([.integer(calls[i].id)])
            while try tool.step() {
                let r = tool.row()
                calls[i].toolCalls.append(LoggedCall.ToolCallRow(id: r[0].string, name: r[1].string ?? "", arguments: r[2].string))
            }
        }
        return calls
    }

    /// Any SQL (`moonwire logs --sql`): its columns and rows.
    public func query(_ sql: String) throws -> (columns: [String], rows: [[SQLiteValue]]) {
        try db.rows(sql)
    }

    /// What `moonwire logs stats` needs, per model and UTC day: every matching call's outcome, tokens, cost and times.
    func statsRows(_ filter: CallLogFilter) throws -> [[SQLiteValue]] {
        let (whereSQL, values) = filter.whereClause()
        return try db.rows("""
            SELECT substr(started_at, 1, 10), model, error_kind, input_tokens, output_tokens, cost_usd, latency_ms, ttft_ms, usage_estimated
            FROM calls \(whereSQL) ORDER BY started_at
            """, values).rows
    }
}

extension SQLiteValue {
    static func opt(_ s: String?) -> SQLiteValue { s.map { .text($0) } ?? .null }
    static func opt(_ d: Double?) -> SQLiteValue { d.map { .real($0) } ?? .null }
    static func opt(_ i: Int?) -> SQLiteValue { i.map { .integer(Int64($0)) } ?? .null }
    static func int(_ i: Int) -> SQLiteValue { .integer(Int64(i)) }
    static func bool(_ b: Bool) -> SQLiteValue { .integer(b ? 1 : 0) }
}

extension LoggedCall {
    /// A `SELECT * FROM calls` row.
    init(columns: [String], row: [SQLiteValue]) {
        var v: [String: SQLiteValue] = [:]
        for (c, value) in zip(columns, row) { v[c] = value }
        func s(_ k: String) -> String? { v[k]?.string }
        func i(_ k: String) -> Int { Int(v[k]?.int ?? 0) }
        func d(_ k: String) -> Double? { v[k]?.double }
        self.init(startedAt: s("started_at") ?? "", runID: s("run_id") ?? "", kind: s("kind") ?? "chat", route: s("route") ?? "",
                  model: s("model") ?? "")
        id = v["id"]?.int ?? 0
        script = s("script")
        args = s("args")
        provider = s("provider")
        responseModel = s("response_model")
        request = s("request")
        prompt = s("prompt")
        response = s("response")
        stopReason = s("stop_reason")
        inputTokens = i("input_tokens")
        outputTokens = i("output_tokens")
        cacheReadTokens = i("cache_read_tokens")
        cacheWriteTokens = i("cache_write_tokens")
        usageEstimated = i("usage_estimated") != 0
        costUSD = d("cost_usd") ?? 0
        latencyMs = d("latency_ms")
        ttftMs = d("ttft_ms")
        queueWaitMs = d("queue_wait_ms")
        attempts = i("attempts")
        retries = i("retries")
        hops = i("hops")
        errorKind = s("error_kind")
        errorStatus = v["error_status"]?.int.map { Int($0) }
        errorMessage = s("error_message")
        requestID = s("request_id")
        replayed = i("replayed") != 0
        cassette = s("cassette")
    }

    init(startedAt: String, runID: String, kind: String, route: String, model: String) {
        self.startedAt = startedAt
        self.runID = runID
        self.kind = kind
        self.route = route
        self.model = model
    }
}
