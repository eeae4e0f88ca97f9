// ChatExchange: one chat call to one provider on the loop. It owns the
// transfer, feeds stream bytes through the provider's parser into the
// accumulator, hands each event to the consumer as it arrives, and ends with a
// response or a typed error. No retry here: that wraps exchanges.
import Foundation
import JSON
import LLMCore
import LLMProviders

public struct ExchangeTiming: Sendable {
    public var started: Double = 0
    public var firstByte: Double?
    /// When the first content event (text, thinking or tool input) arrived.
    public var firstToken: Double?
    public var finished: Double?
}

public final class ChatExchange {
    public let provider: any ChatProvider
    public let request: ChatRequest
    public let stream: Bool
    public private(set) var result: Result<ChatResponse, LLMError>?
    public private(set) var timing = ExchangeTiming()
    /// Largest error or non-streamed body kept, and the most text, thinking
    /// and tool input a stream may accumulate; beyond it the call fails.
    public var maxBodyBytes = ResilienceConfig.defaultMaxResponseBytes {
        didSet { accumulator.maxContentBytes = maxBodyBytes }
    }

    private let transport: any HTTPTransport
    private var loop: EventLoop { transport.loop }
    private var transfer: (any TransferHandle)?
    private var parser: (any StreamParser)?
    private var accumulator = StreamAccumulator()
    private var head: HTTPResponseHead?
    private var body: [UInt8] = []
    private var collectBody = false
    private let onEvent: (StreamEvent) -> Void

    public init(
        provider: any ChatProvider, request: ChatRequest, stream: Bool, transport: any HTTPTransport,
        onEvent: @escaping (StreamEvent) -> Void = { _ in }
    ) {
        self.provider = provider
        self.request = request
        self.stream = stream
        self.transport = transport
        self.onEvent = onEvent
    }

    public var isDone: Bool { result != nil }

    /// Called once when the exchange ends, after `result` is set.
    public var onFinish: ((Result<ChatResponse, LLMError>) -> Void)?
    /// Called when the response head arrives (the connection is up).
    public var onHead: ((HTTPResponseHead) -> Void)?
    /// The response head, once it arrived (a retry reads `x-should-retry` from it).
    public var responseHead: HTTPResponseHead? { head }
    /// True once a content event reached the consumer.
    public private(set) var deliveredContent = false
    /// What the response holds so far (the partial text of a cut stream).
    public var partialResponse: ChatResponse { accumulator.response }

    public func start() {
        timing.started = loop.clock.now
        let http: HTTPRequest
        do {
            http = try provider.chatRequest(request, stream: stream)
        } catch {
            finish(.failure(error))
            return
        }
        transfer = transport.start(http, TransferCallbacks(
            // Weak: the owner may let go of an exchange it cancelled before
            // the transport reports the cancelled transfer's end.
            onHead: { [weak self] head in self?.serialized { self?.received(head) } },
            onBody: { [weak self] bytes in
                guard let self else { return }
                if self.delivering {
                    let copy = Array(bytes)  // only valid during this call
                    self.serialized { copy.withUnsafeBytes { self.received($0) } }
                } else {
                    self.delivering = true
                    self.received(bytes)
                    self.drainBacklog()
                }
            },
            onComplete: { [weak self] error in self?.serialized { self?.completed(error) } }))
    }

    /// True while a delivery (and the callbacks it runs) is on the stack.
    private var delivering = false
    private var backlog: [() -> Void] = []

    /// One transfer's deliveries are never nested: a callback that waits
    /// (llm.sleep, another call) runs the loop, which may bring more of this
    /// transfer; that part is kept and delivered, in order, after the
    /// callback returns (issue 10: tokens were lost and usage was wrong).
    private func serialized(_ work: @escaping () -> Void) {
        if delivering { return backlog.append(work) }
        delivering = true
        work()
        drainBacklog()
    }

    private func drainBacklog() {
        while !backlog.isEmpty {
            let next = backlog.removeFirst()
            next()
        }
        delivering = false
    }

    /// Stops the call: the transfer is aborted and its connection closed.
    public func cancel(_ error: LLMError = LLMError(.cancelled, "cancelled")) {
        guard result == nil else { return }
        finish(.failure(error))
        transfer?.cancel(error)
    }

    private func received(_ head: HTTPResponseHead) {
        self.head = head
        timing.firstByte = loop.clock.now
        onHead?(head)
        let contentType = head.headers["content-type"] ?? ""
        if !(200..<300).contains(head.status) || !stream || !contentType.contains("event-stream") {
            collectBody = true
        } else {
            parser = provider.makeStreamParser()
        }
    }

    private func received(_ bytes: UnsafeRawBufferPointer) {
        guard result == nil else { return }
        if collectBody {
            guard body.count + bytes.count <= maxBodyBytes else {
                cancel(LLMError(.badResponse, "response body larger than \(maxBodyBytes) bytes (max_response_bytes)", status: head?.status, provider: provider.name))
                return
            }
            body.append(contentsOf: bytes)
            return
        }
        do {
            let events = try parser!.feed(bytes)
            try deliver(events)
        } catch {
            cancel(annotate(error))
        }
    }

    private func deliver(_ events: [StreamEvent]) throws(LLMError) {
        for event in events {
            guard result == nil else { return }
            try accumulator.apply(event)
            if event.isContent {
                if timing.firstToken == nil { timing.firstToken = loop.clock.now }
                deliveredContent = true
            }
            onEvent(event)
        }
    }

    private func completed(_ error: LLMError?) {
        guard result == nil else { return }
        if var error {
            error.provider = provider.name
            finish(.failure(error))
            return
        }
        guard let head else {
            finish(.failure(LLMError(.network, "connection closed before a response", provider: provider.name)))
            return
        }
        do throws(LLMError) {
            if !(200..<300).contains(head.status) {
                finish(.failure(annotate(provider.error(for: head, body: body))))
            } else if collectBody {
                finish(.success(try parseWholeBody(head)))
            } else {
                do throws(LLMError) {
                    try deliver(try parser!.finish())
                } catch {
                    // The server closed a stream it had not finished: a dropped
                    // connection (retryable), not a malformed answer.
                    guard error.kind == .badResponse, !accumulator.response.message.content.isEmpty else { throw error }
                    throw LLMError(.network, "connection closed before the stream ended (\(error.message))", provider: provider.name)
                }
                guard result == nil else { return }
                finish(.success(try accumulator.finish()))
            }
        } catch {
            finish(.failure(annotate(error)))
        }
    }

    /// A streamed request answered with a whole body: some compatible servers
    /// ignore `stream`; anything else (an HTML page) is a bad response.
    private func parseWholeBody(_ head: HTTPResponseHead) throws(LLMError) -> ChatResponse {
        do {
            return try provider.parseChatResponse(body)
        } catch {
            if stream {
                let type = head.headers["content-type"] ?? "no content-type"
                throw LLMError(.badResponse, "expected an event stream, got \(type): \(BodyExcerpt.text(body))", status: head.status)
            }
            throw error
        }
    }

    private func annotate(_ error: LLMError) -> LLMError {
        var e = error
        if e.provider == nil { e.provider = provider.name }
        if e.status == nil, let status = head?.status, !(200..<300).contains(status) { e.status = status }
        return e
    }

    private func finish(_ outcome: Result<ChatResponse, LLMError>) {
        guard result == nil else { return }
        timing.finished = loop.clock.now
        result = outcome
        let finish = onFinish
        onFinish = nil
        finish?(outcome)
    }
}
