// ChatTurn: one request/response turn driven from Lua, through a resilient
// client (a plain call's route, or llm.client's chain): a pending operation the caller waits for
// (LLMRuntime.await). It calls the script's on_text / on_event for each event
// as it arrives. A Lua error in a callback aborts the transfer (closing its
// connection) and is raised when the turn is finished.
import LLMCore
import LLMProviders
import LLMTransport
import LuaBridge


/// Who answers a turn: routes of a resilient client (a plain call's one
/// route, or a client's chain).
struct CallTarget {
    let client: ResilientClient
    var priority = 0
    /// Route indices in order; nil for all of the client's routes.
    var chain: [Int]?

    func start(_ request: ChatRequest, stream: Bool, onEvent: @escaping (ResilientEvent) -> Void) -> ResilientCall {
        client.chat(request, stream: stream, priority: priority, chain: chain, onEvent: onEvent)
    }

    /// The name a response reports before the call has picked a route.
    var firstRouteName: String {
        client.config.routes[chain?.first ?? 0].name
    }
}

final class ChatTurn: PendingOperation {
    private let target: CallTarget
    private let request: ChatRequest
    private let options: ChatOptions
    /// Where callbacks (on_text, on_event) run: the caller's thread, or the
    /// main thread for a task (a suspended coroutine cannot run them).
    private let call: LuaCall
    private var resilient: ResilientCall?
    private var snapshot = PartialToolInputs()
    /// A callback or the console got content of the running attempt: a cut
    /// from here on is the script's business (on_mid_stream), not a silent restart.
    private var sawContent = false
    /// What a callback raised, kept as it was, to raise from the call.
    private(set) var callbackError: LuaRaisedValue?
    /// The provider that answered and when the first token came (seconds after start).
    private(set) var providerName = ""
    private(set) var firstToken: Double?
    private(set) var cost = 0.0

    init(target: CallTarget, request: ChatRequest, options: ChatOptions, call: LuaCall) {
        self.target = target
        self.request = request
        self.options = options
        self.call = call.isMainThread ? call : LuaCall(call.mainThread, name: call.name)
        providerName = target.firstRouteName
    }

    var onReady: (() -> Void)?

    /// Starts the turn on the loop; `finish` reads its end. Streamed text
    /// goes to the runtime's default sink (the REPL's console) only for a
    /// call made on the main thread: tasks would interleave their answers.
    func start(runtime: LLMRuntime) {
        let textSink = options.onText == nil && call.isMainThread ? runtime.defaultTextSink : nil
        let r = target.start(request, stream: options.stream) { [weak self] event in
            self?.deliver(event, sink: textSink)
        }
        r.contentSeen = { [weak self] in self?.sawContent ?? true }
        resilient = r
        let ended = textSink == nil ? nil : runtime.defaultTextSinkEnded
        if r.isDone { onReady?() }
        r.onFinish = { [weak self] in
            ended?()
            self?.onReady?()
        }
    }

    var isReady: Bool { resilient?.result != nil }

    func cancel(_ error: LLMError) { resilient?.cancel(error) }

    /// The turn's response once it is over, or its error.
    func finish() throws -> ChatResponse {
        if let callbackError { throw callbackError }
        guard let resilient else { throw LLMError(.cancelled, "the call did not start") }
        if let hookFailure = resilient.hookFailure { throw hookFailure }
        providerName = resilient.answeringRoute ?? providerName
        firstToken = resilient.timing.ttft
        cost = resilient.cost
        return try resilient.result!.get()
    }

    private func deliver(_ event: ResilientEvent, sink: ((String) -> Void)?) {
        switch event {
        case .stream(let e): deliver(e, sink: sink)
        case .discardUnseen:
            snapshot = PartialToolInputs()
        default:
            guard let onEvent = options.onEvent, callbackError == nil else { return }
            onEvent.push(on: call)
            call.push(resilientEvent: event)
            if let e = call.protectedCallKeepingError(nargs: 1, nresults: 0) { fail(e, callback: "on_event") }
        }
    }

    private func deliver(_ event: StreamEvent, sink: ((String) -> Void)?) {
        guard callbackError == nil else { return }
        snapshot.apply(event)
        if case .textDelta(_, let text) = event {
            if let onText = options.onText {
                sawContent = true
                onText.push(on: call)
                call.push(text)
                if let e = call.protectedCallKeepingError(nargs: 1, nresults: 0) { return fail(e, callback: "on_text") }
            } else if let sink {
                sawContent = true
                sink(text)
            }
        }
        if let onEvent = options.onEvent {
            onEvent.push(on: call)
            if call.push(event: event, snapshot: { [snapshot] in snapshot.snapshot($0) }) {
                if event.isContent { sawContent = true }
                if let e = call.protectedCallKeepingError(nargs: 1, nresults: 0) { fail(e, callback: "on_event") }
            } else {
                call.pop()
            }
        }
    }

    private func fail(_ error: LuaRaisedValue, callback: String) {
        callbackError = error
        resilient?.cancel(LLMError(.cancelled, "\(callback) raised an error"))
    }
}

/// Partial JSON of tool inputs by block index, for `tool_input` events.
struct PartialToolInputs {
    private var inputs: [Int: String] = [:]
    mutating func apply(_ event: StreamEvent) {
        if case .toolInputDelta(let index, let partial) = event { inputs[index, default: ""] += partial }
    }
    func snapshot(_ index: Int) -> String { inputs[index] ?? "" }
}
