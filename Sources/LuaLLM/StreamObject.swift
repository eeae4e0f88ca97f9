// llm.stream{...}: an iterator over events as they arrive.
//   for ev in llm.stream{ prompt = "Hi" } do io.write(ev.text or "") end
//   local s <close> = llm.stream{...}; local ev = s(); s:cancel(); s:response()
// Each step runs the loop until the next event is in, so tokens reach the
// script the moment they are decoded. Closing the stream (break out of the
// loop, <close>, garbage) aborts the transfer.
import LLMCore
import LLMProviders
import LLMTransport
import LuaBridge

final class LuaStream {
    static let typeName = "llm.Stream"

    let runtime: LLMRuntime
    let model: String
    private(set) var providerName: String
    private var queue: [ResilientEvent] = []
    private var queueHead = 0
    private var partials = PartialToolInputs()
    private(set) var started = false
    private let engine: TurnEngine
    private let request: ChatRequest
    private var exchange: ChatExchange?
    private var resilient: ResilientCall?
    private var startedAt = 0.0

    init(runtime: LLMRuntime, engine: TurnEngine, request: ChatRequest) {
        self.runtime = runtime
        self.engine = engine
        self.request = request
        self.model = request.model
        switch engine {
        case .direct(let provider): providerName = provider.name
        case .resilient(let client, _): providerName = client.config.routes.first?.name ?? "client"
        }
    }

    deinit { cancel() }

    var result: Result<ChatResponse, LLMError>? { exchange?.result ?? resilient?.result }

    func cancel(_ error: LLMError = LLMError(.cancelled, "cancelled")) {
        exchange?.cancel(error)
        resilient?.cancel(error)
    }

    var timing: (latency: Double, ttft: Double?) {
        if let r = resilient { return (r.timing.latency, r.timing.ttft) }
        guard let t = exchange?.timing else { return (0, nil) }
        return ((t.finished ?? t.started) - t.started, t.firstToken.map { $0 - t.started })
    }

    private func start() {
        started = true
        startedAt = runtime.loop.clock.now
        switch engine {
        case .direct(let provider):
            let e = ChatExchange(provider: provider, request: request, stream: true, transport: runtime.transport) { [weak self] event in
                self?.queue.append(.stream(event))
            }
            exchange = e
            e.start()
        case .resilient(let client, let priority):
            resilient = client.chat(request, stream: true, priority: priority) { [weak self] event in
                self?.queue.append(event)
            }
        }
    }

    /// The next event a script sees, nil at the end; a failed call throws.
    func next() throws -> ResilientEvent? {
        if !started { start() }
        while true {
            while queueHead < queue.count {
                let event = queue[queueHead]
                queueHead += 1
                if queueHead == queue.count {
                    queue.removeAll(keepingCapacity: true)
                    queueHead = 0
                }
                if case .stream(let e) = event { partials.apply(e) }
                return event
            }
            if let result {
                if let name = resilient?.routeName { providerName = name }
                if case .failure(let error) = result { throw error }
                return nil
            }
            do {
                try runtime.wait { queueHead < queue.count || result != nil }
            } catch {
                cancel(error)
                throw error
            }
        }
    }

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
        while let event = try stream.next() {
            switch event {
            case .stream(let e):
                if call.push(event: e, snapshot: stream.snapshot) { return 1 }
            default:
                call.push(resilientEvent: event)
                return 1
            }
        }
        call.pushNil()
        return 1
    }

    private static func cancel(_ call: LuaCall) throws -> Int32 {
        let stream = try call.object(1, typeName: typeName, as: LuaStream.self)
        stream.cancel()
        return 0
    }

    /// The complete response once the stream has ended (runs it to the end).
    private static func response(_ call: LuaCall) throws -> Int32 {
        let stream = try call.object(1, typeName: typeName, as: LuaStream.self)
        while try stream.next() != nil {}
        guard case .success(let response)? = stream.result else {
            throw LLMError(.cancelled, "the stream was cancelled before it finished")
        }
        call.push(response: response, provider: stream.providerName, timing: stream.timing)
        return 1
    }

    private static func describe(_ call: LuaCall) throws -> Int32 {
        let stream = try call.object(1, typeName: typeName, as: LuaStream.self)
        let state = stream.result == nil ? (stream.started ? "streaming" : "not started") : "finished"
        call.push("llm.Stream (\(stream.providerName), \(stream.model), \(state))")
        return 1
    }
}
