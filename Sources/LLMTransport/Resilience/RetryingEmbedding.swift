// An embeddings call that retries as a plain chat call does (the SDKs'
// defaults: 2 retries with backoff, retry-after honoured): one
// EmbeddingExchange per attempt, the RetryScheduler deciding, the waits on
// the loop's timers. Embeddings do not stream, so there is nothing seen to
// protect and no state machine beyond the scheduler's.
import Foundation
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
    /// The largest response body an attempt may receive (max_response_bytes).
    public var maxBodyBytes = ResilienceConfig.defaultMaxResponseBytes
    /// Before each backoff wait (the wait indicator).
    public var onRetry: ((WaitInfo) -> Void)?
    /// Receives the call's record when it ends (the call log).
    public var onRecord: ((CallRecord) -> Void)?
    /// Every request sent so far (the call log's attempts).
    public private(set) var attemptLog: [AttemptRecord] = []
    private let startedAt = Date().timeIntervalSince1970
    private var callStart: Double?
    private var attemptStart = 0.0

    public init(provider: any ChatProvider, request: EmbeddingRequest, transport: any HTTPTransport, retry: RetryPolicy, seed: UInt64) {
        self.provider = provider
        self.request = request
        self.transport = transport
        scheduler = RetryScheduler(policy: retry, jitter: SplitMix64(seed: seed))
    }

    public var isDone: Bool { result != nil }

    public func start() {
        attempts += 1
        attemptStart = transport.loop.clock.now
        if callStart == nil { callStart = attemptStart }
        let e = EmbeddingExchange(provider: provider, request: request, transport: transport)
        e.maxBodyBytes = maxBodyBytes
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
        let now = transport.loop.clock.now
        attemptLog.append(AttemptRecord(route: provider.name, model: request.model, offset: attemptStart - (callStart ?? now),
                                        latency: now - attemptStart, status: exchange?.status,
                                        error: { if case .failure(let e) = outcome { e } else { nil } }()))
        switch outcome {
        case .success(var response):
            if response.usage.inputTokens == 0 { response.usage = UsageEstimate.embeddingUsage(request.inputs) }
            finish(.success(response))
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

    /// The call as the call log sees it, once it is over.
    public var record: CallRecord? {
        guard let result else { return nil }
        let response = try? result.get()
        let usage = response?.usage ?? Usage()
        let failure: LLMError? = if case .failure(let e) = result { e } else { nil }
        var r = CallRecord(provider: provider.name, model: request.model, attempts: attempts, hops: 0, queueWait: 0,
                           ttft: nil, latency: transport.loop.clock.now - (callStart ?? transport.loop.clock.now), usage: usage, cost: 0,
                           errorKind: failure?.kind)
        r.kind = .embedding
        r.responseModel = response?.model
        r.providerKind = provider.name
        r.error = failure
        r.startedAt = startedAt
        r.embedding = EmbeddingSummary(inputs: request.inputs, dimensions: request.dimensions ?? response?.vectors.first?.count)
        r.attemptLog = attemptLog
        return r
    }

    private func finish(_ outcome: Result<EmbeddingResponse, LLMError>) {
        result = outcome
        if let onRecord, let record { onRecord(record) }
        let done = onFinish
        onFinish = nil
        done?()
    }
}
