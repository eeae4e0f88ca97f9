// Builds one cassette interaction from a live exchange as it happens: the
// head, each chunk with its offset, and how it ended.
import LLMCore

final class InteractionRecorder {
    private let request: CassetteRequest
    private let redactor: Redactor
    private let startedAt: Double
    private var response: CassetteResponse?
    private var streamed = false
    private var chunks: [CassetteChunk] = []

    init(request: CassetteRequest, redactor: Redactor, startedAt: Double) {
        self.request = request
        self.redactor = redactor
        self.startedAt = startedAt
    }

    private func ms(_ t: Double) -> Double { ((t - startedAt) * 1000 * 10).rounded() / 10 }

    func head(_ head: HTTPResponseHead, at t: Double) {
        let type = head.headers["content-type"] ?? ""
        streamed = type.contains("event-stream") || type.contains("ndjson")
        response = CassetteResponse(status: head.status, headers: redactor.redact(responseHeaders: head.headers), headAtMs: ms(t))
    }

    func body(_ bytes: UnsafeRawBufferPointer, at t: Double) {
        chunks.append(CassetteChunk(atMs: ms(t), bytes: Array(bytes)))
    }

    func finish(error: LLMError?, at t: Double) -> CassetteInteraction {
        if var r = response {
            // A server may echo a credential back: redacted like the request,
            // so the cassette can be saved (issue 16).
            if streamed {
                r.chunks = chunks.map { CassetteChunk(atMs: $0.atMs, bytes: redactor.redact(bytes: $0.bytes)) }
            } else if !chunks.isEmpty {
                r.body = CassetteBody(bytes: redactor.redact(bytes: chunks.flatMap(\.bytes)))
            }
            response = r
        }
        let failure = error.map { CassetteTransportError(kind: $0.kind.rawValue, message: redactor.redact(text: $0.message), atMs: ms(t)) }
        return CassetteInteraction(request: request, response: response, error: failure)
    }
}
