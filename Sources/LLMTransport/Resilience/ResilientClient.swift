// ResilientClient: providers in order, each behind a circuit breaker, all
// behind one rate limiter, with retries, timeouts, fallback, a budget and
// metrics. State lives here; each call is a ResilientCall on the loop.
import LLMCore
import LLMProviders

public final class ResilientClient {
    public let config: ResilienceConfig
    public var hooks = ResilienceHooks()
    let transport: any HTTPTransport
    var breakers: [String: CircuitBreaker] = [:]
    var limiter: RateLimiter?
    var limiterTimer: TimerID?
    var limiterWaiters: [ReservationID: () -> Void] = [:]
    public private(set) var stats = CallStats()
    public private(set) var records: [CallRecord] = []
    /// Every call's record as it ends (for --log).
    public var onRecord: ((CallRecord) -> Void)?
    var jitter: SplitMix64

    public init(config: ResilienceConfig, transport: any HTTPTransport) {
        self.config = config
        self.transport = transport
        limiter = config.rate.map { RateLimiter(policy: $0) }
        jitter = SplitMix64(seed: config.seed)
        for route in config.routes where breakers[route.breakerKey] == nil {
            breakers[route.breakerKey] = CircuitBreaker(policy: config.breaker)
        }
    }

    var loop: EventLoop { transport.loop }

    /// Starts a call; `onEvent` sees stream events and retry/fallback/wait notices.
    public func chat(_ request: ChatRequest, stream: Bool = true, priority: Int = 0, onEvent: @escaping (ResilientEvent) -> Void = { _ in }) -> ResilientCall {
        let call = ResilientCall(client: self, request: request, stream: stream, onEvent: onEvent)
        call.priority = priority
        call.start()
        return call
    }

    public func breakerState(_ name: String) -> (state: BreakerState, limitedUntil: Double?)? {
        guard let route = config.routes.first(where: { $0.name == name }), let b = breakers[route.breakerKey] else { return nil }
        return (b.state, b.limitedUntil)
    }

    public func resetBreaker(_ name: String) -> Bool {
        guard let route = config.routes.first(where: { $0.name == name }) else { return false }
        breakers[route.breakerKey]?.reset()
        return true
    }

    /// Spent so far, against the budget.
    public var budgetExceeded: String? {
        if let usd = config.budget.usd, stats.totalCost >= usd {
            return "spent $\(String(format: "%.4f", stats.totalCost)) of a $\(usd) budget"
        }
        if let tokens = config.budget.tokens, stats.totalTokens >= tokens {
            return "used \(stats.totalTokens) of a \(tokens)-token budget"
        }
        return nil
    }

    func recordAttempt(_ provider: String, failed: LLMError.Kind?) {
        stats.addAttempt(provider: provider, failed: failed)
    }

    func record(_ r: CallRecord) {
        stats.add(r)
        records.append(r)
        onRecord?(r)
    }

    func price(for model: String) -> ModelPrice? {
        if let p = config.prices[model] { return p }
        // Dated snapshots ("claude-sonnet-4-5-20250929") share their family's price.
        return config.prices.filter { model.hasPrefix($0.key) }.max { $0.key.count < $1.key.count }?.value
    }

    func nextJitterSeed() -> UInt64 { jitter.next() }

    // MARK: Rate limiter

    /// Reserves capacity; `go` runs when granted (now or after a wait).
    func reserve(tokens: Int, priority: Int, waiting: (Double, Reservation.WaitReason, Int) -> Void, go: @escaping () -> Void) -> (ReservationID?, LLMError?) {
        guard var l = limiter else { go(); return (nil, nil) }
        let now = loop.clock.now
        let r = l.reserve(estimatedTokens: tokens, priority: priority, at: now)
        limiter = l
        switch r {
        case .granted(let id):
            go()
            return (id, nil)
        case .wait(let id, let until, let reason):
            limiterWaiters[id] = go
            waiting(until - now, reason, l.waiting)
            armLimiter()
            return (id, nil)
        case .rejected:
            return (nil, LLMError(.queueFull, "the rate-limit queue is full (\(l.policy.queueLimit) waiting)"))
        }
    }

    func cancelReservation(_ id: ReservationID) {
        limiterWaiters.removeValue(forKey: id)
        _ = limiter?.cancel(id)
        armLimiter()
    }

    func reconcile(_ id: ReservationID, tokens: Int) {
        _ = limiter?.reconcile(id, actualTokens: tokens, at: loop.clock.now)
        armLimiter()
    }

    private func armLimiter() {
        if let t = limiterTimer { loop.cancelTimer(t) }
        limiterTimer = nil
        guard let next = limiter?.nextWakeup() else { return }
        limiterTimer = loop.schedule(after: max(0, next - loop.clock.now)) { [weak self] in
            guard let self, var l = self.limiter else { return }
            self.limiterTimer = nil
            let admitted = l.admit(at: self.loop.clock.now)
            self.limiter = l
            for id in admitted { self.limiterWaiters.removeValue(forKey: id)?() }
            self.armLimiter()
        }
    }
}

public enum ResilientEvent {
    case stream(StreamEvent)
    case retry(WaitInfo)
    case fallback(FallbackInfo)
    case rateWait(WaitInfo)
    /// A stream cut after content was recovered (restart or continue).
    case recovered(provider: String, mode: StreamRecovery, partialText: String)
    /// No token from `from` after hedge_after: `to` got the same request too.
    case hedge(from: String, to: String)
}
