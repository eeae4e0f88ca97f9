// A route's retry budget, as Finagle's RetryBudget and Envoy's retry budgets:
// retries may be at most `share` of the calls sent over the last `window`
// seconds, plus a floor of `minPerSecond × window` so a quiet route can still
// retry. Under overload every call fails at once; without a budget each would
// come back `max_retries` times and multiply the load the provider is
// drowning in. Counts live in one-second buckets, so the window slides in
// constant memory. A pure value on the loop's clock.

public struct RetryBudgetPolicy: Sendable, Equatable {
    /// Retries allowed per call sent (0.2: one retry for five calls).
    public var share: Double
    public var minPerSecond: Double
    public var window: Double

    public init(share: Double = 0.2, minPerSecond: Double = 10, window: Double = 10) {
        self.share = share
        self.minPerSecond = minPerSecond
        self.window = window
    }
}

public struct RetryBudget: Sendable, Equatable {
    public let policy: RetryBudgetPolicy
    private var calls: [Int]
    private var retries: [Int]
    private var lastSecond: Int?

    public init(policy: RetryBudgetPolicy = RetryBudgetPolicy()) {
        self.policy = policy
        let n = Swift.max(1, Int(policy.window.rounded(.up)))
        calls = Array(repeating: 0, count: n)
        retries = Array(repeating: 0, count: n)
    }

    /// A call's first attempt was sent.
    public mutating func recordCall(at now: Double) {
        calls[slot(at: now)] += 1
    }

    /// Asks to retry once; true (and counted) when the budget allows it.
    public mutating func spend(at now: Double) -> Bool {
        let i = slot(at: now)
        guard Double(retries.reduce(0, +)) < allowance else { return false }
        retries[i] += 1
        return true
    }

    /// Retries the window allows now.
    public var allowance: Double {
        policy.share * Double(calls.reduce(0, +)) + policy.minPerSecond * policy.window
    }

    public var retriesInWindow: Int { retries.reduce(0, +) }
    public var callsInWindow: Int { calls.reduce(0, +) }

    /// The bucket for `now`, clearing those the window slid past.
    private mutating func slot(at now: Double) -> Int {
        let second = Int(Swift.max(0, Swift.min(now, 1e15)).rounded(.down))
        let n = calls.count
        if let last = lastSecond, second > last {
            for s in (last + 1)...Swift.min(second, last + n) {
                calls[s % n] = 0
                retries[s % n] = 0
            }
        }
        lastSecond = Swift.max(lastSecond ?? second, second)
        return second % n
    }
}
