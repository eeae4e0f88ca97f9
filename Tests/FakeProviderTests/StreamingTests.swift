// Chunked streams and faults. Assertions are on order, chunk framing and the
// server's own timers (which never fire early), never on upper time bounds.

import Foundation
import Testing
import FakeProvider

@Suite struct StreamingTests {
    private let events = ["data: 1\n\n", "data: 2\n\n", "data: 3\n\n"]

    @Test func sseChunksArriveInOrderOneEventPerChunkAfterTheirDelays() throws {
        let server = FakeProviderServer(responses: [.sse(events: events, interval: 0.05)])
        let port = try server.start()
        defer { server.stop() }
        let client = try LoopbackHTTPClient(port: port)
        client.send()

        let head = try client.readHead()
        #expect(head.status == 200)
        #expect(head.headers.contains { $0 == ("content-type", "text/event-stream") })
        #expect(head.headers.contains { $0 == ("transfer-encoding", "chunked") })
        var received: [String] = []
        while let chunk = try client.readChunk() { received.append(String(decoding: chunk, as: UTF8.self)) }
        #expect(received == events)

        let times = try #require(server.chunkSendTimes.first)
        #expect(times.count == 3)
        for (earlier, later) in zip(times, times.dropFirst()) {
            #expect(later - earlier >= 0.049, "each event waits its interval after the previous one")
        }
    }

    @Test func eachChunkIsFlushedWhenWritten() throws {
        // The body never ends, so the client can only see these chunks if each was
        // flushed on its own rather than buffered until the end.
        let server = FakeProviderServer(responses: [.sse(events: events).with(fault: .stallAfterChunks(2))])
        let port = try server.start()
        defer { server.stop() }
        let client = try LoopbackHTTPClient(port: port)
        client.send()
        _ = try client.readHead()
        #expect(try client.readChunk() == Array(events[0].utf8))
        #expect(try client.readChunk() == Array(events[1].utf8))
    }

    @Test func dropAfterChunksClosesTheConnectionMidBody() throws {
        let server = FakeProviderServer(responses: [.sse(events: events).with(fault: .dropAfterChunks(2))])
        let port = try server.start()
        defer { server.stop() }
        let client = try LoopbackHTTPClient(port: port)
        client.send()
        _ = try client.readHead()
        #expect(try client.readChunk() == Array(events[0].utf8))
        #expect(try client.readChunk() == Array(events[1].utf8))
        #expect(throws: LoopbackHTTPClient.Failure.closedByServer) { try client.readChunk() }
        #expect(server.waitUntil { $0.openConnections == 0 })
        #expect(server.closedByClientCount == 0, "the server's own drop is not the client's close")
    }

    @Test func dropAfterZeroChunksSendsOnlyTheHead() throws {
        let server = FakeProviderServer(responses: [.json(#"{"a":1}"#).with(fault: .dropAfterChunks(0))])
        let port = try server.start()
        defer { server.stop() }
        let client = try LoopbackHTTPClient(port: port)
        client.send()
        #expect(try client.readHead().status == 200)
        #expect(try client.readsEOF())
    }

    @Test func clientAbortingAStalledStreamIsCounted() throws {
        let server = FakeProviderServer(responses: [.anthropicText(["a", "b"]).with(fault: .stallAfterChunks(1))])
        let port = try server.start()
        defer { server.stop() }
        let client = try LoopbackHTTPClient(port: port)
        client.send()
        _ = try client.readHead()
        #expect(try client.readChunk() != nil)
        client.close()
        #expect(server.waitUntil { $0.closedByClientCount == 1 && $0.openConnections == 0 })
    }

    @Test func stallBeforeHeadersSendsNothing() throws {
        let server = FakeProviderServer(responses: [.json("{}").with(fault: .stallBeforeHeaders)])
        let port = try server.start()
        defer { server.stop() }
        let client = try LoopbackHTTPClient(port: port, readTimeout: 0.2)
        client.send()
        #expect(server.waitUntil { $0.requests.count == 1 })
        #expect(throws: LoopbackHTTPClient.Failure.timedOut) { try client.readHead() }
        client.close()
        #expect(server.waitUntil { $0.closedByClientCount == 1 })
    }

    @Test func aDelayedStreamAbortedMidwayStopsItsTimer() throws {
        // The second event is far in the future; closing must cancel it cleanly
        // and the connection must count as closed by the client.
        let server = FakeProviderServer(responses: [.sse(chunks: [.init("data: 1\n\n"), .init(delay: 60, "data: 2\n\n")])])
        let port = try server.start()
        defer { server.stop() }
        let client = try LoopbackHTTPClient(port: port)
        client.send()
        _ = try client.readHead()
        #expect(try client.readChunk() == Array("data: 1\n\n".utf8))
        client.close()
        #expect(server.waitUntil { $0.closedByClientCount == 1 && $0.openConnections == 0 })
        #expect(server.chunkSendTimes.first?.count == 1)
    }
}
