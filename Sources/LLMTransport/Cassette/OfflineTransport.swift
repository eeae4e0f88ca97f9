// The transport of `moonwire test` when no cassette is in use: every request
// fails at once with a message that says how to record one, so a test suite
// never reaches the network (or spends the user's key) by accident.
import LLMCore

public final class OfflineTransport: HTTPTransport {
    public let loop: EventLoop

    public init(loop: EventLoop) { self.loop = loop }

    public func start(_ request: HTTPRequest, _ callbacks: TransferCallbacks) -> any TransferHandle {
        let endpoint = URLPath.of(request.url)
        let failure = ImmediateFailure(error: LLMError(.replayMismatch, """
            moonwire test is offline: \(request.method) \(endpoint) has no cassette. Give the test one \
            (it(name, { cassette = "name.json" }, fn) or llm.use_cassette(path)) and record it with \
            `moonwire test --record`, or run the tests against the network with `moonwire test --live`
            """), loop: loop, callbacks: callbacks)
        failure.start()
        return failure
    }
}

enum URLPath {
    /// The path of a URL, without scheme, host or query (never a secret in a query).
    static func of(_ url: String) -> Substring {
        var rest = Substring(url)
        if let scheme = rest.range(of: "://") { rest = rest[scheme.upperBound...]; rest = rest.drop { $0 != "/" } }
        return rest.prefix { $0 != "?" && $0 != "#" }
    }
}
