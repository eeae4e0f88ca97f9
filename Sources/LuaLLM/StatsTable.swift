// client:stats() as a Lua table (per provider, plus totals) whose tostring is
// the text table `moonwire run --stats` prints.
import CLua
import Foundation
import LLMCore
import LuaBridge

public enum StatsTable {
    static func push(_ stats: CallStats, on call: LuaCall) {
        call.newTable(recordCount: Int32(stats.order.count + 2))
        let t = call.absolute(-1)
        for name in stats.order {
            let s = stats.byProvider[name]!
            call.newTable(recordCount: 14)
            let p = call.absolute(-1)
            call.push(s.calls); call.setField(p, "calls")
            call.push(s.errors); call.setField(p, "errors")
            call.push(s.errorRate); call.setField(p, "error_rate")
            call.push(s.attempts); call.setField(p, "attempts")
            for (key, values, q) in [("p50_ms", s.latencies, 50.0), ("p95_ms", s.latencies, 95), ("p99_ms", s.latencies, 99),
                                     ("ttft_p50_ms", s.ttfts, 50), ("ttft_p95_ms", s.ttfts, 95)] {
                if let v = ProviderStats.percentile(q, of: values) { call.push((v * 10_000).rounded() / 10); call.setField(p, key) }
            }
            call.push(s.usage.inputTokens); call.setField(p, "input_tokens")
            call.push(s.usage.outputTokens); call.setField(p, "output_tokens")
            call.push(s.cost); call.setField(p, "cost_usd")
            call.setField(t, name)
        }
        call.push(stats.totalCost); call.setField(t, "total_cost_usd")
        call.push(stats.totalTokens); call.setField(t, "total_tokens")
        // The text is fixed when stats() is called: keep it in the metatable.
        call.newTable(recordCount: 2)
        let mt = call.absolute(-1)
        call.push(text(stats)); call.setField(mt, "text")
        call.pushFunction(name: "__tostring") { c in
            guard lua_getmetatable(c.L, 1) != 0 else { c.push(""); return 1 }
            c.rawField(-1, "text")
            return 1
        }
        call.setField(mt, "__tostring")
        lua_setmetatable(call.L, t)
    }

    /// A fixed-width table, one row per provider.
    public static func text(_ stats: CallStats) -> String {
        var lines = ["provider        calls  errors  p50 ms  p95 ms  ttft p50  tokens in/out      cost $"]
        for name in stats.order {
            let s = stats.byProvider[name]!
            func ms(_ v: Double?) -> String { v.map { String(format: "%.0f", $0 * 1000) } ?? "-" }
            lines.append(String(format: "%-14@ %6d %7d %7@ %7@ %9@  %7d/%-7d %9.4f", name as NSString, s.calls, s.errors,
                                ms(ProviderStats.percentile(50, of: s.latencies)) as NSString,
                                ms(ProviderStats.percentile(95, of: s.latencies)) as NSString,
                                ms(ProviderStats.percentile(50, of: s.ttfts)) as NSString,
                                s.usage.inputTokens, s.usage.outputTokens, s.cost))
        }
        lines.append(String(format: "total: %d tokens, $%.4f", stats.totalTokens, stats.totalCost))
        return lines.joined(separator: "\n")
    }
}
