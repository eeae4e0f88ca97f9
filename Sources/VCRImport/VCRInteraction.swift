import Foundation

/// One recorded request and its response.
public struct VCRInteraction: Sendable {
    public var request: Request
    public var response: Response

    public struct Request: Sendable {
        public var method: String
        public var uri: String
        /// Header names as recorded (case varies between recorders).
        public var headers: [String: [String]]
        /// The body bytes; `nil` when none was recorded. pydantic-ai's
        /// `parsed_body` comes back as compact JSON in the recorded key order,
        /// equal in meaning to the original bytes but not byte-for-byte.
        public var body: Data?

        public func header(_ name: String) -> [String] { VCRInteraction.values(of: name, in: headers) }
    }

    public struct Response: Sendable {
        public var status: Int
        public var statusMessage: String?
        /// Headers exactly as recorded, so `content-encoding: gzip` stays even
        /// though `body` has been inflated (see `bodyWasGzipped`).
        public var headers: [String: [String]]
        /// The body as the client saw it after content decoding; empty if none.
        public var body: Data
        /// The recording held the body gzip-compressed and the loader inflated it.
        public var bodyWasGzipped: Bool
        /// The body came from pydantic-ai's `parsed_body`: re-serialised JSON,
        /// so the recorded `content-length` no longer describes it.
        public var bodyWasReserialized: Bool

        public func header(_ name: String) -> [String] { VCRInteraction.values(of: name, in: headers) }

        /// Whether the body is a server-sent-event stream.
        public var isEventStream: Bool {
            header("content-type").contains { $0.lowercased().hasPrefix("text/event-stream") }
        }
    }

    /// HTTP header names are case-insensitive.
    static func values(of name: String, in headers: [String: [String]]) -> [String] {
        let wanted = name.lowercased()
        return headers.filter { $0.key.lowercased() == wanted }.sorted { $0.key < $1.key }.flatMap(\.value)
    }
}
