import FakeProvider
import LLMCore
import LLMProviders
import LLMTransport
import Testing

@Suite("Exchanges on the curl event loop")
struct ExchangeTests {
    private func anthropic(_ server: FakeProviderServer) -> AnthropicProvider {
        AnthropicProvider(endpoint: ProviderEndpoint(baseURL: server.baseURL, apiKey: "k"))
    }

    private func chat(_ loop: EventLoop, _ provider: any ChatProvider, stream: Bool = true, maxBody: Int? = nil) -> ChatExchange {
        let exchange = ChatExchange(provider: provider, request: ChatRequest(model: "claude-test", messages: [Message(role: .user, text: "hi")]), stream: stream, transport: CurlTransport(loop: loop))
        if let maxBody { exchange.maxBodyBytes = maxBody }
        exchange.start()
        loop.run { exchange.isDone }
        return exchange
    }

    @Test("sequential calls reuse one kept-alive connection")
    func keepAlive() throws {
        let server = FakeProviderServer(responses: Array(repeating: .anthropicText(["a"]), count: 5))
        try server.start()
        defer { server.stop() }
        let loop = EventLoop()
        for _ in 0..<5 {
            let e = chat(loop, anthropic(server))
            #expect(try e.result?.get().text == "a")
        }
        #expect(server.requests.count == 5)
        #expect(server.acceptedConnections == 1)
    }

    @Test("a non-streamed body over the bound fails with bad_response instead of growing without limit")
    func bodyBound() throws {
        let big = #"{"id":"m","type":"message","role":"assistant","model":"claude-test","content":[{"type":"text","text":""# + String(repeating: "x", count: 5000) + #""}],"stop_reason":"end_turn","usage":{"input_tokens":1,"output_tokens":1}}"#
        let server = FakeProviderServer(responses: [.json(big), .json(big)])
        try server.start()
        defer { server.stop() }
        let loop = EventLoop()
        let small = chat(loop, anthropic(server), stream: false, maxBody: 1000)
        guard case .failure(let error)? = small.result else { Issue.record("expected a failure"); return }
        #expect(error.kind == .badResponse)
        #expect(error.message.contains("larger than 1000 bytes"))
        let fine = chat(loop, anthropic(server), stream: false)
        #expect(try fine.result?.get().text.count == 5000)
    }

    @Test("a refused connection is a network error naming no secret")
    func refused() throws {
        let server = FakeProviderServer(responses: [])
        try server.start()
        let url = server.baseURL
        server.stop()
        let loop = EventLoop()
        let e = chat(loop, AnthropicProvider(endpoint: ProviderEndpoint(baseURL: url, apiKey: "sk-secret-value")))
        guard case .failure(let error)? = e.result else { Issue.record("expected a failure"); return }
        #expect(error.kind == .network)
        #expect(!error.description.contains("sk-secret-value"))
    }

    @Test("timers fire in deadline order and virtual time jumps without waiting")
    func virtualTimers() {
        let clock = VirtualClock()
        let loop = EventLoop(clock: clock)
        var fired: [String] = []
        loop.schedule(after: 30) { fired.append("30s") }
        loop.schedule(after: 0.5) { fired.append("0.5s") }
        let cancelled = loop.schedule(after: 1) { fired.append("cancelled") }
        loop.cancelTimer(cancelled)
        loop.run { fired.count == 2 }
        #expect(fired == ["0.5s", "30s"])
        #expect(clock.now == 30)
    }
}
