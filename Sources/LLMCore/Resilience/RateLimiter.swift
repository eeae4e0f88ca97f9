// Client-side rate limiting for one provider account: a requests-per-minute
// and a tokens-per-minute bucket (continuous refill, starting full) and a
// bounded priority queue of waiters. A pure value; the event loop drives it:
//
//   reserve(estimatedTokens:priority:at:) → Reservation
//       .granted(id)              send now
//       .wait(id, until:, reason:) queued; tell the script (`on_wait`), then
//                                 re-arm the limiter timer at nextWakeup()
//       .rejected(.queueFull)     fail at once with `queue_full`
//   nextWakeup() → Double?        when the queue head can be admitted (≤ now
//                                 means at once); nil when nobody waits
//   admit(at:) → [ReservationID]  grants waiters in priority order while the
//                                 buckets allow; send each, then re-arm at
//                                 nextWakeup()
//   reconcile(id, actualTokens:at:) → Int
//                                 once usage is known (or 0 if nothing was
//                                 sent): charges or refunds the difference
//   cancel(id) → Bool             a waiter gave up (deadline, Ctrl-C)
//
// Any mutating call can move the next wakeup (a refund makes it earlier, a
// higher-priority newcomer later), so the loop re-reads nextWakeup() after
// each. Admission is strictly in order: a waiter that does not fit blocks
// those behind it, so a large request is never starved by small ones.

public struct RateLimiter: Sendable {
    public let policy: RateLimitPolicy
    private var requests: TokenBucket?
    private var tokens: TokenBucket?
    private var queue = WaiterQueue()
    /// Estimated tokens charged for each reservation not yet reconciled.
    private var outstanding: [ReservationID: Int] = [:]
    private var lastID: UInt64 = 0
    /// The latest `now` seen; both buckets are refilled up to it.
    private var now = -Double.infinity

    public init(policy: RateLimitPolicy = RateLimitPolicy()) {
        self.policy = policy
        requests = policy.requestsPerMinute.flatMap { $0 > 0 ? TokenBucket(perMinute: $0) : nil }
        tokens = policy.tokensPerMinute.flatMap { $0 > 0 ? TokenBucket(perMinute: $0) : nil }
    }

    public var waiting: Int { queue.count }

    /// Reservations granted and not yet reconciled.
    public var unreconciled: Int { outstanding.count }

    /// Asks to send one request of about `estimatedTokens` tokens (input plus
    /// expected output). A higher `priority` is admitted first.
    public mutating func reserve(estimatedTokens: Int, priority: Int = 0, at now: Double) -> Reservation {
        advance(to: now)
        let cost = max(0, estimatedTokens)
        lastID += 1
        let id = ReservationID(raw: lastID)
        if !queue.hasWaiter(atOrAbove: priority), fits(Double(cost)) {
            grant(id, cost: cost)
            return .granted(id)
        }
        guard queue.count < policy.queueLimit else { return .rejected(.queueFull) }
        queue.insert(WaiterQueue.Waiter(id: id, cost: cost, priority: priority))
        // The waiter was just inserted, so the estimate exists.
        let estimate = estimatedAdmission(of: id) ?? (self.now, .requests)
        return .wait(id, until: estimate.until, reason: estimate.reason)
    }

    public mutating func admit(at now: Double) -> [ReservationID] {
        advance(to: now)
        var admitted: [ReservationID] = []
        while let head = queue.first, fits(Double(head.cost)) {
            _ = queue.removeFirst()
            grant(head.id, cost: head.cost)
            admitted.append(head.id)
        }
        return admitted
    }

    public func nextWakeup() -> Double? {
        queue.first.map { Self.readiness(requests, tokens, cost: Double($0.cost), at: now).until }
    }

    /// Charges `actualTokens − estimated` to the token bucket (a negative
    /// difference is a refund, never above the bucket's capacity) and returns
    /// it; 0 for an unknown or already reconciled id. Requests are not
    /// refunded: the provider counted the request whether or not it worked.
    @discardableResult
    public mutating func reconcile(_ id: ReservationID, actualTokens: Int, at now: Double) -> Int {
        advance(to: now)
        guard let estimated = outstanding.removeValue(forKey: id) else { return 0 }
        let difference = max(0, actualTokens) - estimated
        if difference > 0 { tokens?.take(Double(difference)) } else { tokens?.giveBack(Double(-difference)) }
        return difference
    }

    /// Removes a waiter from the queue; false if it is not waiting (already
    /// admitted, or never queued).
    @discardableResult
    public mutating func cancel(_ id: ReservationID) -> Bool {
        queue.remove(id)
    }

    /// When the waiter `id` would be admitted if no one overtakes it, found
    /// by playing the queue ahead of it forward on copies of the buckets.
    public func estimatedAdmission(of id: ReservationID) -> (until: Double, reason: Reservation.WaitReason)? {
        var requests = requests, tokens = tokens
        var time = now
        for waiter in queue.waiters {
            let ready = Self.readiness(requests, tokens, cost: Double(waiter.cost), at: time)
            if waiter.id == id { return ready }
            time = ready.until
            requests?.refill(to: time)
            tokens?.refill(to: time)
            requests?.take(1)
            tokens?.take(Double(waiter.cost))
        }
        return nil
    }

    /// When both buckets (brought up to `time`) cover one request of `cost`
    /// tokens, and which of them is the later to do so.
    private static func readiness(
        _ requests: TokenBucket?, _ tokens: TokenBucket?, cost: Double, at time: Double
    ) -> (until: Double, reason: Reservation.WaitReason) {
        let requestWait = requests?.wait(for: 1) ?? 0
        let tokenWait = tokens?.wait(for: cost) ?? 0
        return tokenWait > requestWait ? (time + tokenWait, .tokens) : (time + requestWait, .requests)
    }

    private func fits(_ cost: Double) -> Bool {
        (requests?.covers(1) ?? true) && (tokens?.covers(cost) ?? true)
    }

    private mutating func grant(_ id: ReservationID, cost: Int) {
        requests?.take(1)
        tokens?.take(Double(cost))
        outstanding[id] = cost
    }

    /// Time only moves forward: an earlier `now` (a caller with a stale
    /// reading) is treated as the latest seen.
    private mutating func advance(to instant: Double) {
        now = max(now, instant)
        requests?.refill(to: now)
        tokens?.refill(to: now)
    }
}
