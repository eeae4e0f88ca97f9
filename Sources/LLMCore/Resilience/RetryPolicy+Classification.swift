// Is a failure worth another attempt? The order follows the SDKs'
// `_should_retry` (openai-python and anthropic-sdk-python `_base_client.py`):
// the server's `x-should-retry` header first, then the status (408, 409, 429,
// 5xx). Two refinements come before the header: kinds the provider derived
// from the error body against the status (a 429 `insufficient_quota` is
// `budget_exceeded`; a 400 that overflows the window is `context_length`),
// because waiting cannot fix them, and kinds Moonwire raises itself, which no
// server has a say in. Without a status (connection errors, timeouts, error
// events in a 200 stream) the kind decides.

extension RetryPolicy {
    /// Never retried, whatever the status or header says.
    static let neverRetriedKinds = Set<LLMError.Kind>([.budgetExceeded, .contextLength]).union(moonwireKinds)

    /// Kinds Moonwire raises itself: no server, and no script hook, has a say.
    static let moonwireKinds: Set<LLMError.Kind> = [
        .cancelled, .config, .breakerOpen, .queueFull, .allFailed, .replayMismatch, .maxSteps, .script,
    ]

    /// nil when the failure may be retried, else why not.
    public func refusal(for outcome: AttemptOutcome) -> RetryDecision.GiveUpReason? {
        let error = outcome.error
        if Self.neverRetriedKinds.contains(error.kind) { return .notRetryable(error.kind) }
        switch outcome.serverSaysRetry {
        case true?: return nil
        case false?: return .serverSaidNo
        case nil: break
        }
        // A status outside 4xx/5xx (a 200 stream carrying an error event)
        // says nothing about the failure, so the kind decides.
        if let status = error.status, (400..<600).contains(status) {
            return retryableStatuses.contains(status) ? nil : .notRetryable(error.kind)
        }
        return retryableKinds.contains(error.kind) ? nil : .notRetryable(error.kind)
    }
}
