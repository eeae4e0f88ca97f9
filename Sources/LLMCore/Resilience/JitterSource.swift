// Where backoff jitter comes from. Injected so a schedule is a pure function
// of its inputs: tests and cassette replays pass a seeded SplitMix64 and get
// the same waits every run.

public protocol JitterSource: Sendable {
    /// A number uniformly distributed in [0, 1).
    mutating func nextUnit() -> Double
}
