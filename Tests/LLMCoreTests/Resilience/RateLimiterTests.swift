// RateLimiter in virtual time, driven the way the event loop drives it:
// reserve, then sleep until nextWakeup() and admit. Admission times are exact
// because the buckets refill by elapsed · limit / 60.
import LLMCore
import Testing

@Suite struct RateLimiterTests {
    /// Plays the event loop: wakes at each nextWakeup() and admits, until no
    /// one waits. Returns each admitted id with its admission time.
    func drain(_ limiter: inout RateLimiter) -> [(id: ReservationID, at: Double)] {
        var admitted: [(id: ReservationID, at: Double)] = []
        var wakeups = 0
        while let wakeup = limiter.nextWakeup(), wakeups < 10_000 {
            wakeups += 1
            for id in limiter.admit(at: wakeup) { admitted.append((id, wakeup)) }
        }
        #expect(limiter.waiting == 0)
        return admitted
    }

    func waiting(_ reservation: Reservation) -> (id: ReservationID, until: Double, reason: Reservation.WaitReason)? {
        if case .wait(let id, let until, let reason) = reservation { return (id, until, reason) }
        return nil
    }

    func granted(_ reservation: Reservation) -> ReservationID? {
        if case .granted(let id) = reservation { return id }
        return nil
    }

    @Test func aHundredRequestsAtTenPerMinuteAreSpreadAsTheBucketAllows() {
        var limiter = RateLimiter(policy: RateLimitPolicy(requestsPerMinute: 10))
        let reservations = (0..<100).map { _ in limiter.reserve(estimatedTokens: 0, at: 0) }
        // The bucket starts full: ten go at once, then one every 6 s.
        #expect(reservations.prefix(10).allSatisfy { granted($0) != nil })
        let waiters = reservations.dropFirst(10).compactMap(waiting)
        #expect(waiters.count == 90)
        #expect(waiters.map(\.until) == (1...90).map { Double($0) * 6 })
        #expect(waiters.allSatisfy { $0.reason == .requests })

        let admitted = drain(&limiter)
        #expect(admitted.map(\.id) == waiters.map(\.id))
        #expect(admitted.map(\.at) == (1...90).map { Double($0) * 6 })
        #expect(admitted.last?.at == 540)
        #expect(limiter.unreconciled == 100)
    }

    @Test func aFullQueueRefusesAtOnce() {
        var limiter = RateLimiter(policy: RateLimitPolicy(requestsPerMinute: 1, queueLimit: 3))
        #expect(granted(limiter.reserve(estimatedTokens: 0, at: 0)) != nil)
        for _ in 0..<3 { #expect(waiting(limiter.reserve(estimatedTokens: 0, at: 0)) != nil) }
        #expect(limiter.reserve(estimatedTokens: 0, at: 0) == .rejected(.queueFull))
        #expect(limiter.reserve(estimatedTokens: 0, priority: 100, at: 1) == .rejected(.queueFull))
        #expect(limiter.admit(at: 60).count == 1)
        #expect(waiting(limiter.reserve(estimatedTokens: 0, at: 60)) != nil)
    }

    @Test func higherPriorityFirstAndFirstComeFirstServedWithin() {
        var limiter = RateLimiter(policy: RateLimitPolicy(requestsPerMinute: 1))
        #expect(granted(limiter.reserve(estimatedTokens: 0, at: 0)) != nil)
        let order = [("b", 0), ("c", 5), ("d", 0), ("e", 5), ("f", 9)].map { name, priority in
            (name, waiting(limiter.reserve(estimatedTokens: 0, priority: priority, at: 0))!.id)
        }
        let names = Dictionary(uniqueKeysWithValues: order.map { ($0.1, $0.0) })
        #expect(limiter.estimatedAdmission(of: order[0].1)?.until == 240)  // b is now behind f, c and e
        let admitted = drain(&limiter)
        #expect(admitted.map { names[$0.id]! } == ["f", "c", "e", "b", "d"])
        #expect(admitted.map(\.at) == [60, 120, 180, 240, 300])
    }

    @Test func aNewcomerOvertakesOnlyLowerPriorities() {
        var limiter = RateLimiter(policy: RateLimitPolicy(requestsPerMinute: 2))
        _ = limiter.reserve(estimatedTokens: 0, at: 0)
        _ = limiter.reserve(estimatedTokens: 0, at: 0)
        let low = waiting(limiter.reserve(estimatedTokens: 0, at: 0))!
        #expect(low.until == 30)
        // At t = 30 the bucket holds one request again, and nobody has called
        // admit yet: an urgent newcomer takes it, an equal one queues behind.
        #expect(granted(limiter.reserve(estimatedTokens: 0, priority: 1, at: 30)) != nil)
        let equal = waiting(limiter.reserve(estimatedTokens: 0, at: 30))!
        #expect(limiter.estimatedAdmission(of: low.id)?.until == 60)
        #expect(equal.until == 90)
        #expect(drain(&limiter).map(\.at) == [60, 90])
    }

    @Test func tokensWaitForTheTokenBucket() {
        var limiter = RateLimiter(policy: RateLimitPolicy(requestsPerMinute: 100, tokensPerMinute: 1000))
        #expect(granted(limiter.reserve(estimatedTokens: 600, at: 0)) != nil)
        let second = waiting(limiter.reserve(estimatedTokens: 600, at: 0))!
        #expect(second.until == 12 && second.reason == .tokens)  // 200 short at 1000/min
        #expect(drain(&limiter).map(\.at) == [12])
    }

    @Test func aRefundAdmitsAWaiterEarlier() {
        var limiter = RateLimiter(policy: RateLimitPolicy(tokensPerMinute: 1000))
        let first = granted(limiter.reserve(estimatedTokens: 600, at: 0))!
        let second = waiting(limiter.reserve(estimatedTokens: 600, at: 0))!
        #expect(second.until == 12)
        #expect(limiter.reconcile(first, actualTokens: 300, at: 1) == -300)
        #expect(limiter.nextWakeup() == 1)
        #expect(limiter.admit(at: 1) == [second.id])
    }

    @Test func anUnderestimateIsChargedAndDelaysTheNext() {
        var limiter = RateLimiter(policy: RateLimitPolicy(tokensPerMinute: 1000))
        let first = granted(limiter.reserve(estimatedTokens: 500, at: 0))!
        #expect(limiter.reconcile(first, actualTokens: 800, at: 0) == 300)
        let next = waiting(limiter.reserve(estimatedTokens: 500, at: 0))!
        #expect(next.until == 18 && next.reason == .tokens)  // 200 left, 300 short
    }

    @Test func reconcilingTwiceOrAnUnknownIdChangesNothing() {
        var limiter = RateLimiter(policy: RateLimitPolicy(tokensPerMinute: 1000))
        let id = granted(limiter.reserve(estimatedTokens: 500, at: 0))!
        #expect(limiter.reconcile(id, actualTokens: 100, at: 0) == -400)
        #expect(limiter.reconcile(id, actualTokens: 0, at: 0) == 0)
        #expect(limiter.unreconciled == 0)
    }

    @Test func aRefundNeverFillsTheBucketPastItsCapacity() {
        var limiter = RateLimiter(policy: RateLimitPolicy(tokensPerMinute: 1000))
        let id = granted(limiter.reserve(estimatedTokens: 100, at: 0))!
        limiter.reconcile(id, actualTokens: 0, at: 30)
        #expect(granted(limiter.reserve(estimatedTokens: 1000, at: 30)) != nil)
        let next = waiting(limiter.reserve(estimatedTokens: 1, at: 30))!
        #expect(next.until == 30 + 60.0 / 1000)
    }

    @Test func requestsAreNotRefunded() {
        var limiter = RateLimiter(policy: RateLimitPolicy(requestsPerMinute: 1, tokensPerMinute: 1000))
        let id = granted(limiter.reserve(estimatedTokens: 10, at: 0))!
        limiter.reconcile(id, actualTokens: 0, at: 1)
        let next = waiting(limiter.reserve(estimatedTokens: 10, at: 1))!
        #expect(next.until == 60 && next.reason == .requests)
    }

    @Test func anEstimateAboveTheMinuteAllowanceGoesWhenTheBucketIsFull() {
        var limiter = RateLimiter(policy: RateLimitPolicy(tokensPerMinute: 1000))
        #expect(granted(limiter.reserve(estimatedTokens: 1500, at: 0)) != nil)  // full: let through
        let next = waiting(limiter.reserve(estimatedTokens: 100, at: 0))!
        #expect(next.until == 36)  // pays back a 500-token debt, then 100 more
        let huge = waiting(limiter.reserve(estimatedTokens: 5000, at: 0))!
        #expect(huge.until == 36 + 60)  // waits for a full bucket, not for 5000
    }

    @Test func theBindingBucketIsTheReason() {
        var limiter = RateLimiter(policy: RateLimitPolicy(requestsPerMinute: 6, tokensPerMinute: 600))
        _ = limiter.reserve(estimatedTokens: 600, at: 0)
        let tokensBound = waiting(limiter.reserve(estimatedTokens: 300, at: 0))!
        #expect(tokensBound.until == 30 && tokensBound.reason == .tokens)

        var requestsLimited = RateLimiter(policy: RateLimitPolicy(requestsPerMinute: 1, tokensPerMinute: 600))
        _ = requestsLimited.reserve(estimatedTokens: 10, at: 0)
        let requestsBound = waiting(requestsLimited.reserve(estimatedTokens: 10, at: 0))!
        #expect(requestsBound.until == 60 && requestsBound.reason == .requests)
    }

    @Test func aCancelledWaiterLeavesTheQueue() {
        var limiter = RateLimiter(policy: RateLimitPolicy(requestsPerMinute: 1))
        _ = limiter.reserve(estimatedTokens: 0, at: 0)
        let first = waiting(limiter.reserve(estimatedTokens: 0, at: 0))!
        let second = waiting(limiter.reserve(estimatedTokens: 0, at: 0))!
        #expect(second.until == 120)
        let cancelled = limiter.cancel(first.id), cancelledAgain = limiter.cancel(first.id)
        #expect(cancelled && !cancelledAgain)
        #expect(limiter.estimatedAdmission(of: second.id)?.until == 60)
        #expect(drain(&limiter).map(\.id) == [second.id])
    }

    @Test func aThousandWaitersComeOutByPriorityThenArrival() {
        var limiter = RateLimiter(policy: RateLimitPolicy(requestsPerMinute: 60, queueLimit: 1000))
        for _ in 0..<60 { _ = limiter.reserve(estimatedTokens: 0, at: 0) }
        var generator = SplitMix64(seed: 3)
        var arrivals: [(id: ReservationID, priority: Int, arrival: Int)] = []
        for arrival in 0..<1000 {
            let priority = Int(generator.next() % 4)
            arrivals.append((waiting(limiter.reserve(estimatedTokens: 0, priority: priority, at: 0))!.id, priority, arrival))
        }
        #expect(limiter.reserve(estimatedTokens: 0, priority: 3, at: 0) == .rejected(.queueFull))
        let expected = arrivals.sorted { ($0.priority, -$0.arrival) > ($1.priority, -$1.arrival) }.map(\.id)
        let admitted = drain(&limiter)
        #expect(admitted.map(\.id) == expected)
        #expect(admitted.map(\.at) == (1...1000).map(Double.init))
    }

    @Test func nonPositiveLimitsMeanNoLimit() {
        var limiter = RateLimiter(policy: RateLimitPolicy(requestsPerMinute: 0, tokensPerMinute: -5))
        for _ in 0..<100 { #expect(granted(limiter.reserve(estimatedTokens: 10, at: 0)) != nil) }
    }

    @Test func withoutLimitsEverythingIsGranted() {
        var limiter = RateLimiter()
        for t in 0..<1000 { #expect(granted(limiter.reserve(estimatedTokens: 1_000_000, at: Double(t) / 1000)) != nil) }
        #expect(limiter.nextWakeup() == nil && limiter.admit(at: 1).isEmpty)
    }

    @Test func timeNeverRunsBackwards() {
        var limiter = RateLimiter(policy: RateLimitPolicy(requestsPerMinute: 1))
        _ = limiter.reserve(estimatedTokens: 0, at: 10)
        let late = waiting(limiter.reserve(estimatedTokens: 0, at: 5))!
        #expect(late.until == 70)
        #expect(limiter.admit(at: 0).isEmpty)
    }
}
