/// A fault in a server-sent-event byte stream. Faults are terminal: the decoder
/// that threw keeps throwing the same error.
public struct SSEError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A short, stable identifier for logs, metrics and cassettes.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }

        public static let lineTooLong = Code("sse_line_too_long")
        public static let eventTooLarge = Code("sse_event_too_large")
        public static let invalidUTF8 = Code("sse_invalid_utf8")

        public var description: String { rawValue }
    }

    public let code: Code
    /// Byte offset in the whole stream (counting from the first byte ever fed)
    /// where the fault starts: the start of the long line, or the invalid byte.
    public let offset: Int
    /// The limit that was exceeded, for the size faults.
    public let limit: Int?

    static func lineTooLong(limit: Int, offset: Int) -> SSEError {
        SSEError(code: .lineTooLong, offset: offset, limit: limit)
    }

    static func eventTooLarge(limit: Int, offset: Int) -> SSEError {
        SSEError(code: .eventTooLarge, offset: offset, limit: limit)
    }

    static func invalidUTF8(offset: Int) -> SSEError {
        SSEError(code: .invalidUTF8, offset: offset, limit: nil)
    }

    public var description: String {
        switch code {
        case .lineTooLong:
            "SSE line at byte \(offset) is longer than the limit of \(limit ?? 0) bytes (\(code))"
        case .eventTooLarge:
            "SSE event data at byte \(offset) exceeds the limit of \(limit ?? 0) bytes (\(code))"
        default:
            "SSE stream has invalid UTF-8 at byte \(offset) (\(code))"
        }
    }
}
