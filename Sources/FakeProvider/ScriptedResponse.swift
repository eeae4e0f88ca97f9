// FakeProvider: a loopback HTTP/1.1 server (SwiftNIO) that plays scripted LLM
// responses to tests and to `moonwire serve`. It depends only on Foundation and
// NIO so that every other target's tests can use it. This file: the script value.

/// One response the fake server plays: status, headers, a body sent whole or in
/// timed chunks, and optionally a fault that breaks the exchange on purpose.
public struct ScriptedResponse: Sendable {
    public var status: Int
    /// Sent in order. `content-length` or `transfer-encoding: chunked` is added
    /// from the body when absent.
    public var headers: [(String, String)]
    public var body: Body
    public var fault: Fault?
    /// Seconds between the request and the response head (a server working
    /// on it, or waiting for a free worker).
    public var headDelay: Double = 0

    public enum Body: Sendable {
        /// Sent at once with a `content-length`.
        case whole([UInt8])
        /// Chunked transfer-encoding: each chunk is written and flushed on its own,
        /// after its delay, so clients see them arrive separately.
        case chunks([Chunk])
    }

    public struct Chunk: Sendable {
        /// Seconds to wait before sending, counted from the previous chunk (or from
        /// the response head for the first one).
        public var delay: Double
        public var bytes: [UInt8]

        public init(delay: Double = 0, bytes: [UInt8]) {
            self.delay = delay
            self.bytes = bytes
        }

        public init(delay: Double = 0, _ text: String) {
            self.init(delay: delay, bytes: Array(text.utf8))
        }
    }

    /// Ways to break an exchange, for testing a client's error paths.
    /// A `.whole` body counts as one chunk; an `n` above the number of chunks
    /// means after the last one, before the end of the body.
    public enum Fault: Sendable, Equatable {
        /// Send the head and `n` chunks, then close the connection (a FIN, not a
        /// RST, so the client reliably reads what was sent before it sees the
        /// truncated body).
        case dropAfterChunks(Int)
        /// Send the head and `n` chunks, then nothing more; the socket stays open
        /// until the client closes it or the server stops.
        case stallAfterChunks(Int)
        /// Read the request and never answer.
        case stallBeforeHeaders
        /// Read the request and close the connection without answering, as a
        /// server that crashed or a proxy that gave up would.
        case dropBeforeHeaders
    }

    public init(status: Int = 200, headers: [(String, String)] = [], body: Body, fault: Fault? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.fault = fault
    }

    /// The same response, its head sent `seconds` after the request.
    public func delayed(by seconds: Double) -> ScriptedResponse {
        var copy = self
        copy.headDelay = seconds
        return copy
    }

    /// The same response with a fault added: `.anthropicText(["a", "b"]).with(fault: .dropAfterChunks(3))`.
    public func with(fault: Fault?) -> ScriptedResponse {
        var copy = self
        copy.fault = fault
        return copy
    }
}
