// client:stats() as a Lua table (per provider, plus totals) whose tostring is
// the text table `moonwire run --stats` prints.
import CLua
import Foundation
import LLMCore
import LLMTransport
import LuaBridge

public enum StatsTable {
    static func push(_ stats: CallStats, routes: [RouteGauge] = [], on call: LuaCall) {
        call.newTable(recordCount: Int32(stats.order.count + 3))
        let t = call.absolute(-1)
        // Each route's gate now: the adaptive concurrency limit, what is in flight and queued.
        call.newTable(arrayCount: Int32(routes.count))
        let list = call.absolute(-1)
        for (i, r) in routes.enumerated() {
            call.newTable(recordCount: 7)
            let g = call.absolute(-1)
            call.push(r.name); call.setField(g, "name")
            call.push(r.model); call.setField(g, "model")
            if let limit = r.concurrencyLimit { call.push(limit); call.setField(g, "concurrency_limit") }
            call.push(r.inFlight); call.setField(g, "in_flight")
            call.push(r.queued); call.setField(g, "queued")
            call.push(r.retriesInWindow); call.setField(g, "retries_10s")
            call.push(r.callsInWindow); call.setField(g, "calls_10s")
            call.setIndex(list, Int64(i + 1))
        }
        call.setField(t, "routes")
        for name in stats.order {
            let s = stats.byProvider[name]!
            call.newTable(recordCount: 14)
            let p = call.absolute(-1)
            call.push(s.calls); call.setField(p, "calls")
            call.push(s.errors); call.setField(p, "errors")
            call.push(s.errorRate); call.setField(p, "error_rate")
            call.push(s.attempts); call.setField(p, "attempts")
            call.push(s.failedAttempts); call.setField(p, "failed_attempts")
            for (key, values, q) in [("p50_ms", s.latencies, 50.0), ("p95_ms", s.latencies, 95), ("p99_ms", s.latencies, 99),
                                     ("ttft_p50_ms", s.ttfts, 50), ("ttft_p95_ms", s.ttfts, 95)] {
                if let v = ProviderStats.percentile(q, of: values) { call.push((v * 10_000).rounded() / 10); call.setField(p, key) }
            }
            call.push(s.usage.inputTokens); call.setField(p, "input_tokens")
            call.push(s.usage.outputTokens); call.setField(p, "output_tokens")
            call.push(s.estimatedCalls); call.setField(p, "estimated_calls")
            call.push(s.cost); call.setField(p, "cost_usd")
            call.setField(t, name)
        }
        call.push(stats.totalCost); call.setField(t, "total_cost_usd")
        call.push(stats.totalTokens); call.setField(t, "total_tokens")
        // The text is fixed when stats() is called: keep it in the metatable.
        call.newTable(recordCount: 2)
        let mt = call.absolute(-1)
        call.push(text(stats, routes: routes)); call.setField(mt, "text")
        call.pushFunction(name: "__tostring") { c in
            guard lua_getmetatable(c.L, 1) != 0 else { c.push(""); return 1 }
            c.rawField(-1, "text")
            return 1
        }
        call.setField(mt, "__tostring")
        lua_setmetatable(call.L, t)
    }

    /// A fixed-width table, one row per provider.
    public static func text(_ stats: CallStats, routes: [RouteGauge] = []) -> String {
        func pad(_ s: String, _ width: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, width - s.count))
            return left ? s + fill : fill + s
        }
        func ms(_ v: Double?) -> String { v.map { String(format: "%.0f", $0 * 1000) } ?? "-" }
        let header = [pad("provider", 12, left: true), pad("calls", 6), pad("attempts", 9), pad("failed", 7), pad("p50 ms", 8),
                      pad("p95 ms", 8), pad("ttft p50", 9), pad("tokens in/out", 15), pad("cost $", 9)]
        var lines = [header.joined(separator: " ")]
        for name in stats.order {
            let s = stats.byProvider[name]!
            let row = [pad(name, 12, left: true), pad(String(s.calls), 6), pad(String(s.attempts), 9), pad(String(s.failedAttempts), 7),
                       pad(ms(ProviderStats.percentile(50, of: s.latencies)), 8), pad(ms(ProviderStats.percentile(95, of: s.latencies)), 8),
                       pad(ms(ProviderStats.percentile(50, of: s.ttfts)), 9), pad("\(s.usage.estimated ? "~" : "")\(s.usage.inputTokens)/\(s.usage.outputTokens)", 15),
                       pad(String(format: "%.4f", s.cost), 9)]
            lines.append(row.joined(separator: " "))
        }
        lines.append(String(format: "total: %d tokens, $%.4f", stats.totalTokens, stats.totalCost))
        let estimated = stats.order.reduce(0) { $0 + (stats.byProvider[$1]?.estimatedCalls ?? 0) }
        if estimated > 0 { lines.append("~ \(estimated) call(s) sent no usage: tokens estimated as UTF-8 bytes ÷ 4") }
        for r in routes where r.concurrencyLimit != nil || r.queued > 0 {
            lines.append("route \(r.name) (\(r.model)): concurrency limit \(r.concurrencyLimit.map(String.init) ?? "none"), "
                         + "\(r.inFlight) in flight, \(r.queued) queued")
        }
        return lines.joined(separator: "\n")
    }
}
