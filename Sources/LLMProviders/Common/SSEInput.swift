// The SSE side shared by the stream parsers: bytes → SSEEvents, with a
// decoder fault reported as `bad_response`.
import LLMCore

struct SSEInput {
    let provider: String
    private var decoder = SSEDecoder()

    init(provider: String) {
        self.provider = provider
    }

    mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(LLMError) -> [SSEEvent] {
        try decode { (decoder) throws(SSEError) in try decoder.feed(bytes) }
    }

    mutating func finish() throws(LLMError) -> [SSEEvent] {
        try decode { (decoder) throws(SSEError) in try decoder.finish() }
    }

    private mutating func decode(_ step: (inout SSEDecoder) throws(SSEError) -> [SSEEvent]) throws(LLMError) -> [SSEEvent] {
        do {
            return try step(&decoder)
        } catch {
            throw LLMError(.badResponse, "broken event stream: \(error)", provider: provider)
        }
    }
}
