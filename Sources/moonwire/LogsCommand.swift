// `moonwire logs`: the call log, newest first: a table on a terminal, tab-
// separated lines on a pipe, JSON lines with --json; `logs stats` per model
// and day; `logs path`; `--sql` for anything else.
import ArgumentParser
import CallLog
import Foundation
import JSON

struct Logs: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the call log: every call a script made, with its prompt, answer, usage, cost and errors.",
        discussion: """
            The log is a SQLite database: MOONWIRE_LOG_DB, else $XDG_STATE_HOME/moonwire/logs.db \
            (~/.local/state/moonwire/logs.db). Live runs write to it; `moonwire test` and replays do \
            not unless MOONWIRE_LOG=on; --no-log or MOONWIRE_LOG=off turns it off.
            """,
        subcommands: [List.self, Stats.self, Path.self],
        defaultSubcommand: List.self
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The newest calls (the default).")

        @OptionGroup var filter: LogFilterOptions

        @Option(name: .customShort("n"), help: "How many calls (default 20; 0 for all).")
        var count = 20

        @Flag(help: "One JSON object per call and line, with the request, attempts and tool calls.")
        var json = false

        @Option(help: ArgumentHelp("Run SQL against the log instead (tables calls, attempts, tool_calls, calls_fts).", valueName: "SQL"))
        var sql: String?

        func run() throws {
            let store = try LogFilterOptions.open()
            if let sql {
                let result: (columns: [String], rows: [[SQLiteValue]])
                do { result = try store.query(sql) } catch { throw ScriptFailure(message: "--sql: \(error)") }
                print(Self.render(result, json: json))
                return
            }
            var f = try filter.filter()
            f.limit = count == 0 ? Int(Int32.max) : count
            guard count >= 0 else { throw ValidationError("-n must be 0 (all) or more, got \(count)") }
            let calls: [LoggedCall]
            do { calls = try store.calls(f) } catch { throw ScriptFailure(message: "\(error)") }
            if json {
                for c in calls { print((try? JSONWriter.string(c.json)) ?? "{}") }
            } else if isatty(STDOUT_FILENO) != 0 {
                print(CallLogTable.terminal(calls, width: Terminal.width))
            } else if !calls.isEmpty {
                print(CallLogTable.plain(calls))
            }
        }

        static func render(_ r: (columns: [String], rows: [[SQLiteValue]]), json: Bool) -> String {
            func cell(_ v: SQLiteValue) -> JSONValue {
                switch v {
                case .null: .null
                case .integer(let i): .int(i)
                case .real(let d): .double(d)
                case .text(let s): .string(s)
                }
            }
            if json {
                return r.rows.map { row in
                    var o = JSONObject()
                    for (c, v) in zip(r.columns, row) { o[c] = cell(v) }
                    return (try? JSONWriter.string(.object(o))) ?? "{}"
                }.joined(separator: "\n")
            }
            let lines = [r.columns] + r.rows.map { $0.map { $0.string.map(CallLogTable.escapedCell) ?? "" } }
            return lines.map { $0.joined(separator: "\t") }.joined(separator: "\n")
        }
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per model and UTC day: calls, errors by kind, tokens, cost, p50/p95 latency and time to first token.")

        @OptionGroup var filter: LogFilterOptions

        @Flag(help: "One JSON object per model and day.")
        var json = false

        func run() throws {
            let store = try LogFilterOptions.open()
            var f = try filter.filter()
            f.limit = Int(Int32.max)
            let rows: [CallLogStatsRow]
            do { rows = try store.stats(f) } catch { throw ScriptFailure(message: "\(error)") }
            if json {
                for r in rows { print((try? JSONWriter.string(r.json)) ?? "{}") }
            } else {
                print(CallLogTable.stats(rows, terminal: isatty(STDOUT_FILENO) != 0))
            }
        }
    }

    struct Path: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print where the call log is.")

        func run() throws {
            print(CallLogLocation.path(environment: ProcessInfo.processInfo.environment))
        }
    }
}

struct LogFilterOptions: ParsableArguments {
    @Option(help: "Only calls to this model.")
    var model: String?

    @Option(help: "Only calls to this provider (anthropic, openai) or route name.")
    var provider: String?

    @Flag(help: "Only calls that failed.")
    var errors = false

    @Option(help: ArgumentHelp("Only calls since then: 90s, 30m, 2h, 7d, 1w, or a UTC date/time (2026-12-01, 2026-12-01T08:00:00).",
                               valueName: "WHEN"))
    var since: String?

    @Option(help: "Only calls made by this script (its path as run, or its file name).")
    var script: String?

    @Option(name: .customShort("q"), help: ArgumentHelp("Full-text search over prompts and answers (every word must match).", valueName: "TEXT"))
    var query: String?

    func filter() throws -> CallLogFilter {
        var f = CallLogFilter()
        f.model = model
        f.provider = provider
        f.errorsOnly = errors
        if let since {
            guard let t = CallLogFilter.since(since) else {
                throw ValidationError("--since must be a duration (90s, 30m, 2h, 7d, 1w) or a UTC date/time (2026-12-01T08:00:00), got '\(since)'")
            }
            f.since = t
        }
        f.script = script
        f.query = query
        return f
    }

    static func open() throws -> CallLogStore {
        let path = CallLogLocation.path(environment: ProcessInfo.processInfo.environment)
        do {
            return try CallLogStore(path: path, create: false)
        } catch {
            throw ScriptFailure(message: "\(error)")
        }
    }
}

enum Terminal {
    static var width: Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init) ?? 100
    }
}
