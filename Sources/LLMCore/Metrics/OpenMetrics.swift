// OpenMetrics: the calls of this process as the text format Prometheus
// scrapes and its node_exporter textfile collector reads: counters of calls
// by outcome, tokens by type and cost, histograms of latency and time to
// first token, per route and model, and gauges of each route's queue, in
// flight and adaptive concurrency limit. Updated on the loop's thread as
// calls end; rendered from any thread (a periodic writer).
import Synchronization

public final class MetricsRegistry: Sendable {
    struct Series {
        var outcomes: [String: Int] = [:]
        var input = 0, output = 0, cacheRead = 0, cacheWrite = 0
        var estimatedCalls = 0
        var cost = 0.0
        var latency = Histogram(bounds: MetricsRegistry.latencyBounds)
        var ttft = Histogram(bounds: MetricsRegistry.ttftBounds)
    }

    struct Histogram {
        let bounds: [Double]
        var counts: [Int]
        var sum = 0.0
        var count = 0
        init(bounds: [Double]) {
            self.bounds = bounds
            counts = Array(repeating: 0, count: bounds.count)
        }
        mutating func observe(_ v: Double) {
            for (i, b) in bounds.enumerated() where v <= b { counts[i] += 1 }
            sum += v
            count += 1
        }
    }

    struct Key: Hashable, Comparable {
        var kind: String, route: String, model: String
        static func < (a: Key, b: Key) -> Bool { (a.kind, a.route, a.model) < (b.kind, b.route, b.model) }
    }

    static let latencyBounds = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120]
    static let ttftBounds = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private struct State {
        var series: [Key: Series] = [:]
        var gauges: [RouteGauge] = []
    }
    private let state = Mutex(State())

    public init() {}

    /// One call ended.
    public func record(_ r: CallRecord) {
        state.withLock { s in
            let key = Key(kind: r.kind.rawValue, route: r.provider, model: r.model)
            var x = s.series[key] ?? Series()
            x.outcomes[r.errorKind?.rawValue ?? "ok", default: 0] += 1
            x.input += r.usage.inputTokens
            x.output += r.usage.outputTokens
            x.cacheRead += r.usage.cacheReadTokens
            x.cacheWrite += r.usage.cacheWriteTokens
            if r.usage.estimated { x.estimatedCalls += 1 }
            x.cost += r.cost
            if r.errorKind == nil {
                x.latency.observe(r.latency)
                if let t = r.ttft { x.ttft.observe(t) }
            }
            s.series[key] = x
        }
    }

    /// The routes' gates as they are now.
    public func setGauges(_ gauges: [RouteGauge]) {
        state.withLock { $0.gauges = gauges }
    }

    /// The OpenMetrics text (ends with `# EOF`).
    public func render() -> String {
        let (series, gauges) = state.withLock { ($0.series, $0.gauges) }
        let keys = series.keys.sorted()
        var out = ""
        func labels(_ k: Key, _ extra: [(String, String)] = []) -> String {
            let all = [("kind", k.kind), ("route", k.route), ("model", k.model)] + extra
            return "{" + all.map { "\($0.0)=\"\(Self.escaped($0.1))\"" }.joined(separator: ",") + "}"
        }
        func family(_ name: String, _ type: String, _ help: String, unit: String? = nil) {
            out += "# TYPE \(name) \(type)\n"
            if let unit { out += "# UNIT \(name) \(unit)\n" }
            out += "# HELP \(name) \(help)\n"
        }
        family("moonwire_calls", "counter", "Calls that ended, by outcome (ok or the error kind).")
        for k in keys {
            for (outcome, n) in series[k]!.outcomes.sorted(by: { $0.key < $1.key }) {
                out += "moonwire_calls_total\(labels(k, [("outcome", outcome)])) \(n)\n"
            }
        }
        family("moonwire_tokens", "counter", "Tokens, by type (input, output, cache_read, cache_write).")
        for k in keys {
            let x = series[k]!
            for (type, n) in [("input", x.input), ("output", x.output), ("cache_read", x.cacheRead), ("cache_write", x.cacheWrite)] {
                out += "moonwire_tokens_total\(labels(k, [("type", type)])) \(n)\n"
            }
        }
        family("moonwire_estimated_usage_calls", "counter", "Calls whose server sent no usage (tokens estimated as UTF-8 bytes / 4).")
        for k in keys { out += "moonwire_estimated_usage_calls_total\(labels(k)) \(series[k]!.estimatedCalls)\n" }
        family("moonwire_cost_usd", "counter", "What the calls cost by the price table, in US dollars.")
        for k in keys { out += "moonwire_cost_usd_total\(labels(k)) \(Self.number(series[k]!.cost))\n" }
        for (name, help, pick) in [("moonwire_call_latency_seconds", "Latency of calls that answered, start to end.", \Series.latency),
                                   ("moonwire_ttft_seconds", "Time to first token of calls that answered.", \Series.ttft)] {
            family(name, "histogram", help, unit: "seconds")
            for k in keys {
                let h = series[k]![keyPath: pick]
                for (i, b) in h.bounds.enumerated() {
                    out += "\(name)_bucket\(labels(k, [("le", Self.number(b))])) \(h.counts[i])\n"
                }
                out += "\(name)_bucket\(labels(k, [("le", "+Inf")])) \(h.count)\n"
                out += "\(name)_count\(labels(k)) \(h.count)\n"
                out += "\(name)_sum\(labels(k)) \(Self.number(h.sum))\n"
            }
        }
        func gaugeLabels(_ g: RouteGauge) -> String { "{route=\"\(Self.escaped(g.name))\",model=\"\(Self.escaped(g.model))\"}" }
        family("moonwire_route_queued", "gauge", "Calls waiting in the route's queue.")
        for g in gauges { out += "moonwire_route_queued\(gaugeLabels(g)) \(g.queued)\n" }
        family("moonwire_route_in_flight", "gauge", "Requests the route has in flight.")
        for g in gauges { out += "moonwire_route_in_flight\(gaugeLabels(g)) \(g.inFlight)\n" }
        family("moonwire_route_concurrency_limit", "gauge", "The route's adaptive concurrency limit (absent when it has none).")
        for g in gauges { if let l = g.concurrencyLimit { out += "moonwire_route_concurrency_limit\(gaugeLabels(g)) \(l)\n" } }
        out += "# EOF\n"
        return out
    }

    /// Label values escape backslash, double quote and line feed.
    static func escaped(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func number(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(format: "%.1f", d) }
        return "\(d)"
    }
}
