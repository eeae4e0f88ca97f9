// The fake server's public face: scripted or routed responses, start/stop, and
// thread-safe views of what happened for tests to assert on.

import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// A loopback HTTP/1.1 server on 127.0.0.1 that plays scripted LLM responses.
///
///     let server = FakeProviderServer(responses: [.anthropicText(["Hel", "lo"], interval: 0.05)])
///     try server.start()
///     defer { server.stop() }
///     // point the client at server.baseURL, then assert on server.requests
///
/// Runs on its own single-thread NIO event loop group; all properties may be read
/// from any thread.
public final class FakeProviderServer: @unchecked Sendable {
    private enum Phase {
        case idle
        case running(group: MultiThreadedEventLoopGroup, channel: any Channel, port: Int)
        case stopped(port: Int?)
    }

    private let ledger: ServerLedger
    /// Guards `phase` only; never held while waiting on the event loop, so a
    /// route handler may read `baseURL` while `stop()` runs.
    private let phaseLock = NSLock()
    private var phase = Phase.idle

    /// Bounds on what a client may make the server hold; set before start().
    public var limits = ServerLimits()

    /// Plays `responses` in order, one per request whatever its path; past the
    /// end, each request gets a 500 that names it.
    public init(responses: [ScriptedResponse]) {
        ledger = ServerLedger(script: .queue(responses))
    }

    /// Answers each request with `handler(request)`, e.g. routing on its path.
    /// Runs on the server's event loop: it must not block, nor call `stop()`.
    public init(handler: @escaping @Sendable (RecordedRequest) -> ScriptedResponse) {
        ledger = ServerLedger(script: .handler(handler))
    }

    deinit {
        stop()
    }

    /// Binds 127.0.0.1 on `port` (0: an ephemeral port) and starts serving.
    /// Returns the bound port; a second call returns it again.
    @discardableResult
    public func start(port: Int = 0) throws -> Int {
        phaseLock.lock()
        defer { phaseLock.unlock() }
        switch phase {
        case .running(_, _, let port): return port
        case .stopped: throw FakeProviderError.stopped
        case .idle: break
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let ledger = self.ledger
        let limits = self.limits
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            // Thousands of clients connect at once in the concurrency benchmark; a
            // short accept queue drops their SYNs and they wait seconds to retry.
            .serverChannelOption(.backlog, value: 4096)
            // Streaming tests time small chunks; Nagle would hold them back.
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(ExchangeHandler(ledger: ledger, limits: limits))
                }
            }
        do {
            ledger.update { $0.startedAt = .now() }
            let channel = try bootstrap.bind(host: "127.0.0.1", port: port).wait()
            let bound = channel.localAddress?.port ?? port
            phase = .running(group: group, channel: channel, port: bound)
            return bound
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
    }

    /// Closes the listener and every connection, then shuts the event loop thread
    /// down and joins it. Idempotent; also runs on deinit.
    public func stop() {
        phaseLock.lock()
        let previous = phase
        if case .running(_, _, let port) = previous {
            phase = .stopped(port: port)
        } else if case .idle = previous {
            phase = .stopped(port: nil)
        }
        phaseLock.unlock()
        guard case .running(let group, let listener, _) = previous else { return }

        // Closes made here are the server's doing, not the client's.
        let connections = ledger.update { record in
            record.stopping = true
            return Array(record.channels.values)
        }
        listener.close(promise: nil)
        for connection in connections {
            connection.close(promise: nil)
        }
        // Our own serial queue, not syncShutdownGracefully's .global(): serial queues
        // get a thread at once, while the global pool, starved by tests blocking
        // the cooperative threads in parallel, took about a second to get one.
        let finished = DispatchSemaphore(value: 0)
        group.shutdownGracefully(queue: DispatchQueue(label: "FakeProvider.shutdown")) { _ in finished.signal() }
        if !listener.eventLoop.inEventLoop {
            finished.wait()  // returns once the loop thread is joined
        }
    }

    /// The bound port, once started (still known after `stop()`, so a test can
    /// check that a stopped server refuses connections).
    public var port: Int? {
        phaseLock.lock()
        defer { phaseLock.unlock() }
        switch phase {
        case .idle: return nil
        case .running(_, _, let port): return port
        case .stopped(let port): return port
        }
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    public var baseURL: String {
        guard let port else { preconditionFailure("FakeProviderServer.baseURL read before start()") }
        return "http://127.0.0.1:\(port)"
    }

    /// Every complete request so far, in arrival order.
    public var requests: [RecordedRequest] { ledger.read { $0.requests } }

    /// For each request (same index as `requests`), the times in seconds since
    /// start at which each chunk of its response was written and flushed. A
    /// `.whole` body is one chunk. Complete for every chunk a client has read.
    public var chunkSendTimes: [[Double]] { ledger.read { $0.chunkSendTimes } }

    /// Seconds since start now, on the scale of `chunkSendTimes` and
    /// `receivedAt`, so a test can time what its client saw against them.
    public var now: Double { ledger.read { $0.now } }

    /// Connections accepted since start; keep-alive reuse shows as fewer
    /// connections than requests.
    public var acceptedConnections: Int { ledger.read { $0.acceptedConnections } }
    public var openConnections: Int { ledger.read { $0.openConnections } }
    /// The most requests in progress at once, over all connections.
    public var maxConcurrentRequests: Int { ledger.read { $0.maxConcurrentRequests } }
    /// Connections the client closed while a response was still being played
    /// (an aborted stream); the server's own closes are not counted.
    public var closedByClientCount: Int { ledger.read { $0.closedByClientCount } }

    /// Blocks until `condition` holds or `timeout` seconds pass; returns whether it
    /// held. Wakes on every change the server records, so it does not poll.
    /// For effects that land just after a client returns, such as a closed connection.
    public func waitUntil(timeout: Double = 5, _ condition: (FakeProviderServer) -> Bool) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while true {
            let seen = ledger.read { $0.version }
            if condition(self) { return true }
            if Date() >= deadline { return false }
            ledger.waitForChange(after: seen, until: deadline)
        }
    }

    /// Runs `body` on the event loop thread and returns its result (nil when not
    /// running); lets tests look at that thread, e.g. to check `stop()` ends it.
    func onEventLoop<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T? {
        phaseLock.lock()
        let current = phase
        phaseLock.unlock()
        guard case .running(_, let channel, _) = current else { return nil }
        return try? channel.eventLoop.submit(body).wait()
    }
}
