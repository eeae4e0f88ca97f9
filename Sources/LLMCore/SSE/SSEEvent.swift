/// One dispatched server-sent event, as the WHATWG EventSource algorithm builds it.
public struct SSEEvent: Sendable, Equatable {
    /// The `event:` field; `nil` means the spec's default type, "message".
    public var event: String?
    /// The `data:` lines of the event joined with "\n" (no trailing newline).
    public var data: String
    /// The stream's last event ID when this event was dispatched. Like
    /// `EventSource.lastEventId` it persists across events until an `id:` line
    /// changes it; `nil` stands for the spec's empty string.
    public var id: String?
    /// A valid `retry:` value (milliseconds) seen in this event's block, if any.
    /// The stream-wide reconnection time is `SSEDecoder.reconnectionTime`.
    public var retry: Int?

    public init(event: String? = nil, data: String, id: String? = nil, retry: Int? = nil) {
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry
    }

    /// The event type with the spec's default applied.
    public var type: String { event ?? "message" }
}
