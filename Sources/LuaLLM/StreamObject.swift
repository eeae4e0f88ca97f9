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
    let exchange: ChatExchange
    let providerName: String
    private var queue: [StreamEvent] = []
    private var queueHead = 0
    private var partials = PartialToolInputs()
    private var started = false

    init(runtime: LLMRuntime, provider: any ChatProvider, request: ChatRequest, stream: Bool) {
        self.runtime = runtime
        self.providerName = provider.name
        weak var weakSelf: LuaStream?
        exchange = ChatExchange(provider: provider, request: request, stream: stream, transport: runtime.transport) { event in
            weakSelf?.queue.append(event)
        }
        weakSelf = self
    }

    deinit { exchange.cancel() }

    /// The next event a script sees, nil at the end; a failed call throws.
    func next() throws -> StreamEvent? {
        if !started {
            started = true
            exchange.start()
        }
        while true {
            while queueHead < queue.count {
                let event = queue[queueHead]
                queueHead += 1
                if queueHead == queue.count {
                    queue.removeAll(keepingCapacity: true)
                    queueHead = 0
                }
                partials.apply(event)
                return event
            }
            if let result = exchange.result {
                if case .failure(let error) = result { throw error }
                return nil
            }
            do {
                try runtime.wait { queueHead < queue.count || exchange.isDone }
            } catch {
                exchange.cancel(error)
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
            if call.push(event: event, snapshot: stream.snapshot) { return 1 }
        }
        call.pushNil()
        return 1
    }

    private static func cancel(_ call: LuaCall) throws -> Int32 {
        let stream = try call.object(1, typeName: typeName, as: LuaStream.self)
        stream.exchange.cancel()
        return 0
    }

    /// The complete response once the stream has ended (runs it to the end).
    private static func response(_ call: LuaCall) throws -> Int32 {
        let stream = try call.object(1, typeName: typeName, as: LuaStream.self)
        while try stream.next() != nil {}
        guard case .success(let response)? = stream.exchange.result else {
            throw LLMError(.cancelled, "the stream was cancelled before it finished")
        }
        let timing = stream.exchange.timing
        call.push(response: response, provider: stream.providerName,
                  timing: ((timing.finished ?? timing.started) - timing.started, timing.firstToken.map { $0 - timing.started }))
        return 1
    }

    private static func describe(_ call: LuaCall) throws -> Int32 {
        let stream = try call.object(1, typeName: typeName, as: LuaStream.self)
        let state = stream.exchange.result == nil ? (stream.started ? "streaming" : "not started") : "finished"
        call.push("llm.Stream (\(stream.providerName), \(stream.exchange.request.model), \(state))")
        return 1
    }
}
