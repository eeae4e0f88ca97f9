// Gemini's `streamGenerateContent?alt=sse` → StreamEvents. Every `data:` line
// is a whole GenerateContentResponse (no `event:` lines, no end marker): the
// stream is complete once candidate 0 has a finishReason.
import JSON
import LLMCore

public struct GeminiStreamParser: StreamParser {
    private let provider: String
    private var input: SSEInput
    private var reader: GeminiContentReader
    private var failure: LLMError?

    public init(provider: String = "gemini") {
        self.provider = provider
        self.input = SSEInput(provider: provider)
        self.reader = GeminiContentReader(provider: provider)
    }

    public mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(LLMError) -> [StreamEvent] {
        try sticky { (parser) throws(LLMError) in try parser.handle(parser.input.feed(bytes)) }
    }

    public mutating func finish() throws(LLMError) -> [StreamEvent] {
        try sticky { (parser) throws(LLMError) in
            let events = try parser.handle(parser.input.finish())
            guard parser.reader.finished else {
                throw LLMError(.badResponse, "stream ended before a finishReason", provider: parser.provider)
            }
            return events
        }
    }

    /// A failed stream stays failed.
    private mutating func sticky(_ step: (inout GeminiStreamParser) throws(LLMError) -> [StreamEvent]) throws(LLMError) -> [StreamEvent] {
        if let failure { throw failure }
        do throws(LLMError) {
            return try step(&self)
        } catch {
            failure = error
            throw error
        }
    }

    private mutating func handle(_ events: [SSEEvent]) throws(LLMError) -> [StreamEvent] {
        var out: [StreamEvent] = []
        for event in events {
            let json = try WireJSON.parse(event.data.utf8, what: "stream event data", provider: provider)
            try reader.read(json, into: &out)
        }
        return out
    }
}
