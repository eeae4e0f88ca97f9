// An embeddings call that retries as a plain chat call does (the SDKs'
// defaults: 2 retries with backoff, retry-after honoured): one
// EmbeddingExchange per attempt, the RetryScheduler deciding, the waits on
// the loop's timers. Embeddings do not stream, so there is nothing seen to
// protect and no state machine beyond the scheduler's.
import LLMCore
import LLMProviders

public final class RetryingEmbedding {
    private let provider: any ChatProvider
    private let request: EmbeddingRequest
    private let transport: any HTTPTransport
    private var scheduler: RetryScheduler
    private var exchange: EmbeddingExchange?
    private var backoff: TimerID?
    public private(set) var result: Result<EmbeddingResponse, LLMError>?
    public private(set) var attempts = 0
    public var onFinish: (() -> Void)?
    /// Before each backoff wait (the wait indicator).
    public var onRetry: ((WaitInfo) -> Void)?

    public init(provider: any ChatProvider, request: EmbeddingRequest, transport: any HTTPTransport, retry: RetryPolicy, seed: UInt64) {
        self.provider = provider
        self.request = request
        self.transport = transport
        scheduler = RetryScheduler(policy: retry, jitter: SplitMix64(seed: seed))
    }

    public var isDone: Bool { result != nil }

    public func start() {
        attempts += 1
        let e = EmbeddingExchange(provider: provider, request: request, transport: transport)
        e.onFinish = { [weak self, weak e] in
            guard let self, let e, let outcome = e.result else { return }
            self.ended(outcome)
        }
        exchange = e
        e.start()
    }

    public func cancel(_ error: LLMError = LLMError(.cancelled, "cancelled")) {
        guard result == nil else { return }
        if let backoff { transport.loop.cancelTimer(backoff) }
        finish(.failure(error))
        exchange?.cancel(error)
    }

    private func ended(_ outcome: Result<EmbeddingResponse, LLMError>) {
        guard result == nil else { return }
        switch outcome {
        case .success:
            finish(outcome)
        case .failure(var error):
            error.attempts = attempts
            guard case .retry(let wait, let attempt) = scheduler.decide(after: AttemptOutcome(error), at: transport.loop.clock.now) else {
                return finish(.failure(error))
            }
            onRetry?(WaitInfo(reason: .backoff, seconds: wait, provider: provider.name, attempt: attempt,
                              maxAttempts: scheduler.policy.maxRetries + 1, error: error))
            backoff = transport.loop.schedule(after: wait) { [weak self] in
                self?.backoff = nil
                self?.start()
            }
        }
    }

    private func finish(_ outcome: Result<EmbeddingResponse, LLMError>) {
        result = outcome
        let done = onFinish
        onFinish = nil
        done?()
    }
}
