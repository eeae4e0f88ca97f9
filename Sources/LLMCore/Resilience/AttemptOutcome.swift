// One failed attempt as the retry scheduler sees it: the error (whose kind,
// status and parsed retry-after the provider already filled in), the server's
// explicit verdict if it sent one, and whether the script already saw content.

public struct AttemptOutcome: Sendable, Equatable {
    public var error: LLMError
    /// The `x-should-retry` header: true or false when the server said, nil
    /// when it did not (or said something else).
    public var serverSaysRetry: Bool?
    /// True once any content event of this attempt reached the script; from
    /// then on StreamRecovery decides, not the status.
    public var contentDelivered: Bool

    public init(_ error: LLMError, serverSaysRetry: Bool? = nil, contentDelivered: Bool = false) {
        self.error = error
        self.serverSaysRetry = serverSaysRetry
        self.contentDelivered = contentDelivered
    }

    /// Reads `x-should-retry` from the response head. LLMError does not keep
    /// headers, so the transport passes the head it got (nil for connection
    /// errors, which have none).
    public init(_ error: LLMError, head: HTTPResponseHead?, contentDelivered: Bool = false) {
        self.init(error, serverSaysRetry: head.flatMap(Self.shouldRetryHeader), contentDelivered: contentDelivered)
    }

    /// The SDKs compare the value with exactly "true" and "false"
    /// (`_should_retry`); we also accept other letter cases, and ignore
    /// anything else. (Header values arrive trimmed from the transport.)
    public static func shouldRetryHeader(_ head: HTTPResponseHead) -> Bool? {
        switch head.headers["x-should-retry"]?.lowercased() {
        case "true": true
        case "false": false
        default: nil
        }
    }
}
