// llm.stream{...}: an iterator over events as they arrive.
//   for ev in llm.stream{ prompt = "Hi" } do io.write(ev.text or "") end
//   local s <close> = llm.stream{...}; local ev = s(); s:cancel(); s:response()
// Each step waits (LLMRuntime.await) until the next event is in, so tokens
// reach the script the moment they are decoded. Closing the stream (break out of the
// loop, <close>, garbage) aborts the transfer.
import LLMCore
import LLMProviders
import LLMTransport
import LuaBridge

final class LuaStream: PendingOperation {
    static let typeName = "llm.Stream"

    let runtime: LLMRuntime
    let model: String
    private(set) var providerName: String
    private var queue: [ResilientEvent] = []
    private var queueHead = 0
    private var partials = PartialToolInputs()
    private(set) var started = false
    private let target: CallTarget
    private let request: ChatRequest
    private var resilient: ResilientCall?
    /// An iterator step returned content of the running attempt.
    private var returnedContent = false
    var onReady: (() -> Void)?

    init(runtime: LLMRuntime, target: CallTarget, request: ChatRequest) {
        self.runtime = runtime
        self.target = target
        self.request = request
        self.model = request.model
        providerName = target.firstRouteName
    }

    deinit { cancel() }

    var result: Result<ChatResponse, LLMError>? { resilient?.result }

    func cancel(_ error: LLMError = LLMError(.cancelled, "cancelled")) {
        resilient?.cancel(error)
    }

    var resilientCost: Double { resilient?.cost ?? 0 }

    var timing: (latency: Double, ttft: Double?) {
        guard let r = resilient else { return (0, nil) }
        return (r.timing.latency, r.timing.ttft)
    }

    private func start() {
        started = true
        let r = target.start(request, stream: true) { [weak self] event in
            self?.received(event)
        }
        r.contentSeen = { [weak self] in self?.returnedContent ?? true }
        r.onFinish = { [weak self] in self?.onReady?() }
        resilient = r
    }

    private func received(_ event: ResilientEvent) {
        if case .discardUnseen = event {
            // The attempt was cut before the script read any of its content:
            // what it sent is dropped, the next attempt starts from nothing.
            queue = Array(queue[queueHead...]).filter { if case .stream = $0 { return false } else { return true } }
            queueHead = 0
            partials = PartialToolInputs()
            return
        }
        queue.append(event)
        onReady?()
    }

    /// An event is in, or the stream is over.
    var isReady: Bool { queueHead < queue.count || result != nil }

    /// The next event that is in, or nil (over when `result` is set, else
    /// not yet); a failed call throws once its events are read.
    func poll() throws -> ResilientEvent? {
        if queueHead < queue.count {
            let event = queue[queueHead]
            queueHead += 1
            if queueHead == queue.count {
                queue.removeAll(keepingCapacity: true)
                queueHead = 0
            }
            if case .stream(let e) = event {
                partials.apply(e)
                if e.isContent { returnedContent = true }
            }
            return event
        }
        if let result {
            if let name = resilient?.answeringRoute { providerName = name }
            if case .failure(let error) = result { throw error }
        }
        return nil
    }

    /// Starts the call the first time a script asks for an event.
    func startIfNeeded(_ call: LuaCall) throws {
        guard !started else { return }
        try runtime.checkCanWait(call, what: "reading an llm.Stream")
        start()
    }

    var isOver: Bool { queueHead == queue.count && result != nil }

    func snapshot(_ index: Int) -> String { partials.snapshot(index) }

    static func push(_ stream: LuaStream, on call: LuaCall) {
        call.pushObject(stream, typeName: typeName) { c, mt in
            c.pushFunction(name: "__call", nextEvent); c.setField(mt, "__call")
            c.pushFunction(name: "__close", cancel); c.setField(mt, "__close")
            c.pushFunction(name: "__tostring", describe); c.setField(mt, "__tostring")
            c.newTable(recordCount: 3)
            let methods = c.absolute(-1)
            c.pushFunction(name: "next", nextEvent); c.setField(methods, "next")
            c.pushFunction(name: "cancel", cancel); c.setField(methods, "cancel")
            c.pushFunction(name: "response", response); c.setField(methods, "response")
            c.setField(mt, "__index")
        }
    }

    private static func nextEvent(_ call: LuaCall) throws -> Int32 {
        let stream = try call.object(1, typeName: typeName, as: LuaStream.self)
        try stream.startIfNeeded(call)
        while let event = try stream.poll() {
            switch event {
            case .stream(let e):
                if call.push(event: e, snapshot: stream.snapshot) { return 1 }
            default:
                call.push(resilientEvent: event)
                return 1
            }
        }
        if stream.isOver {
            call.pushNil()
            return 1
        }
        return try stream.runtime.await(call, stream, what: "reading an llm.Stream") { c in try nextEvent(c) }
    }

    private static func cancel(_ call: LuaCall) throws -> Int32 {
        let stream = try call.object(1, typeName: typeName, as: LuaStream.self)
        stream.cancel()
        return 0
    }

    /// The complete response once the stream has ended (runs it to the end).
    private static func response(_ call: LuaCall) throws -> Int32 {
        let stream = try call.object(1, typeName: typeName, as: LuaStream.self)
        try stream.startIfNeeded(call)
        while try stream.poll() != nil {}
        guard stream.isOver else {
            return try stream.runtime.await(call, stream, what: "reading an llm.Stream") { c in try response(c) }
        }
        guard case .success(let response)? = stream.result else {
            throw LLMError(.cancelled, "the stream was cancelled before it finished")
        }
        call.push(response: response, provider: stream.providerName, timing: stream.timing, cost: stream.resilientCost)
        return 1
    }

    private static func describe(_ call: LuaCall) throws -> Int32 {
        let stream = try call.object(1, typeName: typeName, as: LuaStream.self)
        let state = stream.result == nil ? (stream.started ? "streaming" : "not started") : "finished"
        call.push("llm.Stream (\(stream.providerName), \(stream.model), \(state))")
        return 1
    }
}
