// Aggregates call records per provider: counts, error rate, latency and TTFT
// percentiles, tokens and cost. Keeps every latency up to 16,384 of them; past
// that, every other one is dropped and then only every second (fourth, …)
// call is kept, so a bulk job of millions of calls stays in constant memory
// and the percentiles stay a fair sample.

public struct ProviderStats: Sendable, Equatable {
    /// Calls that ended on this provider (answered or failed last here).
    public var calls = 0
    /// Of those, the ones that failed.
    public var errors = 0
    /// Requests sent to this provider, including retries and failed hops.
    public var attempts = 0
    /// Requests to this provider that failed (retried, fallen back from, or final).
    public var failedAttempts = 0
    public var errorKinds: [String: Int] = [:]
    public var latencies: [Double] = []
    public var ttfts: [Double] = []
    /// Keep one call's latency in `sampleStride` once the lists are full.
    public private(set) var sampleStride = 1
    private var answered = 0
    static let sampleLimit = 16_384
    public var usage = Usage()
    public var cost = 0.0
    /// Calls whose usage the server did not send (UsageEstimate).
    public var estimatedCalls = 0

    public var errorRate: Double { calls == 0 ? 0 : Double(errors) / Double(calls) }

    /// Nearest-rank percentile (p in 0...100) of `values`; nil when empty.
    public static func percentile(_ p: Double, of values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}

public struct CallStats: Sendable {
    public private(set) var byProvider: [String: ProviderStats] = [:]
    /// Providers in the order they were first seen (for stable tables).
    public private(set) var order: [String] = []
    public private(set) var totalCost = 0.0
    public private(set) var totalTokens = 0

    public init() {}

    /// One request to `provider` ended; failed ones count even when the call
    /// then succeeded elsewhere.
    public mutating func addAttempt(provider: String, failed: LLMError.Kind?) {
        if byProvider[provider] == nil { order.append(provider) }
        byProvider[provider, default: ProviderStats()].attempts += 1
        if let failed {
            byProvider[provider, default: ProviderStats()].failedAttempts += 1
            byProvider[provider, default: ProviderStats()].errorKinds[failed.rawValue, default: 0] += 1
        }
    }

    public mutating func add(_ r: CallRecord) {
        if byProvider[r.provider] == nil {
            order.append(r.provider)
            byProvider[r.provider] = ProviderStats()
        }
        // In place: a copy out and back would copy the latency lists on every call.
        byProvider[r.provider]!.record(r)
        totalCost += r.cost
        totalTokens += r.usage.inputTokens + r.usage.outputTokens
    }
}

extension ProviderStats {
    mutating func record(_ r: CallRecord) {
        calls += 1
        if r.errorKind != nil {
            errors += 1
        } else {
            answered += 1
            if answered % sampleStride == 0 {
                latencies.append(r.latency)
                if let t = r.ttft { ttfts.append(t) }
            }
            if latencies.count >= Self.sampleLimit || ttfts.count >= Self.sampleLimit {
                latencies = latencies.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
                ttfts = ttfts.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
                sampleStride *= 2
            }
        }
        usage.inputTokens += r.usage.inputTokens
        usage.outputTokens += r.usage.outputTokens
        usage.cacheReadTokens += r.usage.cacheReadTokens
        usage.cacheWriteTokens += r.usage.cacheWriteTokens
        if r.usage.estimated {
            estimatedCalls += 1
            usage.estimated = true
        }
        cost += r.cost
    }
}
