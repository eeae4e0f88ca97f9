// Splits a recorded stream body into the chunks a Moonwire cassette stores. VCR
// keeps a stream as one string, losing how it arrived; one chunk per event is
// the closest honest guess (servers flush once per event), and it keeps every
// byte: the chunks joined are the body exactly.

enum EventSplitter {
    /// SSE: each event with the blank line that ends it (further blank lines
    /// stay with it, so no chunk is only newlines). A trailing part without a
    /// blank line is the last chunk.
    static func sseEvents(_ body: [UInt8]) -> [[UInt8]] {
        var chunks: [[UInt8]] = []
        var start = 0
        var lineStart = 0
        var i = 0
        var hasContent = false  // leading newlines are not an event of their own
        var endedEvent = false
        while i < body.count {
            let byte = body[i]
            guard byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") else {
                if endedEvent {
                    chunks.append(Array(body[start..<i]))
                    start = i
                    endedEvent = false
                }
                hasContent = true
                i += 1
                continue
            }
            // A line ends here (CRLF counts once); an empty line ends the event.
            let next = byte == UInt8(ascii: "\r") && i + 1 < body.count && body[i + 1] == UInt8(ascii: "\n") ? i + 2 : i + 1
            if lineStart == i && hasContent { endedEvent = true }
            i = next
            lineStart = next
        }
        if start < body.count { chunks.append(Array(body[start...])) }
        return chunks
    }

    /// NDJSON (Ollama's native API): one chunk per line, newline included.
    static func lines(_ body: [UInt8]) -> [[UInt8]] {
        var chunks: [[UInt8]] = []
        var start = 0
        for (i, byte) in body.enumerated() where byte == UInt8(ascii: "\n") {
            chunks.append(Array(body[start...i]))
            start = i + 1
        }
        if start < body.count { chunks.append(Array(body[start...])) }
        return chunks
    }
}
