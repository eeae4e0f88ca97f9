// Starting, stopping and the event loop thread's life.

import Foundation
import Testing
@testable import FakeProvider

@Suite struct ServerLifecycleTests {
    @Test func startsOnAnEphemeralLoopbackPortAndReportsIt() throws {
        let server = FakeProviderServer(responses: [])
        #expect(server.port == nil)
        let port = try server.start()
        defer { server.stop() }
        #expect(port > 0)
        #expect(server.port == port)
        #expect(server.baseURL == "http://127.0.0.1:\(port)")
        #expect(try server.start() == port, "a second start returns the same port")
        #expect(server.openConnections == 0 && server.acceptedConnections == 0)
    }

    @Test func stopIsIdempotentAndJoinsTheEventLoopThread() throws {
        let server = FakeProviderServer(responses: [.json("{}")])
        let port = try server.start()
        let thread = try #require(server.onEventLoop { currentThreadID() })
        #expect(threadIsAlive(thread))

        server.stop()
        server.stop()
        #expect(!threadIsAlive(thread))
        #expect(server.onEventLoop { 1 } == nil)
        #expect(throws: FakeProviderError.stopped) { try server.start() }
        #expect(throws: LoopbackHTTPClient.Failure.connect(ECONNREFUSED)) { try LoopbackHTTPClient(port: port) }
    }

    @Test func deinitStopsTheServer() throws {
        var server: FakeProviderServer? = FakeProviderServer(responses: [])
        try server!.start()
        let thread = try #require(server!.onEventLoop { currentThreadID() })
        server = nil
        #expect(!threadIsAlive(thread))
    }

    @Test func stopClosesStalledConnectionsWithoutBlamingTheClient() throws {
        let server = FakeProviderServer(responses: [.json("{}").with(fault: .stallBeforeHeaders)])
        let port = try server.start()
        let client = try LoopbackHTTPClient(port: port)
        client.send()
        #expect(server.waitUntil { $0.requests.count == 1 })

        server.stop()
        #expect(try client.readsEOF())
        #expect(server.closedByClientCount == 0)
        #expect(server.openConnections == 0)
    }
}

/// The kernel id of the calling thread, from /proc/thread-self ("PID/task/TID").
private func currentThreadID() -> String {
    let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")) ?? ""
    return String(link.split(separator: "/").last ?? "")
}

private func threadIsAlive(_ id: String) -> Bool {
    !id.isEmpty && FileManager.default.fileExists(atPath: "/proc/self/task/\(id)")
}
