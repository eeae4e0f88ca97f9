// A whole `generateContent` body → ChatResponse, read by the same reader as
// a stream's events so both give the same blocks.
import JSON
import LLMCore

struct GeminiResponse {
    let provider: String

    func parse(_ body: [UInt8]) throws(LLMError) -> ChatResponse {
        let json = try WireJSON.parse(body, what: "response body", provider: provider)
        guard json["candidates"] != nil || json["promptFeedback"] != nil || json["error"] != nil else {
            throw LLMError(.badResponse, "response has no candidates: \(BodyExcerpt.text(body))", provider: provider)
        }
        var reader = GeminiContentReader(provider: provider)
        var events: [StreamEvent] = []
        try reader.read(json, into: &events)
        var accumulator = StreamAccumulator()
        for event in events { try accumulator.apply(event) }
        return try accumulator.finish()
    }
}
