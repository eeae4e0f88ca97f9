// ChatTurn: one request/response turn driven from Lua, straight to a provider
// or through a resilient client: a pending operation the caller waits for
// (LLMRuntime.await). It calls the script's on_text / on_event for each event
// as it arrives. A Lua error in a callback aborts the transfer (closing its
// connection) and is raised when the turn is finished.
import LLMCore
import LLMProviders
import LLMTransport
import LuaBridge

struct ScriptCallbackError: LuaRaisable {
    let message: String
    func pushLuaError(on L: OpaquePointer, functionName: String) {
        LuaCall(L, name: functionName).push(message)
    }
}

/// Who answers a turn.
enum TurnEngine {
    case direct(any ChatProvider)
    case resilient(ResilientClient, priority: Int)
}

final class ChatTurn: PendingOperation {
    private let engine: TurnEngine
    private let request: ChatRequest
    private let options: ChatOptions
    /// Where callbacks (on_text, on_event) run: the caller's thread, or the
    /// main thread for a task (a suspended coroutine cannot run them).
    private let call: LuaCall
    private var exchange: ChatExchange?
    private var resilient: ResilientCall?
    private var snapshot = PartialToolInputs()
    private(set) var callbackError: ScriptCallbackError?
    /// The provider that answered and when the first token came (seconds after start).
    private(set) var providerName = ""
    private(set) var firstToken: Double?

    init(engine: TurnEngine, request: ChatRequest, options: ChatOptions, call: LuaCall) {
        self.engine = engine
        self.request = request
        self.options = options
        self.call = call.isMainThread ? call : LuaCall(call.mainThread, name: call.name)
    }

    private var outcome: () -> Result<ChatResponse, LLMError>? = { nil }
    private var cancelTurn: (LLMError) -> Void = { _ in }
    var onReady: (() -> Void)?

    /// Starts the turn on the loop; `finish` reads its end. Streamed text
    /// goes to the runtime's default sink (the REPL's console) only for a
    /// call made on the main thread: tasks would interleave their answers.
    func start(runtime: LLMRuntime) {
        let textSink = options.onText == nil && call.isMainThread ? runtime.defaultTextSink : nil
        switch engine {
        case .direct(let provider):
            providerName = provider.name
            let exchange = ChatExchange(provider: provider, request: request, stream: options.stream, transport: runtime.transport) { [weak self] event in
                self?.deliver(event, sink: textSink)
            }
            exchange.onFinish = { [weak self] _ in self?.onReady?() }
            self.exchange = exchange
            exchange.start()
            outcome = { exchange.result }
            cancelTurn = { exchange.cancel($0) }
        case .resilient(let client, let priority):
            let r = client.chat(request, stream: options.stream, priority: priority) { [weak self] event in
                self?.deliver(event, sink: textSink)
            }
            r.onFinish = { [weak self] in self?.onReady?() }
            resilient = r
            outcome = { r.result }
            cancelTurn = { r.cancel($0) }
        }
    }

    var isReady: Bool { outcome() != nil }

    func cancel(_ error: LLMError) { cancelTurn(error) }

    /// The turn's response once it is over, or its error.
    func finish() throws -> ChatResponse {
        if let callbackError { throw callbackError }
        if let hookFailure = resilient?.hookFailure { throw hookFailure }
        if let exchange, let t = exchange.timing.firstToken { firstToken = t - exchange.timing.started }
        if let resilient {
            providerName = resilient.routeName ?? providerName
            firstToken = resilient.timing.ttft
        }
        return try outcome()!.get()
    }

    private func deliver(_ event: ResilientEvent, sink: ((String) -> Void)?) {
        switch event {
        case .stream(let e): deliver(e, sink: sink)
        default:
            guard let onEvent = options.onEvent, callbackError == nil else { return }
            onEvent.push(on: call)
            call.push(resilientEvent: event)
            if let e = call.protectedCall(nargs: 1, nresults: 0) { fail(e, callback: "on_event") }
        }
    }

    private func deliver(_ event: StreamEvent, sink: ((String) -> Void)?) {
        guard callbackError == nil else { return }
        snapshot.apply(event)
        if case .textDelta(_, let text) = event {
            if let onText = options.onText {
                onText.push(on: call)
                call.push(text)
                if let e = call.protectedCall(nargs: 1, nresults: 0) { return fail(e, callback: "on_text") }
            } else {
                sink?(text)
            }
        }
        if let onEvent = options.onEvent {
            onEvent.push(on: call)
            if call.push(event: event, snapshot: { [snapshot] in snapshot.snapshot($0) }) {
                if let e = call.protectedCall(nargs: 1, nresults: 0) { fail(e, callback: "on_event") }
            } else {
                call.pop()
            }
        }
    }

    private func fail(_ error: LuaScriptError, callback: String) {
        callbackError = ScriptCallbackError(message: error.message)
        let cancelled = LLMError(.cancelled, "\(callback) raised an error")
        exchange?.cancel(cancelled)
        resilient?.cancel(cancelled)
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
