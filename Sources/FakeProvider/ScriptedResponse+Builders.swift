// Generic builders: a JSON body, and an SSE stream from ready-made event texts.

extension ScriptedResponse {
    /// A JSON body sent whole. `headers` are added after `content-type` and
    /// replace defaults of the same name.
    public static func json(_ text: String, status: Int = 200, headers: [(String, String)] = []) -> ScriptedResponse {
        ScriptedResponse(
            status: status,
            headers: merged([("content-type", "application/json")], headers),
            body: .whole(Array(text.utf8))
        )
    }

    /// A `text/event-stream` response, one chunk per event. Each event is a full
    /// SSE text such as `"event: x\ndata: {...}\n\n"`. The first event goes out
    /// with the head; each later one `interval` seconds after the previous.
    public static func sse(events: [String], interval: Double = 0, headers: [(String, String)] = []) -> ScriptedResponse {
        let chunks = events.enumerated().map { i, event in
            Chunk(delay: i == 0 ? 0 : interval, event)
        }
        return sse(chunks: chunks, headers: headers)
    }

    /// A `text/event-stream` response from chunks with their own delays.
    public static func sse(chunks: [Chunk], headers: [(String, String)] = []) -> ScriptedResponse {
        ScriptedResponse(
            status: 200,
            headers: merged([("content-type", "text/event-stream"), ("cache-control", "no-cache")], headers),
            body: .chunks(chunks)
        )
    }

    /// `defaults` with every header named in `overrides` replaced (names compare
    /// case-insensitively, as HTTP says), then the overrides in their order.
    static func merged(_ defaults: [(String, String)], _ overrides: [(String, String)]) -> [(String, String)] {
        let overridden = Set(overrides.map { $0.0.lowercased() })
        return defaults.filter { !overridden.contains($0.0.lowercased()) } + overrides
    }
}
