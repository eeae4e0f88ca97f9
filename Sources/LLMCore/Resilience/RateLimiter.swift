// A route's admission gate: which of the calls that want to send to one
// provider account + model may send now. A request waits in one bounded
// priority queue until all of these allow it:
//   - the configured caps: requests and tokens per minute (token buckets,
//     continuous refill, starting full);
//   - what the provider said in its rate-limit headers (RateLimitReport): a
//     mirror of its buckets, synced from the freshest answer and charged for
//     every request sent since, so a bulk job stops at `remaining = 0` and goes
//     on as the provider refills instead of meeting a 429 storm;
//   - a 429's "limited until T" (`limit(until:)`): nobody sends before T;
//   - the route's concurrency limit (AdaptiveConcurrency): requests in flight.
// A pure value; the event loop drives it:
//
//   reserve(estimatedTokens:priority:at:) → Reservation
//       .granted(id)              send now
//       .wait(id, until:, reason:) queued; tell the script (`on_wait`), then
//                                 re-arm the limiter timer at nextWakeup()
//       .rejected(.queueFull)     fail at once with `queue_full`
//   nextWakeup() → Double?        when the queue head can be admitted (≤ now
//                                 means at once); nil when nobody waits or the
//                                 head waits for a request in flight to end
//   admit(at:) → [ReservationID]  grants waiters in priority order while the
//                                 gate allows; send each, then re-arm
//   observe(report, for: id, at:) the provider's headers on the answer to `id`
//   release(id, sample:, actualTokens:, at:)
//                                 the request ended: frees its slot, feeds the
//                                 concurrency limit, charges or refunds tokens
//   cancel(id) → Bool             a waiter gave up (deadline, Ctrl-C)
//
// Any mutating call can move the next wakeup (a refund makes it earlier, a
// higher-priority newcomer later, a release frees a slot), so the loop
// re-reads nextWakeup() and calls admit(at:) after each. Admission is
// strictly in order: a waiter that does not fit blocks those behind it, so a
// large request is never starved by small ones.

public struct RateLimiter: Sendable {
    public let policy: RateLimitPolicy
    private var requests: TokenBucket?
    private var tokens: TokenBucket?
    private var queue = WaiterQueue()
    /// What each granted reservation charged, until it is released.
    private var outstanding: [ReservationID: Grant] = [:]
    private var lastID: UInt64 = 0
    /// The latest `now` seen; every bucket is refilled up to it.
    private var now = -Double.infinity
    public private(set) var concurrency: AdaptiveConcurrency
    /// No request is admitted before this instant (a 429's retry-after).
    public private(set) var limitedUntil: Double?
    private var provider: [RateLimitReport.Resource: ProviderBucket] = [:]
    /// Cost sent so far per provider resource, to charge requests sent after
    /// the one whose answer reported `remaining`.
    private var sentCost: [RateLimitReport.Resource: Double] = [:]
    private var freshestReport: UInt64 = 0

    struct Grant: Sendable {
        var cost: Int
        var output: Int
        var sentCost: [RateLimitReport.Resource: Double]
        /// Order of admission (ids are handed out at reserve time, before any wait).
        var sequence: UInt64
        /// Its answer's headers were read.
        var reported = false
    }
    private var granted: UInt64 = 0

    public init(policy: RateLimitPolicy = RateLimitPolicy(), concurrency: ConcurrencyPolicy = ConcurrencyPolicy(adaptive: false)) {
        self.policy = policy
        self.concurrency = AdaptiveConcurrency(policy: concurrency)
        requests = policy.requestsPerMinute.flatMap { $0 > 0 ? TokenBucket(perMinute: $0) : nil }
        tokens = policy.tokensPerMinute.flatMap { $0 > 0 ? TokenBucket(perMinute: $0) : nil }
    }

    public var waiting: Int { queue.count }

    /// Reservations granted and not yet released.
    public var unreconciled: Int { outstanding.count }
    /// Requests admitted and not yet released (in flight).
    public var inFlight: Int { outstanding.count }

    /// Asks to send one request of about `estimatedTokens` tokens (input plus
    /// expected output). A higher `priority` is admitted first.
    /// `outputTokens` is the part of the estimate that is expected output,
    /// charged to a provider's output-token bucket (the rest to its input one).
    public mutating func reserve(estimatedTokens: Int, outputTokens: Int = 0, priority: Int = 0, at now: Double) -> Reservation {
        advance(to: now)
        let cost = max(0, estimatedTokens)
        let output = min(max(0, outputTokens), cost)
        lastID += 1
        let id = ReservationID(raw: lastID)
        if !queue.hasWaiter(atOrAbove: priority), blocker(cost: Double(cost), output: Double(output)) == nil {
            grant(id, cost: cost, output: output)
            return .granted(id)
        }
        guard queue.count < policy.queueLimit else { return .rejected(.queueFull) }
        queue.insert(WaiterQueue.Waiter(id: id, cost: cost, output: output, priority: priority))
        if let limit = concurrency.limit, inFlight >= max(1, limit) { return .wait(id, until: self.now, reason: .concurrency) }
        // The waiter was just inserted, so the estimate exists.
        let estimate = estimatedAdmission(of: id) ?? (self.now, .requests)
        return .wait(id, until: estimate.until, reason: estimate.reason)
    }

    public mutating func admit(at now: Double) -> [ReservationID] {
        advance(to: now)
        var admitted: [ReservationID] = []
        while let head = queue.first, blocker(cost: Double(head.cost), output: Double(head.output)) == nil {
            _ = queue.removeFirst()
            grant(head.id, cost: head.cost, output: head.output)
            admitted.append(head.id)
        }
        return admitted
    }

    /// When the queue head can go: nil when nobody waits, or when the head
    /// waits for a slot (a release wakes it, not the clock).
    public func nextWakeup() -> Double? {
        guard let head = queue.first else { return nil }
        if let limit = concurrency.limit, inFlight >= max(1, limit) { return nil }
        return readiness(cost: Double(head.cost), output: Double(head.output), at: now, requests: requests, tokens: tokens, provider: provider).until
    }

    /// Why the queue head waits, and until when (nil: for a slot to free up).
    public var headWait: (reason: Reservation.WaitReason, until: Double?)? {
        guard let head = queue.first else { return nil }
        if let limit = concurrency.limit, inFlight >= max(1, limit) { return (.concurrency, nil) }
        let r = readiness(cost: Double(head.cost), output: Double(head.output), at: now, requests: requests, tokens: tokens, provider: provider)
        return (r.reason, r.until)
    }

    /// Charges `actualTokens − estimated` to the token bucket (a negative
    /// difference is a refund, never above the bucket's capacity) and returns
    /// it; 0 for an unknown or already reconciled id. Requests are not
    /// refunded: the provider counted the request whether or not it worked.
    /// The reservation's slot is freed; no latency sample is taken.
    @discardableResult
    public mutating func reconcile(_ id: ReservationID, actualTokens: Int, at now: Double) -> Int {
        release(id, sample: .neutral, actualTokens: actualTokens, at: now)
    }

    /// The request `id` ended: its slot is freed, `sample` teaches the
    /// concurrency limit, and its tokens are reconciled as in `reconcile`.
    @discardableResult
    public mutating func release(_ id: ReservationID, sample: AdaptiveConcurrency.Sample, actualTokens: Int, at now: Double) -> Int {
        advance(to: now)
        guard let granted = outstanding[id] else { return 0 }
        concurrency.record(sample, inFlight: outstanding.count - 1, at: self.now)
        outstanding.removeValue(forKey: id)
        let difference = min(max(0, actualTokens), Int.max / 2) - granted.cost
        if difference > 0 { tokens?.take(Double(difference)) } else { tokens?.giveBack(Double(-difference)) }
        return difference
    }

    /// A new concurrency policy (llm.configure); what was learned starts over.
    public mutating func reconfigure(concurrency policy: ConcurrencyPolicy) {
        concurrency = AdaptiveConcurrency(policy: policy)
    }

    /// Nobody is admitted before `until` (a 429 and its retry-after).
    public mutating func limit(until: Double) {
        limitedUntil = max(limitedUntil ?? until, until)
    }

    /// What the provider said on its answer to `id` (sent earlier): its
    /// buckets as it counted them then, less what was sent since.
    public mutating func observe(_ report: RateLimitReport, for id: ReservationID, at now: Double) {
        advance(to: now)
        guard var granted = outstanding[id] else { return }
        granted.reported = true
        outstanding[id] = granted
        guard granted.sequence >= freshestReport else { return }
        freshestReport = granted.sequence
        // Sent before it and not answered yet: they may have reached the
        // provider after it, so they may be missing from its count.
        let older = outstanding.values.filter { !$0.reported && $0.sequence < granted.sequence }
        for (resource, window) in report.windows {
            let unsure = older.reduce(0.0) { $0 + Self.providerCost(resource, tokens: Double($1.cost), output: Double($1.output)) }
            let since = (sentCost[resource] ?? 0) - (granted.sentCost[resource] ?? 0) + unsure
            var bucket = provider[resource] ?? ProviderBucket(capacity: Double(window.limit ?? window.remaining))
            bucket.sync(window, sentSince: since, at: self.now)
            provider[resource] = bucket
        }
    }

    /// Removes a waiter from the queue; false if it is not waiting (already
    /// admitted, or never queued).
    @discardableResult
    public mutating func cancel(_ id: ReservationID) -> Bool {
        queue.remove(id)
    }

    /// When the waiter `id` would be admitted if no one overtakes it and no
    /// slot is in question, found by playing the queue ahead of it forward on
    /// copies of the buckets.
    public func estimatedAdmission(of id: ReservationID) -> (until: Double, reason: Reservation.WaitReason)? {
        var requests = requests, tokens = tokens, provider = provider
        var time = now
        for waiter in queue.waiters {
            let ready = readiness(cost: Double(waiter.cost), output: Double(waiter.output), at: time, requests: requests, tokens: tokens, provider: provider)
            if waiter.id == id { return ready }
            time = ready.until
            requests?.refill(to: time)
            tokens?.refill(to: time)
            requests?.take(1)
            tokens?.take(Double(waiter.cost))
            for key in provider.keys {
                provider[key]?.refill(to: time)
                provider[key]?.take(Self.providerCost(key, tokens: Double(waiter.cost), output: Double(waiter.output)))
            }
        }
        return nil
    }

    /// When every bucket (brought up to `time`) covers one request of `cost`
    /// tokens and the 429 wait is over, and which of them is the last to.
    private func readiness(
        cost: Double, output: Double, at time: Double, requests: TokenBucket?, tokens: TokenBucket?,
        provider: [RateLimitReport.Resource: ProviderBucket]
    ) -> (until: Double, reason: Reservation.WaitReason) {
        var best = (until: time + (requests?.wait(for: 1) ?? 0), reason: Reservation.WaitReason.requests)
        let tokenWait = time + (tokens?.wait(for: cost) ?? 0)
        if tokenWait > best.until { best = (tokenWait, .tokens) }
        for (resource, bucket) in provider.sorted(by: { $0.key < $1.key }) {
            let t = time + bucket.wait(for: Self.providerCost(resource, tokens: cost, output: output))
            if t > best.until { best = (t, .providerLimit) }
        }
        if let limitedUntil, limitedUntil > best.until { best = (limitedUntil, .rateLimited) }
        return best
    }

    /// What stops a request of `cost` tokens now, or nil.
    private func blocker(cost: Double, output: Double) -> Reservation.WaitReason? {
        if let limit = concurrency.limit, inFlight >= max(1, limit) { return .concurrency }
        if let limitedUntil, now < limitedUntil { return .rateLimited }
        if !(requests?.covers(1) ?? true) { return .requests }
        if !(tokens?.covers(cost) ?? true) { return .tokens }
        for (resource, bucket) in provider where !bucket.covers(Self.providerCost(resource, tokens: cost, output: output)) { return .providerLimit }
        return nil
    }

    /// A request counts 1 against the provider's requests, its whole token
    /// estimate against the tokens bucket, and its input and output parts
    /// against the input- and output-token buckets.
    static func providerCost(_ resource: RateLimitReport.Resource, tokens: Double, output: Double) -> Double {
        switch resource {
        case .requests: 1
        case .tokens: tokens
        case .inputTokens: tokens - output
        case .outputTokens: output
        }
    }

    private mutating func grant(_ id: ReservationID, cost: Int, output: Int) {
        requests?.take(1)
        tokens?.take(Double(cost))
        for key in provider.keys { provider[key]?.take(Self.providerCost(key, tokens: Double(cost), output: Double(output))) }
        for resource in RateLimitReport.Resource.allCases {
            sentCost[resource, default: 0] += Self.providerCost(resource, tokens: Double(cost), output: Double(output))
        }
        granted += 1
        outstanding[id] = Grant(cost: cost, output: output, sentCost: sentCost, sequence: granted)
    }

    /// Time only moves forward: an earlier `now` (a caller with a stale
    /// reading) is treated as the latest seen.
    private mutating func advance(to instant: Double) {
        now = max(now, instant)
        requests?.refill(to: now)
        tokens?.refill(to: now)
        for key in provider.keys { provider[key]?.refill(to: now) }
        if let limitedUntil, limitedUntil <= now { self.limitedUntil = nil }
    }
}

/// The limiter's picture of one of the provider's own buckets: it refills
/// at the rate the provider's numbers imply ((limit − remaining − 1) / reset,
/// a lower bound), else at `limit` per minute, the unit both providers publish.
struct ProviderBucket: Sendable, Equatable {
    var capacity: Double
    var level: Double
    var perSecond: Double
    var updatedAt: Double?

    init(capacity: Double) {
        self.capacity = max(1, capacity)
        level = self.capacity
        perSecond = self.capacity / 60
    }

    mutating func sync(_ window: RateLimitReport.Window, sentSince: Double, at now: Double) {
        if let limit = window.limit {
            capacity = max(1, Double(limit))
        } else {
            // No limit said: the bucket holds at least what it reported plus what was sent since.
            capacity = max(capacity, Double(window.remaining) + max(0, sentSince))
        }
        // `remaining` is rounded down, so up to one more was used than it
        // says; counting one less keeps the rate from being overestimated,
        // which would send just before the provider refills (a 429).
        let used = capacity - Double(window.remaining) - 1
        if let reset = window.resetIn, reset > 0, used >= 1 {
            perSecond = used / reset
        } else if window.limit != nil, updatedAt == nil {
            perSecond = capacity / 60
        }
        level = min(capacity, Double(window.remaining) - max(0, sentSince))
        updatedAt = now
    }

    mutating func refill(to now: Double) {
        if let updatedAt, now > updatedAt { level = min(capacity, level + (now - updatedAt) * perSecond) }
        updatedAt = max(updatedAt ?? now, now)
    }

    func covers(_ cost: Double) -> Bool { level + TokenBucket.slack >= min(cost, capacity) }

    func wait(for cost: Double) -> Double {
        covers(cost) ? 0 : (min(cost, capacity) - level) / max(perSecond, 1e-9)
    }

    mutating func take(_ amount: Double) { level -= amount }
}
