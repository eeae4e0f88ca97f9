// `moonwire logs stats`: per model and UTC day, the calls, the errors by kind,
// tokens, cost, and p50/p95 latency and time to first token (nearest rank,
// computed here: SQLite has no percentile function).
import JSON
import LLMCore

public struct CallLogStatsRow: Sendable, Equatable {
    public var day: String
    public var model: String
    public var calls = 0
    public var errors = 0
    public var errorKinds: [String: Int] = [:]
    public var inputTokens = 0
    public var outputTokens = 0
    public var estimated = false
    public var cost = 0.0
    public var latencyP50: Double?
    public var latencyP95: Double?
    public var ttftP50: Double?
    public var ttftP95: Double?

    public var json: JSONValue {
        var o = JSONObject()
        o["day"] = .string(day)
        o["model"] = .string(model)
        o["calls"] = .int(Int64(calls))
        o["errors"] = .int(Int64(errors))
        var kinds = JSONObject()
        for k in errorKinds.keys.sorted() { kinds[k] = .int(Int64(errorKinds[k]!)) }
        o["errors_by_kind"] = .object(kinds)
        o["input_tokens"] = .int(Int64(inputTokens))
        o["output_tokens"] = .int(Int64(outputTokens))
        if estimated { o["tokens_estimated"] = .bool(true) }
        o["cost_usd"] = .double(cost)
        for (k, v) in [("latency_p50_ms", latencyP50), ("latency_p95_ms", latencyP95), ("ttft_p50_ms", ttftP50), ("ttft_p95_ms", ttftP95)] {
            if let v { o[k] = .double(v) }
        }
        return .object(o)
    }
}

extension CallLogStore {
    public func stats(_ filter: CallLogFilter) throws -> [CallLogStatsRow] {
        var groups: [String: (row: CallLogStatsRow, latencies: [Double], ttfts: [Double])] = [:]
        var order: [String] = []
        for r in try statsRows(filter) {
            let day = r[0].string ?? "", model = r[1].string ?? ""
            let key = day + "\u{0}" + model
            if groups[key] == nil {
                groups[key] = (CallLogStatsRow(day: day, model: model), [], [])
                order.append(key)
            }
            var g = groups[key]!
            g.row.calls += 1
            if let kind = r[2].string {
                g.row.errors += 1
                g.row.errorKinds[kind, default: 0] += 1
            } else {
                if let l = r[6].double { g.latencies.append(l) }
                if let t = r[7].double { g.ttfts.append(t) }
            }
            g.row.inputTokens += Int(r[3].int ?? 0)
            g.row.outputTokens += Int(r[4].int ?? 0)
            g.row.cost += r[5].double ?? 0
            if r[8].int == 1 { g.row.estimated = true }
            groups[key] = g
        }
        return order.map { key in
            var (row, latencies, ttfts) = groups[key]!
            row.latencyP50 = ProviderStats.percentile(50, of: latencies)
            row.latencyP95 = ProviderStats.percentile(95, of: latencies)
            row.ttftP50 = ProviderStats.percentile(50, of: ttfts)
            row.ttftP95 = ProviderStats.percentile(95, of: ttfts)
            return row
        }
    }
}

extension CallLogTable {
    /// The stats as a table (a terminal) or tab-separated with a header line (a pipe).
    public static func stats(_ rows: [CallLogStatsRow], terminal: Bool) -> String {
        let head = ["day", "model", "calls", "errors", "by kind", "tokens in/out", "cost $", "p50 ms", "p95 ms", "ttft p50", "ttft p95"]
        func ms(_ v: Double?) -> String { v.map { String(format: "%.0f", $0) } ?? "-" }
        let cells = rows.map { r -> [String] in
            [r.day, r.model, String(r.calls), String(r.errors),
             r.errorKinds.keys.sorted().map { "\($0):\(r.errorKinds[$0]!)" }.joined(separator: " "),
             (r.estimated ? "~" : "") + "\(r.inputTokens)/\(r.outputTokens)", String(format: "%.4f", r.cost),
             ms(r.latencyP50), ms(r.latencyP95), ms(r.ttftP50), ms(r.ttftP95)]
        }
        guard terminal else { return ([head] + cells).map { $0.joined(separator: "\t") }.joined(separator: "\n") }
        guard !rows.isEmpty else { return "no calls logged" }
        var widths = head.map(\.count)
        for r in cells { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        return ([head] + cells).map { r in
            r.enumerated().map { i, c in
                let fill = String(repeating: " ", count: widths[i] - c.count)
                return i < 2 || i == 4 ? c + fill : fill + c
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
