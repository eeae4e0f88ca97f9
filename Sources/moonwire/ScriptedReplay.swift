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

    /// The recorded response as it arrived, under the fault as
    /// FaultedResponse interprets it (the same as `run --chaos`): chunks spaced
    /// as recorded (÷ speed; 0 sends at once), and the ending over HTTP: a
    /// transport error drops the connection, a timeout or a stall goes silent.
    static func response(for interaction: CassetteInteraction, fault: Fault?, speed: Double) -> ScriptedResponse {
        let faulted = FaultedResponse(interaction, fault: fault)
        guard let recorded = faulted.response else {
            // No head, ever.
            switch faulted.ending {
            case .silence, .error(kind: .timeout, _, _): return ScriptedResponse(body: .whole([]), fault: .stallBeforeHeaders)
            case .error, .complete: return ScriptedResponse(body: .whole([]), fault: .dropBeforeHeaders)
            }
        }
        let headers = recorded.headers.filter { !droppedHeaders.contains($0.key) }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let body: ScriptedResponse.Body
        let chunkCount: Int
        if let chunks = recorded.chunks {
            var previous = recorded.headAtMs
            body = .chunks(chunks.map { chunk in
                let delay = speed > 0 ? max(0, chunk.atMs - previous) / 1000 / speed : 0
                previous = chunk.atMs
                return ScriptedResponse.Chunk(delay: delay, bytes: chunk.bytes)
            })
            chunkCount = chunks.count
        } else if let whole = recorded.body {
            body = .whole(whole.bytes)
            chunkCount = 1  // FakeProvider counts a whole body as one chunk
        } else {
            body = .chunks([])
            chunkCount = 0
        }
        let cut: ScriptedResponse.Fault? = switch faulted.ending {
        case .complete: nil
        case .silence, .error(kind: .timeout, _, _): .stallAfterChunks(chunkCount)
        case .error: .dropAfterChunks(chunkCount)
        }
        // The time to the head is replayed too (issue 12): a non-streamed
        // answer's whole latency, a stream's wait for its first byte.
        let headDelay = speed > 0 ? max(0, recorded.headAtMs) / 1000 / speed : 0
        return ScriptedResponse(status: recorded.status, headers: headers, body: body, fault: cut).delayed(by: headDelay)
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
}
