// The fake server's bounds against hostile clients (issue 16): a request body
// past the limit is answered 413 and never kept; a connection that does not
// send a whole request in time (slowloris) is closed.
import FakeProvider
import Testing

@Suite("FakeProvider limits", .serialized)
struct ServerLimitsTests {
    @Test("a body past maxRequestBodyBytes is answered 413 and the connection closed; the request is not recorded")
    func bodyTooLarge() throws {
        let server = FakeProviderServer(responses: [.json("{}")])
        server.limits = ServerLimits(maxRequestBodyBytes: 64 * 1024, requestTimeout: 30)
        let port = try server.start()
        defer { server.stop() }
        let client = try LoopbackHTTPClient(port: port)
        defer { client.close() }
        client.send(body: String(repeating: "x", count: 200 * 1024))
        let response = try client.readResponse()
        #expect(response.status == 413)
        #expect(String(decoding: response.body, as: UTF8.self).contains("request body larger than 65536 bytes"))
        #expect(try client.readsEOF())
        #expect(server.requests.isEmpty)
    }

    @Test("a connection that sends its headers too slowly, or nothing, is closed after requestTimeout")
    func slowlorisIsClosed() throws {
        let server = FakeProviderServer(responses: [.json("{}")])
        server.limits = ServerLimits(maxRequestBodyBytes: 1 << 20, requestTimeout: 0.3)
        let port = try server.start()
        defer { server.stop() }
        let slow = try LoopbackHTTPClient(port: port, readTimeout: 10)
        defer { slow.close() }
        let idle = try LoopbackHTTPClient(port: port, readTimeout: 10)
        defer { idle.close() }
        slow.sendRaw("POST /v1/messages HTTP/1.1\r\nhost: 127.0.0.1\r\nx-slow: ")
        // Each read waits up to 10 s; the server closes after 0.3 s.
        #expect(try slow.readsEOF())
        #expect(try idle.readsEOF())
        // A well-behaved client still gets its answer.
        let good = try LoopbackHTTPClient(port: port)
        defer { good.close() }
        good.send()
        #expect(try good.readResponse().status == 200)
    }
}
