// How `moonwire logs` and the REPL's `.logs` show calls: on a terminal, a
// table that fits the width, prompt and answer shortened to one line; on a
// pipe, one tab-separated line per call with every field whole (tabs,
// newlines and backslashes escaped), for cut, awk and sort.

public enum CallLogTable {
    /// A table for a terminal `width` columns wide, oldest call last as `calls` come (newest first).
    public static func terminal(_ calls: [LoggedCall], width: Int) -> String {
        guard !calls.isEmpty else { return "no calls logged" }
        let head = ["id", "time (UTC)", "route", "model", "outcome", "tokens", "cost $", "ms"]
        let rows = calls.map { c -> [String] in
            [String(c.id), shortTime(c.startedAt), c.route, c.model, outcome(c),
             (c.usageEstimated ? "~" : "") + "\(c.inputTokens)/\(c.outputTokens)", String(format: "%.4f", c.costUSD),
             c.latencyMs.map { String(format: "%.0f", $0) } ?? "-"]
        }
        var widths = head.map(\.count)
        for r in rows { for (i, cell) in r.enumerated() { widths[i] = max(widths[i], cell.count) } }
        let numeric: Set<Int> = [0, 5, 6, 7]
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                let fill = String(repeating: " ", count: widths[i] - cell.count)
                return numeric.contains(i) ? fill + cell : cell + fill
            }.joined(separator: "  ")
        }
        let fixed = widths.reduce(0, +) + 2 * widths.count
        let room = max(20, width - fixed)
        var out = [line(head) + "  prompt → answer"]
        for (c, r) in zip(calls, rows) {
            let text = oneLine(c.prompt ?? "") + " → " + oneLine(c.errorMessage.map { "[\($0)]" } ?? answer(c))
            out.append(line(r) + "  " + shortened(text, to: room))
        }
        return out.joined(separator: "\n")
    }

    /// One tab-separated line per call: id, started_at, route, model, outcome,
    /// input and output tokens, cost, latency ms, prompt, answer (or the error).
    public static func plain(_ calls: [LoggedCall]) -> String {
        calls.map { c in
            [String(c.id), c.startedAt, c.route, c.model, outcome(c), String(c.inputTokens), String(c.outputTokens),
             String(format: "%.6f", c.costUSD), c.latencyMs.map { String(format: "%.1f", $0) } ?? "",
             escaped(c.prompt ?? ""), escaped(c.errorMessage ?? answer(c))].joined(separator: "\t")
        }.joined(separator: "\n")
    }

    static func outcome(_ c: LoggedCall) -> String {
        guard let kind = c.errorKind else { return c.replayed ? "ok (replay)" : "ok" }
        return c.errorStatus.map { "\(kind) \($0)" } ?? kind
    }

    static func answer(_ c: LoggedCall) -> String {
        if c.kind == "embedding" { return "(embedding)" }
        let calls = c.toolCalls.map { "\($0.name)(\($0.arguments ?? ""))" }.joined(separator: " ")
        if let r = c.response, !r.isEmpty { return calls.isEmpty ? r : r + " " + calls }
        return calls
    }

    /// `2026-12-04T08:15:03.120Z` → `12-04 08:15:03`.
    static func shortTime(_ iso: String) -> String {
        let chars = Array(iso)
        guard chars.count >= 19 else { return iso }
        return String(chars[5..<10]) + " " + String(chars[11..<19])
    }

    static func oneLine(_ s: String) -> String {
        s.split(whereSeparator: { $0.isNewline || $0 == "\t" }).joined(separator: " ")
    }

    static func shortened(_ s: String, to width: Int) -> String {
        s.count <= width ? s : String(s.prefix(max(1, width - 1))) + "…"
    }

    public static func escapedCell(_ s: String) -> String { escaped(s) }

    static func escaped(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.append(ch)
            }
        }
        return out
    }
}
