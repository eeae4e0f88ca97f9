// How long RetryScheduler waits: exact backoff schedules from the formula
// `min(base·2ⁿ, max)·(1 − jitter·u)` with known jitter fractions u, server
// retry-after obeyed to the millisecond, the retry-after cap, and the call
// deadline. Virtual time only: `now` is a plain number.
import LLMCore
import Testing

@Suite struct RetrySchedulerBackoffTests {
    let unavailable = LLMError(.server, "unavailable", status: 503)

    func rateLimited(after seconds: Double?) -> LLMError {
        LLMError(.rateLimited, "slow down", status: 429, retryAfter: seconds)
    }

    /// Decides after each of `errors` in turn, all at `now`.
    func decisions(_ scheduler: inout RetryScheduler, _ errors: [LLMError], at now: Double = 0) -> [RetryDecision] {
        errors.map { scheduler.decide(after: AttemptOutcome($0), at: now) }
    }

    @Test func defaultsAreTheSDKs() {
        let policy = RetryPolicy()
        #expect(policy.maxRetries == 2 && policy.baseDelay == 0.5 && policy.maxDelay == 8)
        #expect(policy.maxRetryAfter == 120 && policy.jitter == 0.25 && policy.streamRecovery == .fail)
        #expect(policy.retryableStatuses == [408, 409, 429, 500, 502, 503, 504, 529])
    }

    @Test func backoffDoublesUpToTheCapWithScriptedJitter() {
        var retry = RetryScheduler(
            policy: RetryPolicy(maxRetries: 6), jitter: ScriptedJitter([0, 0.5, 0.25, 0.75, 0, 0.5]))
        #expect(decisions(&retry, Array(repeating: unavailable, count: 7)) == [
            .retry(after: 0.5, attempt: 2),  // 0.5 · (1 − 0.25·0)
            .retry(after: 0.875, attempt: 3),  // 1 · (1 − 0.25·0.5)
            .retry(after: 1.875, attempt: 4),  // 2 · (1 − 0.25·0.25)
            .retry(after: 3.25, attempt: 5),  // 4 · (1 − 0.25·0.75)
            .retry(after: 8, attempt: 6),  // 8 · (1 − 0.25·0)
            .retry(after: 7, attempt: 7),  // min(16, 8) · (1 − 0.25·0.5)
            .giveUp(.retriesExhausted(attempts: 7)),
        ])
        #expect(retry.attempts == 7)
    }

    @Test func defaultScheduleWithASeededGenerator() {
        // SplitMix64(seed: 0) yields the fractions 0.8833108082136426 and
        // 0.43152799704850997 first (see SplitMix64Tests).
        var retry = RetryScheduler(jitter: SplitMix64(seed: 0))
        #expect(decisions(&retry, [unavailable, unavailable, unavailable]) == [
            .retry(after: 0.5 * (1 - 0.25 * 0.8833108082136426), attempt: 2),
            .retry(after: 1 * (1 - 0.25 * 0.43152799704850997), attempt: 3),
            .giveUp(.retriesExhausted(attempts: 3)),
        ])
    }

    @Test func aHugeRetryCountStaysAtTheCap() {
        let policy = RetryPolicy()
        #expect(policy.backoff(retriesTaken: 5000, unit: 0) == 8)
        #expect(policy.backoff(retriesTaken: 62, unit: 0.5) == 7)
    }

    @Test func noJitterMeansExactPowersOfTwo() {
        var retry = RetryScheduler(policy: RetryPolicy(maxRetries: 4, jitter: 0), jitter: SplitMix64(seed: 9))
        #expect(decisions(&retry, Array(repeating: unavailable, count: 4)) == [
            .retry(after: 0.5, attempt: 2), .retry(after: 1, attempt: 3),
            .retry(after: 2, attempt: 4), .retry(after: 4, attempt: 5),
        ])
    }

    @Test func retryAfterIsObeyedToTheMillisecond() {
        let jitter = ScriptedJitter([0.5])
        var retry = RetryScheduler(policy: RetryPolicy(maxRetries: 4), jitter: jitter)
        #expect(decisions(&retry, [rateLimited(after: 0.02), rateLimited(after: 1.234), unavailable]) == [
            .retry(after: 0.02, attempt: 2),
            .retry(after: 1.234, attempt: 3),
            // The server's waits drew no jitter; the backoff still counts the retries.
            .retry(after: 2 * (1 - 0.25 * 0.5), attempt: 4),
        ])
    }

    @Test func retryAfterAtTheCapIsHonouredAndAboveItFallsBackWithoutWaiting() {
        var atCap = RetryScheduler(jitter: ScriptedJitter([0]))
        #expect(atCap.decide(after: AttemptOutcome(rateLimited(after: 120)), at: 0) == .retry(after: 120, attempt: 2))

        var aboveCap = RetryScheduler(jitter: ScriptedJitter([0]))
        #expect(aboveCap.decide(after: AttemptOutcome(rateLimited(after: 120.001)), at: 0)
            == .fallBack(.retryAfterAboveCap(120.001)))
        #expect(aboveCap.attempts == 1)

        var customCap = RetryScheduler(policy: RetryPolicy(maxRetryAfter: 60), jitter: ScriptedJitter([0]))
        #expect(customCap.decide(after: AttemptOutcome(rateLimited(after: 61)), at: 0)
            == .fallBack(.retryAfterAboveCap(61)))
    }

    @Test func aRetryAfterOfZeroOrInThePastMeansBackoff() {
        var retry = RetryScheduler(jitter: ScriptedJitter([0]))
        #expect(decisions(&retry, [rateLimited(after: 0), rateLimited(after: -3)]) == [
            .retry(after: 0.5, attempt: 2), .retry(after: 1, attempt: 3),
        ])
    }

    @Test func retriesExhaustedComesBeforeTheCap() {
        var retry = RetryScheduler(policy: RetryPolicy(maxRetries: 0), jitter: ScriptedJitter([0]))
        #expect(retry.decide(after: AttemptOutcome(rateLimited(after: 500)), at: 0)
            == .giveUp(.retriesExhausted(attempts: 1)))
    }

    @Test func theDeadlineBoundsARetryStorm() {
        // Every attempt fails one second after it is sent; the call must be
        // over by t = 30. Waits 0.5, 1, 2, 4, 8, 8 (no jitter) fit; the next
        // 8 s wait would end at 38.5.
        var retry = RetryScheduler(
            policy: RetryPolicy(maxRetries: 100, jitter: 0), deadline: 30, jitter: ScriptedJitter([0]))
        var sentAt: [Double] = [0]
        var final: RetryDecision?
        while final == nil, sentAt.count < 100 {
            let failedAt = sentAt.last! + 1
            switch retry.decide(after: AttemptOutcome(unavailable), at: failedAt) {
            case .retry(let wait, _): sentAt.append(failedAt + wait)
            case let other: final = other
            }
        }
        #expect(sentAt == [0, 1.5, 3.5, 6.5, 11.5, 20.5, 29.5])
        #expect(final == .giveUp(.deadline))
        #expect(retry.attempts == 7)
    }

    @Test func aWaitEndingExactlyAtTheDeadlineIsNotScheduled() {
        var retry = RetryScheduler(policy: RetryPolicy(jitter: 0), deadline: 10.5, jitter: ScriptedJitter([0]))
        #expect(retry.decide(after: AttemptOutcome(unavailable), at: 10) == .giveUp(.deadline))
        var justInside = RetryScheduler(policy: RetryPolicy(jitter: 0), deadline: 10.5, jitter: ScriptedJitter([0]))
        #expect(justInside.decide(after: AttemptOutcome(unavailable), at: 9.999) == .retry(after: 0.5, attempt: 2))
    }

    @Test func aServerWaitPastTheDeadlineGivesUpRatherThanSleepingLess() {
        var retry = RetryScheduler(deadline: 100, jitter: ScriptedJitter([0]))
        #expect(retry.decide(after: AttemptOutcome(rateLimited(after: 90)), at: 20) == .giveUp(.deadline))
        #expect(retry.decide(after: AttemptOutcome(rateLimited(after: 79.999)), at: 20)
            == .retry(after: 79.999, attempt: 2))
    }
}
