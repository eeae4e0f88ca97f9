// What one resilient call did, for stats, logs and budgets.

public struct CallRecord: Sendable, Equatable {
    /// The provider (route) that answered, or the last one tried.
    public var provider: String
    public var model: String
    public var attempts: Int
    /// Providers moved past before the answer (0 = the first one answered).
    public var hops: Int
    public var queueWait: Double
    public var ttft: Double?
    public var latency: Double
    public var usage: Usage
    public var cost: Double
    /// nil on success, else the error kind.
    public var errorKind: LLMError.Kind?

    public init(provider: String, model: String, attempts: Int, hops: Int, queueWait: Double, ttft: Double?,
                latency: Double, usage: Usage, cost: Double, errorKind: LLMError.Kind?) {
        self.provider = provider
        self.model = model
        self.attempts = attempts
        self.hops = hops
        self.queueWait = queueWait
        self.ttft = ttft
        self.latency = latency
        self.usage = usage
        self.cost = cost
        self.errorKind = errorKind
    }
}

/// Dollars per million tokens for one model.
public struct ModelPrice: Sendable, Equatable {
    public var input: Double
    public var output: Double
    public var cacheRead: Double
    public var cacheWrite: Double

    public init(input: Double, output: Double, cacheRead: Double? = nil, cacheWrite: Double? = nil) {
        self.input = input
        self.output = output
        self.cacheRead = cacheRead ?? input * 0.1
        self.cacheWrite = cacheWrite ?? input * 1.25
    }

    public func cost(of usage: Usage) -> Double {
        (Double(usage.inputTokens) * input + Double(usage.outputTokens) * output
            + Double(usage.cacheReadTokens) * cacheRead + Double(usage.cacheWriteTokens) * cacheWrite) / 1_000_000
    }
}
