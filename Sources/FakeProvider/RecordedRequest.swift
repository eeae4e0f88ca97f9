// What the fake server saw, so tests can assert on what a client sent.

/// One request as received, in arrival order.
public struct RecordedRequest: Sendable {
    public var method: String
    /// The request target as sent, query included: `/v1/messages?beta=true`.
    public var path: String
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// Seconds since the server started, when the request was complete.
    public var receivedAt: Double

    public init(method: String, path: String, headers: [(String, String)], body: [UInt8], receivedAt: Double) {
        self.method = method
        self.path = path
        self.headers = headers
        self.body = body
        self.receivedAt = receivedAt
    }

    /// The first value of header `name`, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.0.lowercased() == wanted }?.1
    }

    /// The body decoded as UTF-8 (invalid bytes become U+FFFD).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
