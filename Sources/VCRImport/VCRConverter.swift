// VCR cassette → Moonwire cassette, for `moonwire cassette import`, so
// recordings made with vcrpy / pytest-recording replay in Moonwire.
//
// VCR stores no timing, so offsets are synthetic: every response head at 0 ms,
// a stream's events (one chunk each, see EventSplitter) at 1 ms, 2 ms, …; a
// replay at `--speed 0` never waits for them anyway.
import Foundation
import LLMCore

public enum VCRConverter {
    /// Milliseconds between synthetic stream chunks.
    public static let chunkSpacingMs = 1.0

    /// - Parameter redactor: applied to request URLs, headers and bodies and to
    ///   response headers; with no secrets it still replaces credential headers
    ///   (`authorization`, `x-api-key`, cookies, …) by name.
    public static func convert(_ vcr: VCRCassette, redactor: Redactor = Redactor(secrets: []), note: String? = nil) -> Cassette {
        Cassette(note: note, interactions: vcr.interactions.map { convert($0, redactor: redactor) })
    }

    static func convert(_ interaction: VCRInteraction, redactor: Redactor) -> CassetteInteraction {
        let recorded = interaction.request
        // Sorted so that a header spelled two ways joins in a stable order.
        let headers = recorded.headers.sorted { $0.key < $1.key }.flatMap { name, values in values.map { (name: name, value: $0) } }
        let request = redactor.redact(HTTPRequest(
            method: recorded.method.uppercased(), url: recorded.uri, headers: headers, body: recorded.body.map(Array.init) ?? []))
        return CassetteInteraction(request: request, response: convert(interaction.response, redactor: redactor))
    }

    static func convert(_ recorded: VCRInteraction.Response, redactor: Redactor) -> CassetteResponse {
        var headers: [String: String] = [:]
        for (name, values) in recorded.headers.sorted(by: { $0.key < $1.key }) {
            let name = name.lowercased()
            // A repeated header is one comma-joined value (RFC 9110 §5.3).
            headers[name] = ((headers[name].map { [$0] } ?? []) + values).joined(separator: ", ")
        }
        if recorded.bodyWasGzipped {
            // The stored body is the inflated one: a replay must not claim gzip.
            headers["content-encoding"] = nil
        }
        if recorded.bodyWasGzipped || recorded.bodyWasReserialized {
            headers["content-length"] = nil  // it counted bytes no longer stored
        }
        var response = CassetteResponse(status: recorded.status, headers: redactor.redact(responseHeaders: headers), headAtMs: 0)
        let body = redactor.redact(bytes: Array(recorded.body))
        let type = headers["content-type"]?.lowercased() ?? ""
        if type.hasPrefix("text/event-stream") || startsLikeSSE(body) {
            response.chunks = chunks(EventSplitter.sseEvents(body))
        } else if type.contains("ndjson") {
            response.chunks = chunks(EventSplitter.lines(body))
        } else if !body.isEmpty {
            response.body = CassetteBody(bytes: body)
        }
        return response
    }

    private static func chunks(_ pieces: [[UInt8]]) -> [CassetteChunk] {
        pieces.enumerated().map { CassetteChunk(atMs: Double($0.offset + 1) * chunkSpacingMs, bytes: $0.element) }
    }

    /// Some recorders drop the content-type; the body still says what it is:
    /// after any blank lines, a field or a comment line (OpenRouter opens with
    /// `: OPENROUTER PROCESSING`), which no JSON or plain text starts with.
    private static func startsLikeSSE(_ body: [UInt8]) -> Bool {
        let start = body.drop { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
        return start.starts(with: "event:".utf8) || start.starts(with: "data:".utf8) || start.first == UInt8(ascii: ":")
    }
}
