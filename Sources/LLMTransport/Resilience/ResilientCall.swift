// ResilientCall: one call through the client's providers. For each provider:
// breaker check, rate limiter, attempts with timeouts, retry decisions; then
// the next provider, until an answer, a final error, or the deadline.
import Foundation
import LLMCore
import LLMProviders

public final class ResilientCall {
    unowned let client: ResilientClient
    let request: ChatRequest
    let stream: Bool
    /// Higher goes first in the rate-limit queue.
    public var priority = 0
    let onEvent: (ResilientEvent) -> Void

    public private(set) var result: Result<ChatResponse, LLMError>?
    /// The route that answered (or failed last).
    public private(set) var routeName: String?
    public private(set) var attempts = 0
    private var routeIndex = 0
    private var hops = 0
    private var lastErrors: [(String, LLMError)] = []
    private var scheduler: RetryScheduler?
    private var exchange: ChatExchange?
    private var reservation: ReservationID?
    private var timers: [TimerID] = []
    private var deadlineTimer: TimerID?
    private var started = 0.0
    private var queueWait = 0.0
    private var firstTokenAt: Double?
    /// Text already delivered by an attempt that was cut (for `continue`).
    private var carriedText = ""
    private var hookError: LLMError?
    /// Where the call starts in the provider list (a hedge starts further on).
    private var firstRoute = 0
    /// This call is another call's hedge: it records nothing itself.
    private var isHedge = false
    private var hedge: ResilientCall?
    private var hedgeTimer: TimerID?
    /// The hedge took over: its events and outcome are this call's.
    private var hedgeWon = false
    /// The hedge's events before it won (or lost).
    private var hedgeBuffer: [ResilientEvent] = []

    init(client: ResilientClient, request: ChatRequest, stream: Bool, onEvent: @escaping (ResilientEvent) -> Void) {
        self.client = client
        self.request = request
        self.stream = stream
        self.onEvent = onEvent
    }

    public var isDone: Bool { result != nil }
    /// Called once when the call ends, after `result` is set.
    public var onFinish: (() -> Void)?
    private var loop: EventLoop { client.loop }
    private var now: Double { loop.clock.now }

    func start() {
        started = now
        if let why = client.budgetExceeded {
            finish(.failure(LLMError(.budgetExceeded, "budget exceeded: \(why)")))
            return
        }
        if let deadline = client.config.timeouts.deadline {
            deadlineTimer = loop.schedule(after: deadline) { [weak self] in
                self?.fail(LLMError(.timeout, "deadline of \(Self.seconds(deadline)) reached (all attempts, waits and fallbacks)"), final: true)
            }
        }
        routeIndex = firstRoute
        if !isHedge, let after = client.config.hedgeAfter, firstRoute + 1 < client.config.routes.count {
            hedgeTimer = loop.schedule(after: after) { [weak self] in self?.startHedge() }
        }
        tryRoute()
    }

    /// Stops the call (the script's Ctrl-C or a Lua error).
    public func cancel(_ error: LLMError = LLMError(.cancelled, "cancelled")) {
        fail(error, final: true)
    }

    // MARK: Routes

    private var route: Route { client.config.routes[routeIndex] }

    private func tryRoute() {
        guard result == nil else { return }
        guard routeIndex < client.config.routes.count else {
            if lastErrors.count == 1, let only = lastErrors.first { return finish(.failure(only.1)) }
            let summary = lastErrors.map { "\($0.0): \($0.1.kind.rawValue)\($0.1.status.map { " (\($0))" } ?? ""): \($0.1.message)" }
            return finish(.failure(LLMError(.allFailed, "every provider failed — " + summary.joined(separator: "; "), attempts: attempts)))
        }
        routeName = route.name
        let key = route.breakerKey
        switch client.breakers[key]!.canPass(at: now) {
        case .allowed:
            scheduler = RetryScheduler(policy: client.config.retry, deadline: client.config.timeouts.deadline.map { started + $0 },
                                       jitter: SplitMix64(seed: client.nextJitterSeed()))
            attempt()
        case .rejected(let retryAt, let reason):
            let wait = retryAt.map { " for \(Self.seconds($0 - now))" } ?? ""
            let kind: LLMError.Kind = reason == .rateLimited ? .rateLimited : .breakerOpen
            let what = reason == .rateLimited ? "rate limited\(wait)" : "circuit breaker open\(wait)"
            moveOn(after: LLMError(kind, "\(route.name) skipped: \(what)", provider: route.name))
        }
    }

    private func moveOn(after error: LLMError) {
        lastErrors.append((route.name, error))
        let from = route.name
        routeIndex += 1
        if routeIndex < client.config.routes.count {
            hops += 1
            let info = FallbackInfo(from: from, to: client.config.routes[routeIndex].name, error: error)
            guard runHook({ try client.hooks.onFallback?(info) }) else { return }
            onEvent(.fallback(info))
        }
        tryRoute()
    }

    // MARK: Attempts

    private func attempt() {
        guard result == nil, !hedgeWon else { return }
        let estimate = Self.estimateTokens(request)
        let queuedAt = now
        let (id, error) = client.reserve(tokens: estimate, priority: priority, waiting: { [self] wait, _, position in
            let info = WaitInfo(reason: .rateLimit, seconds: wait, provider: route.name, attempt: attempts + 1,
                                maxAttempts: client.config.retry.maxRetries + 1, error: nil, position: position)
            _ = runHook({ try client.hooks.onWait?(info) })
            onEvent(.rateWait(info))
        }, go: { [weak self] in
            guard let self, self.result == nil, !self.hedgeWon else { return }
            self.queueWait += self.now - queuedAt
            self.send()
        })
        reservation = id
        if let error { fail(error, final: true) }
    }

    private func send() {
        attempts += 1
        var req = request
        req.model = route.model
        if client.config.retry.streamRecovery == .continue && !carriedText.isEmpty {
            // Ask the next attempt to go on from what the script already has.
            req.messages.append(Message(role: .assistant, text: carriedText))
        }
        let exchange = ChatExchange(provider: route.provider, request: req, stream: stream, transport: client.transport) { [weak self] event in
            self?.received(event)
        }
        exchange.onHead = { [weak self] _ in self?.headArrived() }
        exchange.onFinish = { [weak self] outcome in self?.attemptEnded(outcome) }
        self.exchange = exchange
        let t = client.config.timeouts
        if let connect = t.connect { arm(connect, LLMError(.timeout, "no response from \(route.name) within \(Self.seconds(connect)) (connect)")) }
        if let first = t.firstToken { arm(first, LLMError(.timeout, "no first token from \(route.name) within \(Self.seconds(first))"), tag: .firstToken) }
        exchange.start()
    }

    private enum TimerTag { case connect, firstToken, idle }
    private var tagged: [TimerTag: TimerID] = [:]

    private func arm(_ seconds: Double, _ error: LLMError, tag: TimerTag = .connect) {
        if let old = tagged[tag] { loop.cancelTimer(old) }
        tagged[tag] = loop.schedule(after: seconds) { [weak self] in
            guard let self, let exchange = self.exchange, !exchange.isDone else { return }
            var e = error
            e.provider = self.route.name
            exchange.cancel(e)
        }
    }

    private func disarm(_ tag: TimerTag) {
        if let t = tagged.removeValue(forKey: tag) { loop.cancelTimer(t) }
    }

    private func headArrived() { disarm(.connect) }

    private func received(_ event: StreamEvent) {
        guard result == nil, !hedgeWon else { return }
        if event.isContent {
            dropHedge()
            disarm(.connect)
            disarm(.firstToken)
            if firstTokenAt == nil { firstTokenAt = now }
            if let idle = client.config.timeouts.idle {
                arm(idle, LLMError(.timeout, "\(route.name) sent nothing for \(Self.seconds(idle)) (idle)"), tag: .idle)
            }
        }
        onEvent(.stream(event))
    }

    private func attemptEnded(_ outcome: Result<ChatResponse, LLMError>) {
        for tag in [TimerTag.connect, .firstToken, .idle] { disarm(tag) }
        guard result == nil, !hedgeWon else { return }
        let exchange = self.exchange!
        switch outcome {
        case .success(var response):
            client.recordAttempt(route.name, failed: nil)
            client.breakers[route.breakerKey]!.record(.success, at: now)
            if let id = reservation { client.reconcile(id, tokens: response.usage.inputTokens + response.usage.outputTokens) }
            if !carriedText.isEmpty, client.config.retry.streamRecovery == .continue {
                response.message.content.insert(.text(carriedText), at: 0)
                response.message = Self.mergingText(response.message)
            }
            finish(.success(response))
        case .failure(var error):
            if error.provider == nil { error.provider = route.name }
            if let id = reservation { client.reconcile(id, tokens: 0) }
            client.recordAttempt(route.name, failed: error.kind)
            recordBreaker(error)
            if hedge != nil {
                // The hedge already covers the providers after this one: it carries on alone.
                lastErrors.append((route.name, error))
                hedgeTakesOver()
                return
            }
            decide(after: error, exchange: exchange)
        }
    }

    private func recordBreaker(_ error: LLMError) {
        let outcome: BreakerOutcome
        switch error.kind {
        case .rateLimited: outcome = .rateLimited(until: now + (error.retryAfter ?? 1))
        case .server, .overloaded, .network, .timeout, .badResponse: outcome = .failure
        default: outcome = .neutral
        }
        client.breakers[route.breakerKey]!.record(outcome, at: now)
    }

    private func decide(after error: LLMError, exchange: ChatExchange) {
        var decision = scheduler!.decide(after: AttemptOutcome(error, head: exchange.responseHead, contentDelivered: exchange.deliveredContent), at: now)
        if let hook = client.hooks.shouldRetry {
            var verdict: Bool?
            guard runHook({ verdict = try hook(error, attempts) }) else { return }
            if verdict == false, case .retry = decision { decision = .giveUp(.serverSaidNo) }
            if verdict == true, case .giveUp(.notRetryable) = decision {
                decision = .retry(after: client.config.retry.backoff(retriesTaken: attempts - 1, unit: 0.5), attempt: attempts + 1)
            }
        }
        if exchange.deliveredContent {
            let partial = exchange.partialResponse.text
            switch client.config.retry.streamRecovery {
            case .fail: return fail(error, final: true)
            case .restart: carriedText = ""
            case .continue: carriedText += partial
            }
            onEvent(.recovered(provider: route.name, mode: client.config.retry.streamRecovery, partialText: partial))
        }
        switch decision {
        case .retry(let wait, let attempt):
            // A healthy provider behind this one beats waiting here.
            if wait > 0, nextHealthyRoute() != nil {
                return moveOn(after: withAttempts(error))
            }
            let info = WaitInfo(reason: .backoff, seconds: wait, provider: route.name, attempt: attempt,
                                maxAttempts: client.config.retry.maxRetries + 1, error: error, position: nil)
            guard runHook({ try client.hooks.onRetry?(info) }) else { return }
            onEvent(.retry(info))
            timers.append(loop.schedule(after: wait) { [weak self] in self?.attempt() })
        case .fallBack:
            moveOn(after: withAttempts(error))
        case .giveUp(let reason):
            switch reason {
            case .notRetryable(let kind) where ![.contextLength, .overloaded, .auth, .notFound].contains(kind):
                fail(withAttempts(error), final: true)
            case .deadline:
                fail(withAttempts(error), final: true)
            case .serverSaidNo, .contentDelivered:
                fail(withAttempts(error), final: true)
            default:
                moveOn(after: withAttempts(error))
            }
        }
    }

    private func nextHealthyRoute() -> Int? {
        var i = routeIndex + 1
        while i < client.config.routes.count {
            let key = client.config.routes[i].breakerKey
            if case .closed = client.breakers[key]!.state, client.breakers[key]!.limitedUntil.map({ $0 <= now }) ?? true { return i }
            i += 1
        }
        return nil
    }

    private func withAttempts(_ error: LLMError) -> LLMError {
        var e = error
        e.attempts = attempts
        return e
    }

    /// Runs a Lua hook; a hook that throws fails the call with its error.
    private func runHook(_ body: () throws -> Void) -> Bool {
        do {
            try body()
            return true
        } catch {
            hookError = (error as? LLMError) ?? LLMError(.cancelled, "a hook raised an error: \(error)")
            hookFailure = error
            fail(hookError!, final: true)
            return false
        }
    }

    /// The hook's own error (a Lua error with its traceback), for the Lua layer to raise.
    public private(set) var hookFailure: (any Error)?

    private func fail(_ error: LLMError, final: Bool) {
        guard result == nil else { return }
        let running = exchange
        if let id = reservation, running == nil { client.cancelReservation(id) }
        // Finish first: the exchange's own end (from cancel) then finds the call over.
        finish(.failure(withAttempts(error)))
        running?.cancel(error)
    }

    private func finish(_ outcome: Result<ChatResponse, LLMError>) {
        guard result == nil else { return }
        result = outcome
        if let t = hedgeTimer { loop.cancelTimer(t) }
        hedgeTimer = nil
        if let h = hedge, h.result == nil {
            // The call ended without its hedge (a deadline, the script's cancel, or this call won).
            hedge = nil
            hedgeBuffer = []
            h.onFinish = nil
            h.cancel(outcome.failureError ?? LLMError(.cancelled, "\(h.route.name) lost to \(route.name)"))
        }
        for t in timers { loop.cancelTimer(t) }
        for t in tagged.values { loop.cancelTimer(t) }
        if let t = deadlineTimer { loop.cancelTimer(t) }
        let routeNow = routeIndex < client.config.routes.count ? route : client.config.routes.last!
        let usage = (try? outcome.get().usage) ?? Usage()
        let model = (try? outcome.get().model) ?? routeNow.model
        // Dated or aliased answers ("claude-test") fall back to the requested model's price.
        let cost = (client.price(for: model) ?? client.price(for: routeNow.model))?.cost(of: usage) ?? 0
        var errorKind: LLMError.Kind?
        if case .failure(let e) = outcome { errorKind = e.kind }
        if !isHedge { client.record(CallRecord(provider: routeNow.name, model: model, attempts: attempts, hops: hops,
                                 queueWait: queueWait, ttft: firstTokenAt.map { $0 - started }, latency: now - started,
                                 usage: usage, cost: cost, errorKind: errorKind)) }
        let finished = onFinish
        onFinish = nil
        finished?()
    }

    // MARK: Hedging

    /// hedge_after passed with no token: the providers after the current one
    /// get the same request, as a call of their own.
    private func startHedge() {
        hedgeTimer = nil
        guard result == nil, firstTokenAt == nil, hedge == nil, routeIndex + 1 < client.config.routes.count else { return }
        let h = ResilientCall(client: client, request: request, stream: stream) { [weak self] event in self?.hedgeEvent(event) }
        h.isHedge = true
        h.firstRoute = routeIndex + 1
        h.priority = priority
        h.onFinish = { [weak self] in self?.hedgeEnded() }
        hedge = h
        onEvent(.hedge(from: route.name, to: client.config.routes[routeIndex + 1].name))
        h.start()
    }

    private func hedgeEvent(_ event: ResilientEvent) {
        guard result == nil, hedge != nil else { return }
        if hedgeWon { return forwardFromHedge(event) }
        if case .stream(let e) = event, e.isContent {
            hedgeTakesOver()  // it streamed first
            forwardFromHedge(event)
        } else {
            hedgeBuffer.append(event)
        }
    }

    private func forwardFromHedge(_ event: ResilientEvent) {
        if case .stream(let e) = event, e.isContent, firstTokenAt == nil { firstTokenAt = now }
        onEvent(event)
    }

    /// The hedge becomes the call: this call's own attempt stops (no failure,
    /// no retry) and the hedge's events so far reach the script.
    private func hedgeTakesOver() {
        guard let h = hedge, !hedgeWon else { return }
        hedgeWon = true
        for tag in [TimerTag.connect, .firstToken, .idle] { disarm(tag) }
        for t in timers { loop.cancelTimer(t) }
        timers.removeAll()
        if let id = reservation {
            client.cancelReservation(id)  // if it is still queued
            client.reconcile(id, tokens: 0)  // if it was admitted
            reservation = nil
        }
        let running = exchange
        exchange = nil
        running?.cancel(LLMError(.cancelled, "\(route.name) lost to the hedge on \(h.route.name)"))
        let buffered = hedgeBuffer
        hedgeBuffer = []
        for event in buffered { forwardFromHedge(event) }
        if h.result != nil { hedgeEnded() }
    }

    private func hedgeEnded() {
        guard let h = hedge, let outcome = h.result, result == nil else { return }
        if !hedgeWon {
            guard case .success = outcome else {
                // The hedge failed before streaming: this call goes on alone.
                hedge = nil
                hedgeBuffer = []
                return
            }
            hedgeTakesOver()
            return  // hedgeTakesOver calls back here, now as the winner
        }
        attempts += h.attempts
        hops += h.hops + 1
        routeIndex = min(h.routeIndex, client.config.routes.count - 1)
        routeName = h.routeName
        queueWait += h.queueWait
        if firstTokenAt == nil, let t = h.firstTokenAt { firstTokenAt = t }
        finish(outcome)
    }

    /// This call streamed first (or ended): the hedge is cancelled, silently.
    private func dropHedge() {
        if let t = hedgeTimer {
            loop.cancelTimer(t)
            hedgeTimer = nil
        }
        guard let h = hedge, !hedgeWon else { return }
        hedge = nil
        hedgeBuffer = []
        h.onFinish = nil
        h.cancel(LLMError(.cancelled, "\(h.route.name) lost to \(route.name)"))
    }

    public var timing: (latency: Double, ttft: Double?, queueWait: Double, hops: Int) {
        (now - started, firstTokenAt.map { $0 - started }, queueWait, hops)
    }

    static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : String(format: "%.2f s", s)
    }

    /// About four characters a token, plus the answer budget: good enough to
    /// reserve, reconciled with the real usage afterwards.
    static func estimateTokens(_ r: ChatRequest) -> Int {
        let chars = r.messages.reduce(r.system?.count ?? 0) { $0 + $1.text.count }
        return chars / 4 + (r.maxTokens ?? 1024)
    }

    static func mergingText(_ m: Message) -> Message {
        var blocks: [ContentBlock] = []
        for block in m.content {
            if case .text(let t) = block, case .text(let previous)? = blocks.last {
                blocks[blocks.count - 1] = .text(previous + t)
            } else {
                blocks.append(block)
            }
        }
        return Message(role: m.role, content: blocks)
    }
}

private extension Result where Failure == LLMError {
    var failureError: LLMError? {
        if case .failure(let e) = self { return e }
        return nil
    }
}
