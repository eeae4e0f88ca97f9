// The call log's tables, as numbered migrations recorded in the database
// itself (`_moonwire_migrations`), so an older database is brought up to date
// when a newer Moonwire opens it and two processes opening a new database at
// once do not both create it (each migration runs in a write transaction
// that first checks whether another process applied it).
import Foundation

enum CallLogSchema {
    struct Migration {
        let version: Int
        let name: String
        let sql: String
    }

    static let migrations: [Migration] = [
        Migration(version: 1, name: "calls, attempts, tool calls, full-text index", sql: """
            CREATE TABLE calls (
                id INTEGER PRIMARY KEY,
                started_at TEXT NOT NULL,
                run_id TEXT NOT NULL,
                script TEXT,
                args TEXT,
                kind TEXT NOT NULL,
                provider TEXT,
                route TEXT NOT NULL,
                model TEXT NOT NULL,
                response_model TEXT,
                request TEXT,
                prompt TEXT,
                response TEXT,
                stop_reason TEXT,
                input_tokens INTEGER NOT NULL DEFAULT 0,
                output_tokens INTEGER NOT NULL DEFAULT 0,
                cache_read_tokens INTEGER NOT NULL DEFAULT 0,
                cache_write_tokens INTEGER NOT NULL DEFAULT 0,
                usage_estimated INTEGER NOT NULL DEFAULT 0,
                cost_usd REAL NOT NULL DEFAULT 0,
                latency_ms REAL,
                ttft_ms REAL,
                queue_wait_ms REAL,
                attempts INTEGER NOT NULL DEFAULT 1,
                retries INTEGER NOT NULL DEFAULT 0,
                hops INTEGER NOT NULL DEFAULT 0,
                error_kind TEXT,
                error_status INTEGER,
                error_message TEXT,
                request_id TEXT,
                replayed INTEGER NOT NULL DEFAULT 0,
                cassette TEXT
            );
            CREATE INDEX calls_started_at ON calls(started_at);
            CREATE INDEX calls_model ON calls(model, started_at);
            CREATE INDEX calls_run ON calls(run_id);
            CREATE TABLE attempts (
                call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
                n INTEGER NOT NULL,
                route TEXT,
                model TEXT,
                offset_ms REAL,
                latency_ms REAL,
                status INTEGER,
                error_kind TEXT,
                error_message TEXT,
                request_id TEXT,
                PRIMARY KEY (call_id, n)
            );
            CREATE TABLE tool_calls (
                call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
                n INTEGER NOT NULL,
                tool_call_id TEXT,
                name TEXT NOT NULL,
                arguments TEXT,
                PRIMARY KEY (call_id, n)
            );
            CREATE VIRTUAL TABLE calls_fts USING fts5(prompt, response);
            """),
    ]

    /// Applies the migrations the database lacks; the versions it now has.
    static func migrate(_ db: SQLiteDatabase) throws {
        try db.execute("CREATE TABLE IF NOT EXISTS _moonwire_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
        for m in migrations {
            try db.transaction {
                let done = try db.rows("SELECT 1 FROM _moonwire_migrations WHERE version = ?", [.integer(Int64(m.version))]).rows
                guard done.isEmpty else { return }
                try db.execute(m.sql)
                try db.prepare("INSERT INTO _moonwire_migrations (version, name, applied_at) VALUES (?, ?, ?)")
                    .run([.integer(Int64(m.version)), .text(m.name), .text(CallLogTime.iso(Date().timeIntervalSince1970))])
            }
        }
    }
}

/// Times as the log stores them: ISO 8601 in UTC with milliseconds, which
/// sort as text and which SQLite's date functions read.
public enum CallLogTime {
    public static func iso(_ unix: Double) -> String {
        let ms = Int64((unix * 1000).rounded())
        var t = time_t(ms / 1000)
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
                      Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(ms % 1000))
    }
}
