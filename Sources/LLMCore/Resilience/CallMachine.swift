// One resilient call as a state machine value (as async-http-client's request
// state machine and swift-nio's HappyEyeballs are): its owner feeds it inputs
// (the route admitted it, a head, content, the attempt ended, a timer fired, a
// cancel) and carries out the actions it returns (queue at a route, send, arm
// a timer, abort the attempt, report to the route, notify the script, finish).
// It reads no clock and does no I/O, so every rule below is tested with plain
// numbers.
import Foundation
//
//   idle ──start──▶ queued(p) ──admitted──▶ sending(p) ──head──▶ streaming(p)
//                     ▲                        │                     │
//                     │                        └──────failed─────────┤
//        backoff timer│            retry here  ▼                     │ succeeded
//                 backingOff(p) ◀──────── decide ──next route──▶ queued(p+1)
//                                              │                     ▼
//                                              └───fail / all failed──▶ finished
//
// Rules (DESIGN "Resilience semantics" and "Under load"):
// - The chain is tried in order. A route whose breaker is open is skipped; a
//   route limited until T (a 429 from anyone) is waited for in its queue when
//   no later route is healthy and T is within the deadline and
//   `max_retry_after`, else skipped.
// - After a failed attempt: content the script saw → `on_mid_stream` decides
//   (fail, restart, continue); content it did not see is dropped and the
//   attempt restarts as if nothing had arrived. Then the retry scheduler; a
//   retry needs the route's budget; a wait is skipped when a later route is
//   healthy (the route keeps its retries: when the chain runs out, the call
//   comes back to it); a 429 re-queues the call behind the route's limit
//   instead of a timer of its own.
// - Connect and first-token timers start when the request is sent, not when
//   it is queued; the deadline spans everything.

public struct RouteRef: Sendable, Equatable {
    /// The route's index in its client.
    public var id: Int
    public var name: String
    public init(id: Int, name: String) {
        self.id = id
        self.name = name
    }
}

/// What the machine asks of the routes it may use.
public protocol RouteBoard: AnyObject {
    /// May a call go to the route now? (May take a half-open probe.)
    func verdict(route: Int, at now: Double) -> RouteVerdict
    /// Would a call sent now be likely to go through: breaker closed, not rate limited?
    func isHealthy(route: Int, at now: Double) -> Bool
    /// Takes one retry from the route's budget; false when it is spent.
    func spendRetry(route: Int, at now: Double) -> Bool
}

public enum RouteVerdict: Sendable, Equatable {
    case open
    case breakerOpen(until: Double?)
    /// A 429 asked every caller to wait until then.
    case limited(until: Double)
}

/// How one attempt went, for the route it used: its breaker, concurrency
/// limit, token accounting and 429 wait.
public struct AttemptReport: Sendable, Equatable {
    public var route: Int
    public var breaker: BreakerOutcome
    public var congestion: AdaptiveConcurrency.Sample
    public var tokens: Int
    /// Set by a 429: nobody sends to the route before then.
    public var limitedUntil: Double?
    /// How the attempt failed (nil: it answered); `cancelled` when the call stopped it.
    public var error: LLMError.Kind?

    public init(route: Int, breaker: BreakerOutcome, congestion: AdaptiveConcurrency.Sample, tokens: Int,
                limitedUntil: Double? = nil, error: LLMError.Kind?) {
        self.route = route
        self.breaker = breaker
        self.congestion = congestion
        self.tokens = tokens
        self.limitedUntil = limitedUntil
        self.error = error
    }
}

public struct CallMachine: Sendable {
    public struct Settings: Sendable {
        public var retry: RetryPolicy
        public var timeouts: Timeouts
        public var chain: [RouteRef]
        public var jitterSeed: UInt64
        /// An instant the call must end by, instead of `timeouts.deadline`
        /// from its start (a hedge ends with the call it hedges).
        public var deadlineAt: Double?

        public init(retry: RetryPolicy, timeouts: Timeouts, chain: [RouteRef], jitterSeed: UInt64, deadlineAt: Double? = nil) {
            self.retry = retry
            self.timeouts = timeouts
            self.chain = chain
            self.jitterSeed = jitterSeed
            self.deadlineAt = deadlineAt
        }
    }

    public enum State: Sendable, Equatable {
        case idle
        /// Waiting for the route at this position of the chain to admit it.
        case queued(Int)
        /// The request is out; no head yet.
        case sending(Int)
        /// The head is in.
        case streaming(Int)
        /// Waiting before the next attempt on the same route.
        case backingOff(Int)
        case finished
    }

    public enum Timer: Sendable, Hashable { case deadline, connect, firstToken, idle, backoff }

    public struct AttemptFailure: Sendable {
        public var error: LLMError
        /// The server's `x-should-retry`.
        public var serverSaysRetry: Bool?
        /// The script saw content of this attempt (a callback ran, an iterator step returned it).
        public var seen: Bool
        /// The text the attempt delivered (for `continue`).
        public var partialText: String
        /// The script's `should_retry` verdict, if it has one.
        public var scriptVerdict: Bool?

        public init(error: LLMError, serverSaysRetry: Bool? = nil, seen: Bool = false, partialText: String = "", scriptVerdict: Bool? = nil) {
            self.error = error
            self.serverSaysRetry = serverSaysRetry
            self.seen = seen
            self.partialText = partialText
            self.scriptVerdict = scriptVerdict
        }
    }

    public enum Input: Sendable {
        case start
        case admitted
        /// The route's queue is full.
        case refused(LLMError)
        case head
        /// A content event reached the consumer.
        case content
        case succeeded(ChatResponse)
        case failed(AttemptFailure)
        case timer(Timer)
        case cancel(LLMError)
    }

    public enum Notice: Sendable, Equatable {
        case retry(WaitInfo)
        case fallback(FallbackInfo)
        /// Content the script saw was cut; the call goes on (restart or continue).
        case recovered(provider: String, mode: StreamRecovery, partialText: String)
        /// Events of a cut attempt that the script never saw: drop them, the attempt starts over.
        case restartUnseen(provider: String)
    }

    public enum Action: Sendable, Equatable {
        /// Queue at the route; `quiet`: the call already told the script why it waits (a 429's retry).
        case enqueue(route: Int, estimate: Int, quiet: Bool)
        case leaveQueue(route: Int)
        /// Send to the route; `firstOnRoute` is the call's first attempt there;
        /// `continuation` is text to ask the provider to go on from.
        case send(route: Int, firstOnRoute: Bool, continuation: String?)
        /// Stop the attempt in flight; its end comes back as `.failed` (and is
        /// ignored if the call is over).
        case abortAttempt(LLMError)
        case arm(Timer, after: Double)
        case disarm(Timer)
        case report(AttemptReport)
        case notify(Notice)
        case finish(Result<ChatResponse, LLMError>)
    }

    public let settings: Settings
    /// Tokens the limiter reserves for one attempt.
    public let estimate: Int
    public private(set) var state: State = .idle
    public private(set) var attempts = 0
    public private(set) var hops = 0
    public private(set) var startedAt = 0.0
    public private(set) var firstTokenAt: Double?
    public private(set) var queueWait = 0.0
    public private(set) var outcome: Result<ChatResponse, LLMError>?
    /// The position in the chain the call is at (or ended on).
    public private(set) var position = 0
    private var scheduler: RetryScheduler
    /// Each route's retry state, kept when the call moves on, so a route left
    /// for a healthy one behind it can be come back to with the retries it has left.
    private var schedulers: [Int: RetryScheduler] = [:]
    /// Routes left with retries to spare because a healthier one was behind
    /// them: when the chain runs out, the call comes back to them in order.
    private var revisitable: Set<Int> = []
    private var jitter: SplitMix64
    private var lastErrors: [(String, LLMError)] = []
    private var carriedText = ""
    /// Routes this call has sent to (a route's budget counts a call once).
    private var sentTo: Set<Int> = []
    private var sentAt = 0.0
    private var queuedAt = 0.0
    private var attemptFirstContent: Double?
    private var armed: Set<Timer> = []

    public init(settings: Settings, estimate: Int) {
        self.settings = settings
        self.estimate = estimate
        jitter = SplitMix64(seed: settings.jitterSeed)
        scheduler = RetryScheduler(policy: settings.retry, jitter: SplitMix64(seed: 0))
    }

    public var route: RouteRef { settings.chain[min(position, settings.chain.count - 1)] }
    /// The running attempt has delivered content: another content input would
    /// only re-arm the idle timer.
    public var attemptHasContent: Bool {
        if case .streaming = state { return attemptFirstContent != nil }
        return false
    }
    public var isFinished: Bool { state == .finished }
    private var policy: RetryPolicy { settings.retry }
    /// When the call must be over, on the loop's clock.
    public var deadline: Double? { settings.deadlineAt ?? settings.timeouts.deadline.map { startedAt + $0 } }

    public mutating func handle(_ input: Input, at now: Double, board: some RouteBoard) -> [Action] {
        var out: [Action] = []
        switch (state, input) {
        case (.finished, _):
            break  // late timers and the end of an aborted attempt
        case (.idle, .start):
            startedAt = now
            if let d = deadline { arm(.deadline, max(0, d - now), &out) }
            enter(0, now, board, &out)
        case (.queued(let p), .admitted):
            queueWait += now - queuedAt
            attempts += 1
            sentAt = now
            attemptFirstContent = nil
            state = .sending(p)
            let carry = policy.streamRecovery == .continue && !carriedText.isEmpty ? carriedText : nil
            out.append(.send(route: settings.chain[p].id, firstOnRoute: sentTo.insert(p).inserted, continuation: carry))
            if let c = settings.timeouts.connect { arm(.connect, c, &out) }
            if let f = settings.timeouts.firstToken { arm(.firstToken, f, &out) }
        case (.queued(let p), .refused(let error)):
            out.append(.report(AttemptReport(route: settings.chain[p].id, breaker: .neutral, congestion: .neutral, tokens: 0, error: .cancelled)))
            finish(.failure(withAttempts(error)), &out)
        case (.sending(let p), .head):
            disarm(.connect, &out)
            state = .streaming(p)
        case (.sending(let p), .content), (.streaming(let p), .content):
            disarm(.connect, &out)
            if attemptFirstContent == nil {
                attemptFirstContent = now
                disarm(.firstToken, &out)
                if firstTokenAt == nil { firstTokenAt = now }
            }
            if let idle = settings.timeouts.idle { arm(.idle, idle, &out) }
            state = .streaming(p)
        case (.sending(let p), .succeeded(let response)), (.streaming(let p), .succeeded(let response)):
            disarmAttempt(&out)
            let latency = (attemptFirstContent ?? now) - sentAt
            out.append(.report(AttemptReport(route: settings.chain[p].id, breaker: .success, congestion: .latency(latency),
                                             tokens: min(response.usage.inputTokens, Int.max / 4) + min(response.usage.outputTokens, Int.max / 4),
                                             error: nil)))
            finish(.success(carrying(response)), &out)
        case (.sending(let p), .failed(let failure)), (.streaming(let p), .failed(let failure)):
            disarmAttempt(&out)
            decide(after: failure, at: p, now, board, &out)
        case (_, .timer(.deadline)):
            armed.remove(.deadline)
            stop(now, &out)
            let d = (deadline ?? now) - startedAt
            finish(.failure(withAttempts(LLMError(.timeout, "deadline of \(Self.seconds(d)) reached (all attempts, waits and fallbacks)",
                                                  provider: route.name))), &out)
        case (_, .cancel(let error)):
            stop(now, &out)
            finish(.failure(withAttempts(error)), &out)
        case (.backingOff(let p), .timer(.backoff)):
            armed.remove(.backoff)
            enqueue(p, now, &out)
        case (.sending(let p), .timer(let t)) where t != .backoff, (.streaming(let p), .timer(let t)) where t != .backoff:
            // connect, first token or idle: the attempt's end comes back as `.failed`.
            armed.remove(t)
            out.append(.abortAttempt(timeoutError(t, settings.chain[p].name)))
        default:
            break  // a timer of a state already left, a head after a cancel
        }
        return out
    }

    // MARK: Routes

    private mutating func enter(_ p: Int, _ now: Double, _ board: some RouteBoard, _ out: inout [Action], comingBack: Bool = false) {
        if p >= settings.chain.count, let q = revisitable.min() {
            // Every route was tried; one was left early for a healthier one: back to it.
            revisitable.remove(q)
            hops += 1
            out.append(.notify(.fallback(FallbackInfo(from: settings.chain[settings.chain.count - 1].name, to: settings.chain[q].name,
                                                      error: lastErrors.last?.1 ?? LLMError(.allFailed, "every provider failed")))))
            return enter(q, now, board, &out, comingBack: true)
        }
        guard p < settings.chain.count else {
            if lastErrors.count == 1, let only = lastErrors.first { return finish(.failure(only.1), &out) }
            let summary = lastErrors.map { "\($0.0): \($0.1.kind.rawValue)\($0.1.status.map { " (\($0))" } ?? ""): \($0.1.message)" }
            return finish(.failure(LLMError(.allFailed, "every provider failed — " + summary.joined(separator: "; "), attempts: attempts)), &out)
        }
        if state != .idle { schedulers[position] = scheduler }
        if p < settings.chain.count, schedulers[p] != nil, !comingBack {
            return enter(p + 1, now, board, &out)  // tried already and not waiting for a second turn
        }
        position = p
        scheduler = schedulers[p] ?? RetryScheduler(policy: policy, deadline: deadline, jitter: SplitMix64(seed: jitter.next()))
        let ref = settings.chain[p]
        switch board.verdict(route: ref.id, at: now) {
        case .open:
            enqueue(p, now, &out)
        case .breakerOpen(let until):
            let wait = until.map { " for \(Self.seconds($0 - now))" } ?? ""
            moveOn(from: p, after: LLMError(.breakerOpen, "\(ref.name) skipped: circuit breaker open\(wait)", provider: ref.name), now, board, &out)
        case .limited(let until):
            let wait = until - now
            let withinDeadline = deadline.map { until < $0 } ?? true
            if !healthyRoute(after: p, now, board), wait <= policy.maxRetryAfter, withinDeadline {
                enqueue(p, now, &out)  // the route's limiter holds it until then
            } else {
                moveOn(from: p, after: LLMError(.rateLimited, "\(ref.name) skipped: rate limited for \(Self.seconds(wait))",
                                                provider: ref.name, retryAfter: wait), now, board, &out)
            }
        }
    }

    private mutating func enqueue(_ p: Int, _ now: Double, _ out: inout [Action], quiet: Bool = false) {
        state = .queued(p)
        queuedAt = now
        out.append(.enqueue(route: settings.chain[p].id, estimate: estimate, quiet: quiet))
    }

    private mutating func moveOn(from p: Int, after error: LLMError, _ now: Double, _ board: some RouteBoard, _ out: inout [Action]) {
        let ref = settings.chain[p]
        var e = withAttempts(error)
        if e.provider == nil { e.provider = ref.name }
        lastErrors.append((ref.name, e))
        if p + 1 < settings.chain.count {
            hops += 1
            out.append(.notify(.fallback(FallbackInfo(from: ref.name, to: settings.chain[p + 1].name, error: e))))
        }
        enter(p + 1, now, board, &out)
    }

    private func healthyRoute(after p: Int, _ now: Double, _ board: some RouteBoard) -> Bool {
        settings.chain.indices.contains { $0 > p && board.isHealthy(route: settings.chain[$0].id, at: now) }
    }

    // MARK: After a failed attempt

    private mutating func decide(after failure: AttemptFailure, at p: Int, _ now: Double, _ board: some RouteBoard, _ out: inout [Action]) {
        let ref = settings.chain[p]
        var error = failure.error
        if error.provider == nil { error.provider = ref.name }
        var report = AttemptReport(route: ref.id, breaker: Self.breakerOutcome(for: error),
                                   congestion: Self.congestion(for: error), tokens: 0, error: error.kind)
        if failure.seen {
            switch policy.streamRecovery {
            case .fail:
                out.append(.report(report))
                return finish(.failure(withAttempts(error)), &out)
            case .restart: carriedText = ""
            case .continue: carriedText += failure.partialText
            }
            out.append(.notify(.recovered(provider: ref.name, mode: policy.streamRecovery, partialText: failure.partialText)))
        } else if attemptFirstContent != nil {
            out.append(.notify(.restartUnseen(provider: ref.name)))
        }
        let decision = scheduler.decide(after: AttemptOutcome(error, serverSaysRetry: failure.serverSaysRetry), at: now,
                                        scriptSays: failure.scriptVerdict)
        if error.kind == .rateLimited {
            var wait = error.retryAfter ?? 0
            if case .retry(let w, _) = decision { wait = w }
            report.limitedUntil = now + max(wait, 0.001)
        }
        out.append(.report(report))
        switch decision {
        case .retry(let wait, let attempt):
            // A healthy provider behind this one beats waiting here; this
            // route keeps the retries it has left for later.
            if wait > 0, healthyRoute(after: p, now, board) {
                revisitable.insert(p)
                return moveOn(from: p, after: error, now, board, &out)
            }
            if policy.budget != nil, !board.spendRetry(route: ref.id, at: now) {
                error.message += " (not retried: the retry budget of \(ref.name) is spent)"
                return moveOn(from: p, after: error, now, board, &out)
            }
            let info = WaitInfo(reason: .backoff, seconds: wait, provider: ref.name, attempt: attempt,
                                maxAttempts: policy.maxRetries + 1, error: error)
            out.append(.notify(.retry(info)))
            if error.kind == .rateLimited {
                enqueue(p, now, &out, quiet: true)  // behind the route's limit, with everyone else
            } else {
                state = .backingOff(p)
                arm(.backoff, wait, &out)
            }
        case .fallBack:
            moveOn(from: p, after: error, now, board, &out)
        case .giveUp(let reason):
            switch reason {
            case .notRetryable(let kind) where [.contextLength, .overloaded, .auth, .notFound].contains(kind):
                moveOn(from: p, after: error, now, board, &out)  // another provider may take it
            case .retriesExhausted:
                moveOn(from: p, after: error, now, board, &out)
            case .notRetryable, .deadline, .serverSaidNo, .scriptSaidNo, .contentDelivered:
                finish(.failure(withAttempts(error)), &out)
            }
        }
    }

    /// The error → breaker mapping: what counts against a provider's health.
    public static func breakerOutcome(for error: LLMError) -> BreakerOutcome {
        switch error.kind {
        case .server, .overloaded, .network, .timeout, .badResponse: .failure
        default: .neutral  // a 429 included: the provider is up, just busy
        }
    }

    /// What the failure says about load, for the route's concurrency limit.
    public static func congestion(for error: LLMError) -> AdaptiveConcurrency.Sample {
        switch error.kind {
        case .rateLimited, .overloaded, .timeout, .server: .overloaded
        default: .neutral
        }
    }

    // MARK: Helpers

    /// Stops whatever the call is doing (a cancel or the deadline).
    private mutating func stop(_ now: Double, _ out: inout [Action]) {
        switch state {
        case .queued(let p):
            out.append(.leaveQueue(route: settings.chain[p].id))
            // Gives back a half-open breaker's probe, if the call held one.
            out.append(.report(AttemptReport(route: settings.chain[p].id, breaker: .neutral, congestion: .neutral, tokens: 0, error: .cancelled)))
        case .sending(let p), .streaming(let p):
            out.append(.report(AttemptReport(route: settings.chain[p].id, breaker: .neutral, congestion: .neutral, tokens: 0, error: .cancelled)))
            out.append(.abortAttempt(LLMError(.cancelled, "the call ended")))
        default:
            break
        }
    }

    private mutating func finish(_ result: Result<ChatResponse, LLMError>, _ out: inout [Action]) {
        for t in armed.sorted(by: { "\($0)" < "\($1)" }) { out.append(.disarm(t)) }
        armed.removeAll()
        state = .finished
        outcome = result
        out.append(.finish(result))
    }

    private mutating func arm(_ t: Timer, _ seconds: Double, _ out: inout [Action]) {
        armed.insert(t)
        out.append(.arm(t, after: seconds))
    }

    private mutating func disarm(_ t: Timer, _ out: inout [Action]) {
        if armed.remove(t) != nil { out.append(.disarm(t)) }
    }

    private mutating func disarmAttempt(_ out: inout [Action]) {
        for t in [Timer.connect, .firstToken, .idle] { disarm(t, &out) }
    }

    private func withAttempts(_ error: LLMError) -> LLMError {
        var e = error
        e.attempts = max(attempts, 1)
        return e
    }

    private func timeoutError(_ t: Timer, _ name: String) -> LLMError {
        let s = settings.timeouts
        switch t {
        case .connect: return LLMError(.timeout, "no response from \(name) within \(Self.seconds(s.connect ?? 0)) (connect)", provider: name)
        case .firstToken: return LLMError(.timeout, "no first token from \(name) within \(Self.seconds(s.firstToken ?? 0))", provider: name)
        default: return LLMError(.timeout, "\(name) sent nothing for \(Self.seconds(s.idle ?? 0)) (idle)", provider: name)
        }
    }

    /// The answer with the text already delivered before a cut (`continue`).
    private func carrying(_ response: ChatResponse) -> ChatResponse {
        guard !carriedText.isEmpty, policy.streamRecovery == .continue else { return response }
        var r = response
        var blocks: [ContentBlock] = []
        for block in [.text(carriedText)] + r.message.content {
            if case .text(let t) = block, case .text(let previous)? = blocks.last {
                blocks[blocks.count - 1] = .text(previous + t)
            } else {
                blocks.append(block)
            }
        }
        r.message = Message(role: r.message.role, content: blocks)
        return r
    }

    public static func seconds(_ s: Double) -> String {
        guard s.isFinite, abs(s) < 1e15 else { return "\(s) s" }
        return s == s.rounded() ? "\(Int(s)) s" : String(format: "%.2f s", s)
    }
}
