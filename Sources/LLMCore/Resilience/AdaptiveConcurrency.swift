// How many requests one route may have in flight at once, learned from how the
// provider answers (in the spirit of Netflix's concurrency-limits and TCP):
//
//   - slow start: from `initial`, +1 per good sample (doubling each round
//     trip) until the first sign of congestion;
//   - then additive increase: +1/limit per good sample (+1 per round trip)
//     while the limit is in use;
//   - multiplicative decrease (× `backoff`) on overload (429, 5xx/529,
//     timeouts) or when the smoothed latency rises above `tolerance` × its
//     floor and 25 ms over it (requests are waiting in the provider's
//     queue), at most once per smoothed round trip so a burst of failures
//     counts as one signal.
//
// The latency floor is the lowest sample over the last two 30 s windows, so it
// follows a route whose baseline moves. A sample is the time from sending to
// the first token (streams) or to the answer (whole bodies): what grows when a
// provider queues work. A pure value; the route's limiter asks `limit`.

public struct ConcurrencyPolicy: Sendable, Equatable {
    /// False: a fixed limit of `max` (or none).
    public var adaptive: Bool
    public var initial: Int
    public var min: Int
    /// The upper bound; nil for none but the learned limit.
    public var max: Int?
    /// Latency above this multiple of the floor counts as congestion.
    public var tolerance: Double
    /// What a decrease multiplies the limit by.
    public var backoff: Double

    public init(adaptive: Bool = true, initial: Int = 20, min: Int = 1, max: Int? = nil, tolerance: Double = 2, backoff: Double = 0.9) {
        self.adaptive = adaptive
        self.initial = initial
        self.min = min
        self.max = max
        self.tolerance = tolerance
        self.backoff = backoff
    }
}

public struct AdaptiveConcurrency: Sendable, Equatable {
    public enum Sample: Sendable, Equatable {
        /// A healthy answer: seconds from send to first token (or answer).
        case latency(Double)
        /// The provider said it is overloaded or rate limited, or timed out.
        case overloaded
        /// Says nothing about load (the request's own fault, a cancel).
        case neutral
    }

    public let policy: ConcurrencyPolicy
    private var value: Double
    private var slowStart = true
    private var smoothed: Double?
    private var floorNow = Double.infinity
    private var floorBefore = Double.infinity
    private var windowStart: Double?
    private var lastDecrease = -Double.infinity
    static let floorWindow = 30.0
    static let minQueueing = 0.025

    public init(policy: ConcurrencyPolicy = ConcurrencyPolicy()) {
        self.policy = policy
        value = Double(policy.adaptive ? Swift.max(policy.min, Swift.min(policy.initial, policy.max ?? .max)) : (policy.max ?? .max))
    }

    /// Requests that may be in flight now (nil: no bound).
    public var limit: Int? {
        if !policy.adaptive { return policy.max }
        return Int(value.rounded(.down))
    }

    /// The lowest latency seen recently, if any.
    public var latencyFloor: Double? {
        let f = Swift.min(floorNow, floorBefore)
        return f.isFinite ? f : nil
    }

    public mutating func record(_ sample: Sample, inFlight: Int, at now: Double) {
        guard policy.adaptive else { return }
        switch sample {
        case .neutral:
            return
        case .overloaded:
            decrease(at: now)
        case .latency(let seconds):
            let l = Swift.max(0, seconds)
            rollFloor(at: now)
            floorNow = Swift.min(floorNow, l)
            smoothed = smoothed.map { 0.8 * $0 + 0.2 * l } ?? l
            // Millisecond floors (a local server) would make jitter look like
            // queueing: a queue has to add at least `Self.minQueueing` too.
            // Only while the limit is in use: one slow request says nothing about queueing.
            let inUse = Double(inFlight + 1) * 2 >= value
            if let floor = latencyFloor, let s = smoothed, s > Swift.max(policy.tolerance * floor, floor + Self.minQueueing) {
                if inUse { decrease(at: now) }
            } else if inUse {
                value += slowStart ? 1 : 1 / value
                if let max = policy.max { value = Swift.min(value, Double(max)) }
            }
        }
    }

    private mutating func decrease(at now: Double) {
        slowStart = false
        let roundTrip = smoothed ?? 0
        guard now - lastDecrease >= roundTrip else { return }
        lastDecrease = now
        value = Swift.max(Double(policy.min), value * policy.backoff)
    }

    private mutating func rollFloor(at now: Double) {
        guard let start = windowStart else { windowStart = now; return }
        if now - start >= Self.floorWindow {
            floorBefore = floorNow
            floorNow = .infinity
            windowStart = now
        }
    }
}
