// What every SSE stream parser shares: bytes become SSE events (SSEInput),
// the parser turns them into StreamEvents, a failed stream stays failed, and
// a stream that ends before its provider's end marker is `bad_response`.
import LLMCore

protocol SSEStreamParsing {
    var input: SSEInput { get set }
    var failure: LLMError? { get set }
    var provider: String { get }
    mutating func handle(_ events: [SSEEvent]) throws(LLMError) -> [StreamEvent]
    /// Why the stream is not complete, when it has ended; nil when it is.
    var incompleteReason: String? { get }
}

extension SSEStreamParsing {
    mutating func feedSSE(_ bytes: UnsafeRawBufferPointer) throws(LLMError) -> [StreamEvent] {
        try sticky { (parser) throws(LLMError) in
            let events = try parser.input.feed(bytes)
            return try parser.handle(events)
        }
    }

    mutating func finishSSE() throws(LLMError) -> [StreamEvent] {
        try sticky { (parser) throws(LLMError) in
            let events = try parser.input.finish()
            let out = try parser.handle(events)
            if let reason = parser.incompleteReason { throw LLMError(.badResponse, reason, provider: parser.provider) }
            return out
        }
    }

    private mutating func sticky(_ step: (inout Self) throws(LLMError) -> [StreamEvent]) throws(LLMError) -> [StreamEvent] {
        if let failure { throw failure }
        do throws(LLMError) {
            return try step(&self)
        } catch {
            failure = error
            throw error
        }
    }
}
