// Gemini's `streamGenerateContent?alt=sse` → StreamEvents. Every `data:` line
// is a whole GenerateContentResponse (no `event:` lines, no end marker): the
// stream is complete once candidate 0 has a finishReason.
import JSON
import LLMCore

public struct GeminiStreamParser: StreamParser, SSEStreamParsing {
    let provider: String
    var input: SSEInput
    private var reader: GeminiContentReader
    var failure: LLMError?

    public init(provider: String = "gemini") {
        self.provider = provider
        self.input = SSEInput(provider: provider)
        self.reader = GeminiContentReader(provider: provider)
    }

    public mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(LLMError) -> [StreamEvent] { try feedSSE(bytes) }
    public mutating func finish() throws(LLMError) -> [StreamEvent] { try finishSSE() }
    var incompleteReason: String? { reader.finished ? nil : "stream ended before a finishReason" }

    mutating func handle(_ events: [SSEEvent]) throws(LLMError) -> [StreamEvent] {
        var out: [StreamEvent] = []
        for event in events {
            let json = try WireJSON.parse(event.data.utf8, what: "stream event data", provider: provider)
            try reader.read(json, into: &out)
        }
        return out
    }
}
