// When a provider+model counts as down, and for how long we stop asking it.
// Defaults: half the calls failing over the last minute, with at least five
// calls to judge by; thirty seconds of fast failure; one probe to decide.

public struct CircuitBreakerPolicy: Sendable, Equatable {
    /// Open when failures / calls in the window reach this fraction.
    public var failureRate: Double
    /// Fewer calls than this in the window never open the breaker: two
    /// failures out of two calls is bad luck, not an outage.
    public var minCalls: Int
    /// The sliding window, in seconds, over which the rate is measured.
    public var window: Double
    /// Seconds the breaker stays open the first time.
    public var openFor: Double
    /// Probes let through in half-open; all must succeed to close.
    public var halfOpenCalls: Int
    /// Each re-open without a close in between multiplies `openFor` by this
    /// (1 turns growth off), so a long outage is probed less and less often.
    public var openGrowth: Double
    /// The longest an open period grows to.
    public var maxOpenFor: Double

    public init(
        failureRate: Double = 0.5, minCalls: Int = 5, window: Double = 60, openFor: Double = 30,
        halfOpenCalls: Int = 1, openGrowth: Double = 2, maxOpenFor: Double = 600
    ) {
        self.failureRate = failureRate
        self.minCalls = minCalls
        self.window = window
        self.openFor = openFor
        self.halfOpenCalls = halfOpenCalls
        self.openGrowth = openGrowth
        self.maxOpenFor = maxOpenFor
    }

    /// How long the `opens`-th consecutive open lasts (1 for the first):
    /// `min(openFor · growthⁿ⁻¹, maxOpenFor)`.
    public func openDuration(opens: Int) -> Double {
        var duration = openFor
        // A loop, not pow(): exact for the small integer factors people use,
        // and it stops as soon as the cap is reached.
        for _ in 1..<max(1, opens) where duration < maxOpenFor { duration *= openGrowth }
        return min(duration, max(openFor, maxOpenFor))
    }
}
