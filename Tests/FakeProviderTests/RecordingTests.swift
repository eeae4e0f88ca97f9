// What the server records, how it picks responses, and keep-alive.

import Foundation
import Testing
import FakeProvider

@Suite struct RecordingTests {
    @Test func recordsEachRequestWithPathQueryHeadersAndBody() throws {
        let server = FakeProviderServer(responses: [.json(#"{"ok":true}"#, headers: [("x-request-id", "r1")])])
        let port = try server.start()
        defer { server.stop() }
        let client = try LoopbackHTTPClient(port: port)
        client.send("POST", "/v1/messages?beta=true", headers: [("x-api-key", "k1")], body: #"{"model":"m"}"#)

        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.text == #"{"ok":true}"#)
        #expect(response.header("content-type") == "application/json")
        #expect(response.header("x-request-id") == "r1")

        let request = try #require(server.requests.first)
        #expect(server.requests.count == 1)
        #expect(request.method == "POST")
        #expect(request.path == "/v1/messages?beta=true")
        #expect(request.header("X-Api-Key") == "k1")
        #expect(request.bodyText == #"{"model":"m"}"#)
        #expect(request.receivedAt >= 0)
        #expect(server.chunkSendTimes.map(\.count) == [1], "a whole body counts as one chunk")
    }

    @Test func exhaustedScriptAnswers500NamingTheRequest() throws {
        let server = FakeProviderServer(responses: [.json("{}")])
        let port = try server.start()
        defer { server.stop() }
        let client = try LoopbackHTTPClient(port: port)
        client.send()
        #expect(try client.readResponse().status == 200)
        client.send("POST", "/v1/messages")

        let response = try client.readResponse()
        #expect(response.status == 500)
        #expect(response.text.contains("FakeProvider: no scripted response left for POST /v1/messages"))
        #expect((try? JSONSerialization.jsonObject(with: Data(response.body))) != nil)
        #expect(server.requests.count == 2)
    }

    @Test func handlerModeRoutesOnTheRequest() throws {
        let server = FakeProviderServer { request in
            request.path.hasPrefix("/v1/embeddings") ? .json(#"{"data":[]}"#) : .json("{}", status: 404)
        }
        let port = try server.start()
        defer { server.stop() }
        let client = try LoopbackHTTPClient(port: port)
        client.send("POST", "/v1/embeddings")
        #expect(try client.readResponse().text == #"{"data":[]}"#)
        client.send("GET", "/nope")
        #expect(try client.readResponse().status == 404)
    }

    @Test func keepAliveServesSequentialRequestsOnOneConnection() throws {
        let server = FakeProviderServer(responses: [.json(#"{"n":1}"#), .anthropicText(["hi"])])
        let port = try server.start()
        defer { server.stop() }
        let client = try LoopbackHTTPClient(port: port)
        client.send()
        #expect(try client.readResponse().text == #"{"n":1}"#)
        client.send()
        #expect(try client.readResponse().text.contains("message_stop"))

        #expect(server.acceptedConnections == 1)
        #expect(server.requests.count == 2)
        #expect(server.maxConcurrentRequests == 1)
    }

    @Test func keepAliveHoldsOverManyRequests() throws {
        let server = FakeProviderServer { _ in .json(#"{"data":[{"embedding":[0.5]}]}"#) }
        let port = try server.start()
        defer { server.stop() }
        let client = try LoopbackHTTPClient(port: port)
        for i in 0..<200 {
            client.send("POST", "/v1/embeddings", body: #"{"input":"\#(i)"}"#)
            #expect(try client.readResponse().status == 200)
        }
        #expect(server.acceptedConnections == 1)
        #expect(server.requests.count == 200)
    }

    @Test func connectionCloseRequestIsHonoured() throws {
        let server = FakeProviderServer(responses: [.json("{}")])
        let port = try server.start()
        defer { server.stop() }
        let client = try LoopbackHTTPClient(port: port)
        client.send(headers: [("connection", "close")])
        let response = try client.readResponse()
        #expect(response.header("connection") == "close")
        #expect(try client.readsEOF())
        #expect(server.waitUntil { $0.openConnections == 0 })
        #expect(server.closedByClientCount == 0)
    }

    @Test func expectContinueGetsAnInterimResponse() throws {
        // curl sends large bodies with `expect: 100-continue` and waits a second
        // for this interim answer before giving up and sending anyway.
        let server = FakeProviderServer(responses: [.json("{}")])
        let port = try server.start()
        defer { server.stop() }
        let client = try LoopbackHTTPClient(port: port)
        client.send(headers: [("expect", "100-continue")], body: "x")
        #expect(try client.readHead().status == 100)
        #expect(try client.readResponse().status == 200)
        #expect(server.requests.first?.bodyText == "x")
    }

    @Test func countsConcurrentRequestsAcrossConnections() throws {
        let server = FakeProviderServer { _ in .json("{}").with(fault: .stallBeforeHeaders) }
        let port = try server.start()
        defer { server.stop() }
        let first = try LoopbackHTTPClient(port: port)
        let second = try LoopbackHTTPClient(port: port)
        first.send()
        second.send()
        #expect(server.waitUntil { $0.requests.count == 2 })
        #expect(server.maxConcurrentRequests == 2)
        #expect(server.openConnections == 2)
    }
}
