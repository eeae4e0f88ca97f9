// What one client may make the fake server hold (issue 16): a request body
// past `maxRequestBodyBytes` is answered 413 and its connection closed without
// reading the rest into memory; a connection that has not sent a whole request
// within `requestTimeout` seconds of connecting (or of its last response) is
// closed, so slow or idle clients cannot hold connections forever. Accepting
// backs off on EMFILE through NIO's AcceptBackoffHandler, which ServerBootstrap installs.

public struct ServerLimits: Sendable {
    public var maxRequestBodyBytes: Int
    public var requestTimeout: Double

    public init(maxRequestBodyBytes: Int = 32 << 20, requestTimeout: Double = 60) {
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.requestTimeout = requestTimeout
    }
}
