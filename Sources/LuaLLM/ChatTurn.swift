// ChatTurn: one request/response turn driven from Lua. It starts an exchange,
// runs the loop until it ends, and calls the script's on_text / on_event for
// each event as it arrives. A Lua error in a callback aborts the transfer
// (closing its connection) and is raised after the loop has returned.
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

final class ChatTurn {
    let exchange: ChatExchange
    private(set) var callbackError: ScriptCallbackError?

    init(runtime: LLMRuntime, provider: any ChatProvider, request: ChatRequest, options: ChatOptions, call: LuaCall) {
        var accumulatorSnapshot = PartialToolInputs()
        let onText = options.onText
        let onEvent = options.onEvent
        weak var weakSelf: ChatTurn?
        exchange = ChatExchange(provider: provider, request: request, stream: options.stream, transport: runtime.transport) { event in
            guard let turn = weakSelf, turn.callbackError == nil else { return }
            accumulatorSnapshot.apply(event)
            if let onText, case .textDelta(_, let text) = event {
                onText.push(on: call)
                call.push(text)
                if let e = call.protectedCall(nargs: 1, nresults: 0) { turn.fail(e, callback: "on_text") }
            }
            if let onEvent, turn.callbackError == nil {
                onEvent.push(on: call)
                if call.push(event: event, snapshot: { accumulatorSnapshot.snapshot($0) }) {
                    if let e = call.protectedCall(nargs: 1, nresults: 0) { turn.fail(e, callback: "on_event") }
                } else {
                    call.pop()
                }
            }
        }
        weakSelf = self
    }

    private func fail(_ error: LuaScriptError, callback: String) {
        callbackError = ScriptCallbackError(message: error.message)
        exchange.cancel(LLMError(.cancelled, "\(callback) raised an error"))
    }

    /// Runs the turn to its end on the loop.
    func run(runtime: LLMRuntime) throws -> ChatResponse {
        exchange.start()
        do {
            try runtime.wait { exchange.isDone }
        } catch {
            exchange.cancel(error)
            throw error
        }
        if let callbackError { throw callbackError }
        switch exchange.result! {
        case .success(let response): return response
        case .failure(let error): throw error
        }
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
