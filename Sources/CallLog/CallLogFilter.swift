// Which calls `moonwire logs`, `llm.logs` and `.logs` show: the newest N,
// narrowed by model, provider (or route), failures only, a start time, the
// script, and a full-text query over prompts and answers.
import Foundation

public struct CallLogFilter: Sendable, Equatable {
    public var limit = 20
    public var model: String?
    /// A provider kind ("anthropic") or a route name ("claude").
    public var provider: String?
    public var errorsOnly = false
    /// Only calls that started at or after this time (Unix seconds).
    public var since: Double?
    /// The script's path as it was run, or its file name.
    public var script: String?
    /// FTS5 query text over prompts and answers; plain words match words.
    public var query: String?
    public var runID: String?

    public init() {}

    func whereClause() -> (String, [SQLiteValue]) {
        var terms: [String] = []
        var values: [SQLiteValue] = []
        if let model {
            terms.append("model = ?")
            values.append(.text(model))
        }
        if let provider {
            terms.append("(provider = ? OR route = ?)")
            values += [.text(provider), .text(provider)]
        }
        if errorsOnly { terms.append("error_kind IS NOT NULL") }
        if let since {
            terms.append("started_at >= ?")
            values.append(.text(CallLogTime.iso(since)))
        }
        if let script {
            terms.append("(script = ? OR script LIKE ? ESCAPE '\\')")
            values += [.text(script), .text("%/" + Self.likeEscaped(script))]
        }
        if let runID {
            terms.append("run_id = ?")
            values.append(.text(runID))
        }
        if let query {
            terms.append("id IN (SELECT rowid FROM calls_fts WHERE calls_fts MATCH ?)")
            values.append(.text(Self.ftsQuery(query)))
        }
        return (terms.isEmpty ? "" : "WHERE " + terms.joined(separator: " AND "), values)
    }

    /// A phrase the user typed, as an FTS5 query: each word quoted (so
    /// punctuation and FTS operators in it are plain text), all of them required.
    /// Text already in FTS5 syntax (with quotes) is passed as it is.
    static func ftsQuery(_ text: String) -> String {
        if text.contains("\"") { return text }
        return text.split(whereSeparator: { $0.isWhitespace }).map { "\"\($0)\"" }.joined(separator: " ")
    }

    static func likeEscaped(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }

    /// `--since`: a duration back from `now` (`90s`, `30m`, `2h`, `7d`, `1w`),
    /// or a UTC date or time (`2026-12-01`, `2026-12-01T08:00:00`).
    public static func since(_ text: String, now: Double = Date().timeIntervalSince1970) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        if let unit = text.last, let scale = units[unit], let n = Double(text.dropLast()), n >= 0, n.isFinite {
            return now - n * scale
        }
        let formats = ["yyyy-MM-dd'T'HH:mm:ssXXXXX", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd"]
        for f in formats {
            let p = DateFormatter()
            p.locale = Locale(identifier: "en_US_POSIX")
            p.timeZone = TimeZone(identifier: "UTC")
            p.dateFormat = f
            if let d = p.date(from: text) { return d.timeIntervalSince1970 }
        }
        return nil
    }
}
