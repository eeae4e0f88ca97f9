// Recorded interaction → FakeProvider response, for `moonwire serve`. Kept
// apart from the server so FakeProvider needs nothing from LLMCore: this is the
// one place where cassette values and --chaos faults become HTTP playback.
import FakeProvider
import JSON
import LLMCore
import LLMTransport

enum ScriptedReplay {
    /// Set by the server from the body it sends, or meaningless once the stored
    /// body is decoded (content-encoding); connection handling is the server's.
    static let droppedHeaders: Set<String> = ["content-length", "transfer-encoding", "content-encoding", "connection", "keep-alive"]

    /// The recorded response as it arrived: chunks spaced as recorded (÷ speed;
    /// 0 sends at once), a recorded transport error as a dropped connection (or
    /// silence, for a timeout). A fault replaces, cuts or corrupts it as a
    /// replay in `moonwire run --chaos` would.
    static func response(for interaction: CassetteInteraction, fault: Fault?, speed: Double) -> ScriptedResponse {
        if fault == .stallBeforeHead { return ScriptedResponse(body: .whole([]), fault: .stallBeforeHeaders) }
        if let fault, let replacement = fault.replacementResponse(for: interaction.request) {
            return response(replacement, error: nil, fault: nil, speed: speed)
        }
        return response(interaction.response, error: interaction.error, fault: fault, speed: speed)
    }

    /// 404 with an error body most SDKs surface as is: which request missed and
    /// the nearest recording.
    static func miss(_ miss: CassetteMiss) -> ScriptedResponse {
        var message = miss.description
        if miss.alreadyReplayed > 0 {
            // Say what would have helped: a test run twice, an app that repeats a call.
            message += " (serve with --repeat to replay recordings again in order, or POST \(CassetteResponder.resetPath) to start over)"
        }
        let body: JSONValue = ["error": ["type": "replay_mismatch", "code": .string(miss.code), "message": .string(message)]]
        // Strings and ints only: writing cannot fail.
        let bytes = (try? JSONWriter().bytes(body)) ?? []
        return ScriptedResponse(status: 404, headers: [("content-type", "application/json")], body: .whole(bytes))
    }

    private static func response(_ recorded: CassetteResponse?, error: CassetteTransportError?, fault: Fault?, speed: Double) -> ScriptedResponse {
        guard let recorded else {
            // The transport failed before any head.
            return ScriptedResponse(body: .whole([]), fault: error?.kind == "timeout" ? .stallBeforeHeaders : .dropBeforeHeaders)
        }
        let headers = recorded.headers.filter { !droppedHeaders.contains($0.key) }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let body: ScriptedResponse.Body
        let chunkCount: Int
        if let chunks = recorded.chunks {
            var previous = recorded.headAtMs
            body = .chunks(chunks.enumerated().map { index, chunk in
                let delay = speed > 0 ? max(0, chunk.atMs - previous) / 1000 / speed : 0
                previous = chunk.atMs
                return ScriptedResponse.Chunk(delay: delay, bytes: fault?.corrupt(chunk.bytes, index: index) ?? chunk.bytes)
            })
            chunkCount = chunks.count
        } else {
            body = .whole(recorded.body?.bytes ?? [])
            chunkCount = 1  // FakeProvider counts a whole body as one chunk
        }
        var cut: ScriptedResponse.Fault?
        switch fault {
        case .drop(let n)?: cut = .dropAfterChunks(n)
        case .stall(let n)?: cut = .stallAfterChunks(n)
        case .stallBeforeHead?: cut = .stallBeforeHeaders
        case .status?, .errorEvent?, .malformed?, .badToolIndex?, nil:
            if let error { cut = error.kind == "timeout" ? .stallAfterChunks(chunkCount) : .dropAfterChunks(chunkCount) }
        }
        // The time to the head is replayed too (issue 12): a non-streamed
        // answer's whole latency, a stream's wait for its first byte.
        let headDelay = speed > 0 ? max(0, recorded.headAtMs) / 1000 / speed : 0
        return ScriptedResponse(status: recorded.status, headers: headers, body: body, fault: cut).delayed(by: headDelay)
    }
}
