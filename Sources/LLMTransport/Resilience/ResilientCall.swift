// ResilientCall: the owner of one CallMachine. It feeds the machine what
// happens on the loop (admission at a route, the exchange's head, content and
// end, timers, a cancel) and carries out the actions it returns; it keeps no
// state of the call the machine does not know, besides the handles it holds
// (the exchange, the reservation, the timers) and the hedge race.
//
// Inputs are taken one at a time: an action that causes another input (an
// admission granted at once, an exchange that ends when aborted) queues it,
// and it is handled after the current actions are carried out.
import Foundation
import LLMCore
import LLMProviders

public final class ResilientCall {
    unowned let client: ResilientClient
    let request: ChatRequest
    let stream: Bool
    let priority: Int
    /// A hedge reports to the call it hedges, not to the stats.
    let records: Bool
    let onEvent: (ResilientEvent) -> Void
    private var machine: CallMachine
    private var exchange: ChatExchange?
    private var reservation: (route: Int, id: ReservationID)?
    private var timers: [CallMachine.Timer: TimerID] = [:]
    private var inbox: [CallMachine.Input] = []
    private var handling = false
    private var race = HedgeRace.none

    /// Whether the script saw content of the running attempt. Set by a
    /// consumer that reads events later than they arrive (an llm.Stream
    /// iterator); nil means every delivered event was seen.
    public var contentSeen: (() -> Bool)?

    public private(set) var result: Result<ChatResponse, LLMError>?
    /// What the answer cost by the client's price table (0 when unpriced).
    public private(set) var cost = 0.0
    /// The hook's own error (a Lua error with its traceback), for the Lua layer to raise.
    public private(set) var hookFailure: (any Error)?
    /// Called once when the call ends, after `result` is set.
    public var onFinish: (() -> Void)?
    /// Every request sent so far (the call log's attempts).
    private(set) var attemptLog: [AttemptRecord] = []
    private var attemptStart: (route: String, model: String, at: Double)?
    private let startedAt = Date().timeIntervalSince1970

    /// Hedging, in one value: armed (timer running), racing a hedge, or decided.
    private enum HedgeRace {
        case none
        case armed(TimerID)
        case racing(ResilientCall, buffered: [ResilientEvent])
        /// The hedge streamed first (or this call's attempt failed while it
        /// ran): its events and its end are this call's.
        case hedgeWon(ResilientCall)
        case decided
    }

    init(client: ResilientClient, request: ChatRequest, stream: Bool, priority: Int, chain: [Int], records: Bool,
         deadlineAt: Double? = nil, onEvent: @escaping (ResilientEvent) -> Void) {
        self.client = client
        self.request = request
        self.stream = stream
        self.priority = priority
        self.records = records
        self.onEvent = onEvent
        let refs = chain.map { RouteRef(id: $0, name: client.config.routes[$0].name) }
        machine = CallMachine(settings: CallMachine.Settings(retry: client.config.retry, timeouts: client.config.timeouts,
                                                             chain: refs, jitterSeed: client.nextJitterSeed(), deadlineAt: deadlineAt),
                              estimate: Self.estimateTokens(request))
    }

    public var isDone: Bool { result != nil }
    private var loop: EventLoop { client.loop }
    private var now: Double { loop.clock.now }
    private var route: Route { client.config.routes[machine.route.id] }
    /// The route that answered (or failed last).
    public var routeName: String? { machine.state == .idle ? nil : machine.route.name }
    public var attempts: Int { machine.attempts }

    func start() {
        if let why = client.budgetExceeded {
            return finish(.failure(LLMError(.budgetExceeded, "budget exceeded: \(why)")))
        }
        if records, let after = client.config.hedgeAfter, machine.settings.chain.count > 1 {
            race = .armed(loop.schedule(after: after) { [weak self] in self?.startHedge() })
        }
        feed(.start)
    }

    /// Stops the call (the script's Ctrl-C or a Lua error).
    public func cancel(_ error: LLMError = LLMError(.cancelled, "cancelled")) {
        if case .hedgeWon(let h) = race, result == nil {
            h.cancel(error)
            return
        }
        feed(.cancel(error))
    }

    // MARK: The machine

    private func feed(_ input: CallMachine.Input) {
        inbox.append(input)
        guard !handling else { return }
        handling = true
        defer { handling = false }
        while !inbox.isEmpty {
            let next = inbox.removeFirst()
            if case .admitted = next, machine.isFinished {
                // Granted after the call ended (a cancel was ahead of it): the slot goes back.
                if let r = reservation { client.leave(route: r.route, r.id) }
                reservation = nil
                continue
            }
            let actions = machine.handle(next, at: now, board: client)
            for action in actions {
                guard perform(action) else { break }
            }
        }
    }

    /// Carries out one action; false when a hook failed (the call is being
    /// cancelled and the rest of the batch is moot).
    private func perform(_ action: CallMachine.Action) -> Bool {
        switch action {
        case .enqueue(let index, let estimate, let quiet):
            let output = min(max(0, request.maxTokens ?? 1024), estimate)
            let result = client.enqueue(route: index, estimate: estimate, output: output, priority: priority, quiet: quiet, waiting: { [weak self] info in
                self?.notifyWait(info)
            }, admitted: { [weak self] in self?.feed(.admitted) })
            switch result {
            case .success(let id): reservation = (index, id)
            case .failure(let error): inbox.append(.refused(error))
            }
        case .leaveQueue(let index):
            if let r = reservation, r.route == index { client.leave(route: index, r.id) }
            reservation = nil
        case .send(let index, let firstOnRoute, let continuation):
            if firstOnRoute { client.recordCall(route: index) }
            send(route: index, continuation: continuation)
        case .abortAttempt(let error):
            exchange?.cancel(error)
        case .arm(.idle, let seconds):
            // Re-armed on every content event: one timer that checks the
            // latest deadline when it fires, not one timer per token.
            idleDeadline = now + seconds
            if timers[.idle] == nil { scheduleIdleCheck(after: seconds) }
        case .arm(let timer, let seconds):
            if let old = timers[timer] { loop.cancelTimer(old) }
            timers[timer] = loop.schedule(after: seconds) { [weak self] in
                self?.timers[timer] = nil
                self?.feed(.timer(timer))
            }
        case .disarm(let timer):
            if let t = timers.removeValue(forKey: timer) { loop.cancelTimer(t) }
        case .report(let report):
            // The hedge path already told the route how this attempt ended.
            if attemptReported { attemptReported = false; return true }
            let id = reservation?.route == report.route ? reservation?.id : nil
            reservation = nil
            client.report(report, id)
        case .notify(let notice):
            return notify(notice)
        case .finish(let outcome):
            finishFromMachine(outcome)
        }
        return true
    }

    private var idleDeadline = 0.0
    /// Set when an attempt's end was reported to its route outside the machine (a hedge taking over).
    private var attemptReported = false

    private func scheduleIdleCheck(after seconds: Double) {
        timers[.idle] = loop.schedule(after: seconds) { [weak self] in
            guard let self else { return }
            self.timers[.idle] = nil
            let left = self.idleDeadline - self.now
            if left > 0 {
                self.scheduleIdleCheck(after: left)
            } else if self.inCallback > 0 {
                // The script is busy with what the provider sent: not the provider's silence.
                self.idleDeadline = self.now + (self.client.config.timeouts.idle ?? 0)
                self.scheduleIdleCheck(after: max(0.001, self.client.config.timeouts.idle ?? 0))
            } else {
                self.feed(.timer(.idle))
            }
        }
    }

    private func send(route index: Int, continuation: String?) {
        var req = request
        req.model = client.config.routes[index].model
        if let continuation {
            // Ask the next attempt to go on from what the script already has.
            req.messages.append(Message(role: .assistant, text: continuation))
        }
        let exchange = ChatExchange(provider: client.config.routes[index].provider, request: req, stream: stream,
                                    transport: client.transport) { [weak self] event in
            self?.received(event)
        }
        exchange.onHead = { [weak self] head in
            guard let self, let r = self.reservation else { return }
            self.client.observe(head, route: r.route, r.id)
            self.feed(.head)
        }
        exchange.onFinish = { [weak self, unowned exchange] outcome in self?.attemptEnded(exchange, outcome) }
        exchange.maxBodyBytes = client.config.maxResponseBytes
        self.exchange = exchange
        attemptStart = (client.config.routes[index].name, req.model, now)
        exchange.start()
    }

    private func received(_ event: StreamEvent) {
        guard result == nil else { return }
        if case .racing(let h, _) = race, event.isContent {
            // This call streamed first: the hedge is cancelled, silently.
            race = .decided
            h.onFinish = nil
            h.cancel(LLMError(.cancelled, "\(h.routeName ?? "hedge") lost to \(machine.route.name)"))
        } else if case .armed(let t) = race, event.isContent {
            loop.cancelTimer(t)
            race = .decided
        }
        // Content first: the first-token timer stops and the idle one starts
        // from its arrival, not from when the script's callback returns.
        if event.isContent {
            if machine.attemptHasContent, !handling {
                // The machine's whole answer to a later content event is "re-arm
                // idle": done here, on the path every token takes.
                if let idle = client.config.timeouts.idle { idleDeadline = now + idle }
            } else {
                feed(.content)
            }
        }
        inCallback += 1
        onEvent(.stream(event))
        inCallback -= 1
    }

    /// The script's callback is running (and may be waiting: llm.sleep, another call).
    private var inCallback = 0

    private func attemptEnded(_ ended: ChatExchange, _ outcome: Result<ChatResponse, LLMError>) {
        guard ended === exchange else { return }
        exchange = nil
        if let start = attemptStart {
            attemptLog.append(AttemptRecord(route: start.route, model: start.model, offset: start.at - machine.startedAt,
                                            latency: now - start.at, status: ended.responseHead?.status, error: outcome.failureError))
            attemptStart = nil
        }
        switch outcome {
        case .success(let response):
            // No usage from the server (llama.cpp streams none): estimated, so budgets and tpm limits see it.
            feed(.succeeded(UsageEstimate.filled(response, for: request)))
        case .failure(var error):
            if error.provider == nil { error.provider = machine.route.name }
            if case .racing = race, machine.state != .finished, error.kind != .cancelled {
                // The hedge already covers the providers after this one: it carries on alone.
                client.report(AttemptReport(route: machine.route.id, breaker: CallMachine.breakerOutcome(for: error),
                                            congestion: CallMachine.congestion(for: error), tokens: 0, error: error.kind),
                              reservation?.id)
                reservation = nil
                attemptReported = true  // the machine's own report of the stop that follows is skipped
                return hedgeTakesOver()
            }
            var verdict: Bool?
            if let hook = client.hooks.shouldRetry, machine.state != .finished {
                do { verdict = try hook(error, machine.attempts) } catch { return hookFailed(error) }
            }
            let seen = ended.deliveredContent && (contentSeen?() ?? true)
            feed(.failed(CallMachine.AttemptFailure(error: error, serverSaysRetry: ended.responseHead.flatMap(AttemptOutcome.shouldRetryHeader),
                                                    seen: seen, partialText: ended.partialResponse.text, scriptVerdict: verdict)))
        }
    }

    // MARK: Notices and hooks

    private func notifyWait(_ info: WaitInfo) {
        var i = info
        i.attempt = machine.attempts + 1
        guard runHook({ try client.hooks.onWait?(i) }) else { return }
        onEvent(.rateWait(i))
    }

    private func notify(_ notice: CallMachine.Notice) -> Bool {
        switch notice {
        case .retry(let info):
            guard runHook({ try client.hooks.onRetry?(info) }) else { return false }
            onEvent(.retry(info))
        case .fallback(let info):
            guard runHook({ try client.hooks.onFallback?(info) }) else { return false }
            onEvent(.fallback(info))
        case .recovered(let provider, let mode, let partial):
            onEvent(.recovered(provider: provider, mode: mode, partialText: partial))
        case .restartUnseen:
            onEvent(.discardUnseen)
        }
        return true
    }

    /// Runs a Lua hook; a hook that throws fails the call with its error.
    private func runHook(_ body: () throws -> Void) -> Bool {
        do {
            try body()
            return true
        } catch {
            hookFailed(error)
            return false
        }
    }

    private func hookFailed(_ error: any Error) {
        hookFailure = error
        let cancel = CallMachine.Input.cancel((error as? LLMError) ?? LLMError(.cancelled, "a hook raised an error: \(error)"))
        // Ahead of anything already queued: a later admission then finds the call over and gives its slot back.
        if handling { inbox.insert(cancel, at: 0) } else { feed(cancel) }
    }

    // MARK: The end

    private func finishFromMachine(_ outcome: Result<ChatResponse, LLMError>) {
        for t in timers.values { loop.cancelTimer(t) }
        timers.removeAll()
        if case .hedgeWon = race { return }  // the hedge's end is this call's
        finish(outcome)
    }

    private func finish(_ outcome: Result<ChatResponse, LLMError>, hedge: ResilientCall? = nil) {
        guard result == nil else { return }
        result = outcome
        answeredBy = hedge?.routeName
        if let hedge { hedgeHops = hedge.machine.hops + 1 }
        switch race {
        case .armed(let t):
            loop.cancelTimer(t)
        case .racing(let h, _):
            // The call ended without its hedge (a deadline, the script's cancel, or this call won).
            h.onFinish = nil
            h.cancel((try? outcome.get()).map { _ in LLMError(.cancelled, "\(h.routeName ?? "hedge") lost to \(machine.route.name)") }
                     ?? outcome.failureError ?? LLMError(.cancelled, "cancelled"))
        default:
            break
        }
        race = .decided
        if records {
            let answered = hedge ?? self
            let model = answered.route.model
            let responseModel = try? outcome.get().model
            let usage = (try? outcome.get().usage) ?? Usage()
            // Dated or aliased answers ("claude-test") fall back to the requested model's price.
            let cost = (responseModel.flatMap(client.price(for:)) ?? client.price(for: model))?.cost(of: usage) ?? 0
            self.cost = cost
            var record = CallRecord(provider: answered.machine.route.name, model: model,
                                    attempts: machine.attempts + (hedge?.attempts ?? 0), hops: hops,
                                    queueWait: machine.queueWait + (hedge?.machine.queueWait ?? 0), ttft: timing.ttft,
                                    latency: now - machine.startedAt, usage: usage, cost: cost, errorKind: outcome.failureError?.kind)
            record.responseModel = responseModel
            record.providerKind = client.config.routes[answered.machine.route.id].provider.name
            record.error = outcome.failureError
            record.startedAt = startedAt
            record.request = request
            record.response = try? outcome.get()
            record.attemptLog = attemptLog + (hedge?.attemptLog ?? [])
            client.record(record)
        }
        let finished = onFinish
        onFinish = nil
        finished?()
    }

    // MARK: Hedging

    /// hedge_after passed with no token: the routes after the current one
    /// get the same request, as a call of their own.
    private func startHedge() {
        guard case .armed = race, result == nil, machine.firstTokenAt == nil else { return }
        let chain = machine.settings.chain
        let next = machine.position + 1
        guard next < chain.count else { race = .decided; return }
        let h = ResilientCall(client: client, request: request, stream: stream, priority: priority,
                              chain: chain[next...].map(\.id), records: false, deadlineAt: machine.deadline) { [weak self] event in
            self?.hedgeEvent(event)
        }
        h.contentSeen = contentSeen
        h.onFinish = { [weak self] in self?.hedgeEnded() }
        race = .racing(h, buffered: [])
        onEvent(.hedge(from: machine.route.name, to: chain[next].name))
        h.start()
    }

    private func hedgeEvent(_ event: ResilientEvent) {
        switch race {
        case .hedgeWon:
            forwardFromHedge(event)
        case .racing(let h, var buffered):
            if case .stream(let e) = event, e.isContent {
                hedgeTakesOver()  // it streamed first
                forwardFromHedge(event)
            } else {
                buffered.append(event)
                race = .racing(h, buffered: buffered)
            }
        default:
            break
        }
    }

    private var hedgeFirstToken: Double?

    private func forwardFromHedge(_ event: ResilientEvent) {
        if case .stream(let e) = event, e.isContent, hedgeFirstToken == nil { hedgeFirstToken = now }
        onEvent(event)
    }

    /// The hedge becomes the call: this call's own attempt stops (no failure,
    /// no retry) and the hedge's events so far reach the script.
    private func hedgeTakesOver() {
        guard case .racing(let h, let buffered) = race else { return }
        race = .hedgeWon(h)
        feed(.cancel(LLMError(.cancelled, "\(machine.route.name) lost to the hedge on \(h.routeName ?? "the next provider")")))
        for event in buffered { forwardFromHedge(event) }
        if h.isDone { hedgeEnded() }
    }

    private func hedgeEnded() {
        switch race {
        case .racing(let h, _):
            guard let outcome = h.result else { return }
            if case .success = outcome { return hedgeTakesOver() }  // it answered first, without streaming
            race = .decided  // the hedge failed before streaming: this call goes on alone
        case .hedgeWon(let h):
            guard let outcome = h.result else { return }
            finish(outcome, hedge: h)
        default:
            break
        }
    }

    private var hops: Int {
        if case .hedgeWon(let h) = race { return machine.hops + h.machine.hops + 1 }
        return machine.hops + (hedgeHops ?? 0)
    }
    private var hedgeHops: Int?

    public var timing: (latency: Double, ttft: Double?, queueWait: Double, hops: Int) {
        let first = [machine.firstTokenAt, hedgeFirstToken].compactMap { $0 }.min()
        return (now - machine.startedAt, first.map { $0 - machine.startedAt }, machine.queueWait, hops)
    }

    /// The route whose answer this is (the hedge's when it won).
    public var answeringRoute: String? { answeredBy ?? routeName }
    private var answeredBy: String?

    /// About four characters a token, plus the answer budget: good enough to
    /// reserve, reconciled with the real usage afterwards.
    static func estimateTokens(_ r: ChatRequest) -> Int {
        let chars = r.messages.reduce(r.system?.count ?? 0) { $0 + $1.text.count }
        return chars / 4 + min(max(0, r.maxTokens ?? 1024), 100_000_000)
    }
}

private extension Result where Failure == LLMError {
    var failureError: LLMError? {
        if case .failure(let e) = self { return e }
        return nil
    }
}
