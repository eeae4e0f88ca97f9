// Which failures RetryScheduler retries: statuses, kinds, the server's
// `x-should-retry` verdict both ways, kinds that nothing can make retryable,
// and failures after content reached the script (StreamRecovery).
import LLMCore
import Testing

@Suite struct RetryClassificationTests {
    func decide(_ outcome: AttemptOutcome, policy: RetryPolicy = RetryPolicy()) -> RetryDecision {
        var retry = RetryScheduler(policy: policy, jitter: ScriptedJitter([0]))
        return retry.decide(after: outcome, at: 0)
    }

    func decide(_ error: LLMError, header: String? = nil) -> RetryDecision {
        let head = HTTPResponseHead(status: error.status ?? 200, headers: header.map { ["x-should-retry": $0] } ?? [:])
        return decide(AttemptOutcome(error, head: head))
    }

    /// The kind the providers give each status (ErrorClassification).
    func error(status: Int) -> LLMError {
        let kind: LLMError.Kind = switch status {
        case 401, 403: .auth
        case 404: .notFound
        case 408: .timeout
        case 429: .rateLimited
        case 529: .overloaded
        case 409, 500...: .server
        default: .invalidRequest
        }
        return LLMError(kind, "status \(status)", status: status)
    }

    @Test(arguments: [408, 409, 429, 500, 502, 503, 504, 529])
    func retryableStatuses(_ status: Int) {
        #expect(decide(error(status: status)) == .retry(after: 0.5, attempt: 2))
    }

    @Test(arguments: [400, 401, 403, 404, 413, 422, 501, 505])
    func statusesThatNeverRetry(_ status: Int) {
        let error = error(status: status)
        #expect(decide(error) == .giveUp(.notRetryable(error.kind)))
    }

    // bad_response: a malformed reply is the provider's fault (issue 10).
    @Test(arguments: [LLMError.Kind.network, .timeout, .overloaded, .rateLimited, .server, .badResponse])
    func retryableKindsWithoutAStatus(_ kind: LLMError.Kind) {
        #expect(decide(LLMError(kind, "no response")) == .retry(after: 0.5, attempt: 2))
    }

    @Test(arguments: LLMError.Kind.allCases.filter {
        ![.network, .timeout, .overloaded, .rateLimited, .server, .badResponse].contains($0)
    })
    func everyOtherKindNeverRetries(_ kind: LLMError.Kind) {
        #expect(decide(LLMError(kind, "no")) == .giveUp(.notRetryable(kind)))
    }

    @Test func anErrorEventInsideA200StreamIsJudgedByItsKind() {
        #expect(decide(LLMError(.overloaded, "overloaded_error", status: 200)) == .retry(after: 0.5, attempt: 2))
        #expect(decide(LLMError(.invalidRequest, "bad", status: 200)) == .giveUp(.notRetryable(.invalidRequest)))
    }

    @Test func insufficientQuotaIsA429ThatNeverRetries() {
        // OpenAIErrors maps `insufficient_quota` to budget_exceeded and keeps the 429.
        let quota = LLMError(.budgetExceeded, "You exceeded your current quota", status: 429, providerCode: "insufficient_quota")
        #expect(decide(quota) == .giveUp(.notRetryable(.budgetExceeded)))
        #expect(decide(quota, header: "true") == .giveUp(.notRetryable(.budgetExceeded)))
    }

    @Test func contextLengthNeverRetriesEvenWhenTheServerSaysSo() {
        let tooLong = LLMError(.contextLength, "prompt is too long", status: 400)
        #expect(decide(tooLong, header: "true") == .giveUp(.notRetryable(.contextLength)))
    }

    @Test func xShouldRetryTrueOverridesTheStatus() {
        #expect(decide(error(status: 400), header: "true") == .retry(after: 0.5, attempt: 2))
        #expect(decide(error(status: 401), header: "true") == .retry(after: 0.5, attempt: 2))
        #expect(decide(error(status: 501), header: "TRUE") == .retry(after: 0.5, attempt: 2))
    }

    @Test func xShouldRetryFalseOverridesTheStatus() {
        #expect(decide(error(status: 503), header: "false") == .giveUp(.serverSaidNo))
        #expect(decide(error(status: 429), header: "false") == .giveUp(.serverSaidNo))
        #expect(decide(LLMError(.overloaded, "busy", status: 529), header: "False") == .giveUp(.serverSaidNo))
    }

    @Test func anyOtherXShouldRetryValueIsIgnored() {
        #expect(decide(error(status: 503), header: "maybe") == .retry(after: 0.5, attempt: 2))
        #expect(decide(error(status: 400), header: "1") == .giveUp(.notRetryable(.invalidRequest)))
        #expect(AttemptOutcome(error(status: 503), head: nil).serverSaysRetry == nil)
    }

    @Test func aStreamThatFailsAfterContentFailsByDefault() {
        let midStream = AttemptOutcome(LLMError(.network, "connection reset"), contentDelivered: true)
        #expect(decide(midStream) == .giveUp(.contentDelivered))
    }

    @Test(arguments: [StreamRecovery.restart, .continue])
    func restartAndContinueRetryAfterContent(_ recovery: StreamRecovery) {
        let midStream = AttemptOutcome(LLMError(.overloaded, "overloaded_error"), contentDelivered: true)
        #expect(decide(midStream, policy: RetryPolicy(streamRecovery: recovery)) == .retry(after: 0.5, attempt: 2))
        let fatal = AttemptOutcome(LLMError(.contextLength, "too long"), contentDelivered: true)
        #expect(decide(fatal, policy: RetryPolicy(streamRecovery: recovery)) == .giveUp(.notRetryable(.contextLength)))
    }

    @Test func aConfiguredStatusSetReplacesTheDefault() {
        let policy = RetryPolicy(retryableStatuses: [503])
        #expect(decide(AttemptOutcome(error(status: 429)), policy: policy) == .giveUp(.notRetryable(.rateLimited)))
        #expect(decide(AttemptOutcome(error(status: 503)), policy: policy) == .retry(after: 0.5, attempt: 2))
    }
}
