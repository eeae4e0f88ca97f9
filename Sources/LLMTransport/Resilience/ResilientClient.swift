// ResilientClient: a table of routes (a provider account + model each) and
// the calls made through them. Each route has its own circuit breaker, its
// own admission gate (configured caps, the provider's rate-limit headers, a
// 429's retry-after, the adaptive concurrency limit: RateLimiter) and its own
// retry budget, shared by every call that uses it. Calls are ResilientCalls on
// the loop; the client is the RouteBoard their state machines consult, and it
// wakes a route's queue when the gate lets the next call go.
import Foundation
import LLMCore
import LLMProviders

public final class ResilientClient {
    public var config: ResilienceConfig
    public var hooks = ResilienceHooks()
    /// Where requests go; the host may swap it between calls (a cassette).
    public var transport: any HTTPTransport
    private(set) var routes: [RouteState] = []
    public private(set) var stats = CallStats()
    /// Every call's record as it ends (for --log).
    public var onRecord: ((CallRecord) -> Void)?
    var jitter: SplitMix64

    public init(config: ResilienceConfig, transport: any HTTPTransport) {
        self.config = config
        self.transport = transport
        jitter = SplitMix64(seed: config.seed)
        for route in config.routes { routes.append(RouteState(route: route, config: config)) }
    }

    var loop: EventLoop { transport.loop }

    /// Adds a route (plain calls add one per provider endpoint + model as
    /// they meet it) and returns its index.
    public func addRoute(_ route: Route) -> Int {
        config.routes.append(route)
        routes.append(RouteState(route: route, config: config))
        return routes.count - 1
    }

    /// New retry and concurrency settings (llm.configure for plain calls):
    /// calls from now on use them, on every route.
    public func apply(retry: RetryPolicy, timeouts: Timeouts, concurrency: ConcurrencyPolicy) {
        config.retry = retry
        config.timeouts = timeouts
        if config.concurrency != concurrency {
            config.concurrency = concurrency
            for r in routes { r.limiter.reconfigure(concurrency: concurrency) }
        }
        for r in routes where r.budget?.policy != retry.budget {
            r.budget = retry.budget.map { RetryBudget(policy: $0) }
        }
    }

    /// The index of the route with this name and model, if any.
    public func routeIndex(named name: String, model: String) -> Int? {
        routes.firstIndex { $0.route.name == name && $0.route.model == model }
    }

    /// Starts a call over `chain` (route indices, in order; all routes when
    /// nil); `onEvent` sees stream events and retry/fallback/wait notices.
    public func chat(_ request: ChatRequest, stream: Bool = true, priority: Int = 0, chain: [Int]? = nil,
                     onEvent: @escaping (ResilientEvent) -> Void = { _ in }) -> ResilientCall {
        let call = ResilientCall(client: self, request: request, stream: stream, priority: priority,
                                 chain: chain ?? Array(routes.indices), records: true, onEvent: onEvent)
        call.start()
        return call
    }

    public func breakerState(_ name: String) -> BreakerState? {
        routes.first { $0.route.name == name }?.breaker.state
    }

    /// A 429's wait on the named route, if one is running.
    public func limitedUntil(_ name: String) -> Double? {
        routes.first { $0.route.name == name }?.limiter.limitedUntil
    }

    public func resetBreaker(_ name: String) -> Bool {
        guard let route = routes.first(where: { $0.route.name == name }) else { return false }
        route.breaker.reset()
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

    /// Each route's gate as `stats()` shows it.
    public var routeGauges: [RouteGauge] {
        routes.map { r in
            RouteGauge(name: r.route.name, model: r.route.model, concurrencyLimit: r.limiter.concurrency.limit,
                       inFlight: r.limiter.inFlight, queued: r.limiter.waiting,
                       retriesInWindow: r.budget?.retriesInWindow ?? 0, callsInWindow: r.budget?.callsInWindow ?? 0)
        }
    }

    func record(_ r: CallRecord) {
        stats.add(r)
        onRecord?(r)
    }

    func price(for model: String) -> ModelPrice? {
        if let p = config.prices[model] { return p }
        // Dated snapshots ("claude-sonnet-4-5-20250929") share their family's price.
        return config.prices.filter { model.hasPrefix($0.key) }.max { $0.key.count < $1.key.count }?.value
    }

    func nextJitterSeed() -> UInt64 { jitter.next() }

    // MARK: Route gates

    /// Queues a call at a route; `admitted` runs when it may send (now or
    /// later), `waiting` when it has to wait. nil with an error: refused.
    func enqueue(route index: Int, estimate: Int, output: Int, priority: Int, quiet: Bool, waiting: @escaping (WaitInfo) -> Void,
                 admitted: @escaping () -> Void) -> Result<ReservationID, LLMError> {
        let r = routes[index]
        let now = loop.clock.now
        switch r.limiter.reserve(estimatedTokens: estimate, outputTokens: output, priority: priority, at: now) {
        case .granted(let id):
            admitted()
            return .success(id)
        case .wait(let id, let until, let reason):
            r.waiters[id] = (admitted, waiting)
            // Waiting for a slot is ordinary flow control (llm.map's surplus), not worth a notice.
            if reason != .concurrency && !quiet { waiting(waitInfo(r, until: until, reason: reason, now: now, position: r.limiter.waiting)) }
            arm(index)
            return .success(id)
        case .rejected:
            return .failure(LLMError(.queueFull, "the queue of \(r.route.name) is full (\(r.limiter.policy.queueLimit) waiting)", provider: r.route.name))
        }
    }

    /// The call no longer wants its reservation: out of the queue, or, if it
    /// was granted meanwhile, its slot back.
    func leave(route index: Int, _ id: ReservationID) {
        let r = routes[index]
        r.waiters.removeValue(forKey: id)
        if !r.limiter.cancel(id) { r.limiter.release(id, sample: .neutral, actualTokens: 0, at: loop.clock.now) }
        wake(index)
    }

    func recordCall(route index: Int) {
        routes[index].budget?.recordCall(at: loop.clock.now)
    }

    /// The provider's rate-limit headers on the answer to `id`.
    func observe(_ head: HTTPResponseHead, route index: Int, _ id: ReservationID) {
        guard let report = RateLimitReport(head: head, wallNow: Date().timeIntervalSince1970) else { return }
        routes[index].limiter.observe(report, for: id, at: loop.clock.now)
        wake(index)  // the provider may have said there is room now
    }

    /// An attempt ended: the route's breaker, limiter and stats learn how.
    func report(_ report: AttemptReport, _ id: ReservationID?) {
        let r = routes[report.route]
        let now = loop.clock.now
        r.breaker.record(report.breaker, at: now)
        if let id { r.limiter.release(id, sample: report.congestion, actualTokens: report.tokens, at: now) }
        if let until = report.limitedUntil {
            r.limiter.limit(until: until)
            // Everyone queued behind the route now waits for the 429 too: say so.
            for (position, (_, waiter)) in r.waiters.values.enumerated() {
                waiter(waitInfo(r, until: until, reason: .rateLimited, now: now, position: position + 1))
            }
        }
        if report.error != .cancelled { stats.addAttempt(provider: r.route.name, failed: report.error) }
        wake(report.route)
    }

    /// A queue wait as the script sees it (the retry settings as they are now).
    private func waitInfo(_ r: RouteState, until: Double, reason: Reservation.WaitReason, now: Double, position: Int) -> WaitInfo {
        WaitInfo(reason: .rateLimit, seconds: max(0, until - now), provider: r.route.name, attempt: 1,
                 maxAttempts: config.retry.maxRetries + 1, error: nil, position: position, cause: reason, queued: r.limiter.waiting)
    }

    /// Admits what the route's gate allows now, then sleeps until it allows more.
    private func wake(_ index: Int) {
        let r = routes[index]
        let admitted = r.limiter.admit(at: loop.clock.now)
        for id in admitted {
            if let waiter = r.waiters.removeValue(forKey: id) {
                waiter.admitted()
            } else {
                r.limiter.release(id, sample: .neutral, actualTokens: 0, at: loop.clock.now)  // its call is gone
            }
        }
        arm(index)
    }

    private func arm(_ index: Int) {
        let r = routes[index]
        if let t = r.timer { loop.cancelTimer(t) }
        r.timer = nil
        guard let next = r.limiter.nextWakeup() else { return }
        r.timer = loop.schedule(after: max(0, next - loop.clock.now)) { [weak self] in
            r.timer = nil
            self?.wake(index)
        }
    }
}

extension ResilientClient: RouteBoard {
    public func verdict(route index: Int, at now: Double) -> RouteVerdict {
        let r = routes[index]
        // Before the breaker: a half-open breaker's probe is taken only by a call that goes on.
        if let until = r.limiter.limitedUntil, until > now, case .closed = r.breaker.state { return .limited(until: until) }
        switch r.breaker.canPass(at: now) {
        case .allowed:
            return .open
        case .rejected(let retryAt, _):
            return .breakerOpen(until: retryAt)
        }
    }

    public func isHealthy(route index: Int, at now: Double) -> Bool {
        let r = routes[index]
        guard case .closed = r.breaker.state else { return false }
        return (r.limiter.limitedUntil ?? now) <= now
    }

    public func spendRetry(route index: Int, at now: Double) -> Bool {
        routes[index].budget?.spend(at: now) ?? true
    }
}

/// One route's shared state (a class: every call on the route mutates it).
final class RouteState {
    let route: Route
    var breaker: CircuitBreaker
    var limiter: RateLimiter
    var budget: RetryBudget?
    var waiters: [ReservationID: (admitted: () -> Void, waiting: (WaitInfo) -> Void)] = [:]
    var timer: TimerID?

    init(route: Route, config: ResilienceConfig) {
        self.route = route
        breaker = CircuitBreaker(policy: config.breaker)
        limiter = RateLimiter(policy: config.rate ?? RateLimitPolicy(), concurrency: config.concurrency)
        budget = config.retry.budget.map { RetryBudget(policy: $0) }
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
    /// The attempt whose events came so far was cut before the script saw
    /// any of its content: drop what is not read yet, it starts over.
    case discardUnseen
}
