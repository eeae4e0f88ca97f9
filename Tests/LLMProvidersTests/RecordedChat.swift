// One recorded chat response and what it must decode to.
import Foundation
import LLMCore
import LLMProviders
import Testing
import TestSupport

struct RecordedChat: Sendable, CustomTestStringConvertible {
    enum Source: Sendable {
        /// Interaction `index` of a VCR cassette (streamed or whole body).
        case cassette(String, Int)
        /// A vercel/ai chunks file, re-framed as SSE.
        case chunks(String)
        /// A single whole response body.
        case body(String)
    }

    var source: Source
    var expected: ExpectedChat

    init(_ source: Source, _ expected: ExpectedChat) {
        self.source = source
        self.expected = expected
    }

    var testDescription: String {
        switch source {
        case .cassette(let file, let index): "\(file) #\(index)"
        case .chunks(let file), .body(let file): file
        }
    }

    /// Decodes the recording with `provider`; streams go through every split.
    func decode(with provider: any ChatProvider, sourceLocation: SourceLocation = #_sourceLocation) throws -> ChatResponse? {
        switch source {
        case .cassette(let file, let index):
            let response = try Recordings.interaction(file, index).response
            #expect(response.status == 200, sourceLocation: sourceLocation)
            if response.isEventStream { return stream(provider, Array(response.body), sourceLocation) }
            return try provider.parseChatResponse(Array(response.body))
        case .chunks(let file):
            let body = file.hasPrefix("anthropic/") ? try Recordings.anthropicSSE(file) : try Recordings.openAISSE(file)
            return stream(provider, body, sourceLocation)
        case .body(let file):
            return try provider.parseChatResponse(try Recordings.bytes(file))
        }
    }

    private func stream(_ provider: any ChatProvider, _ body: [UInt8], _ sourceLocation: SourceLocation) -> ChatResponse? {
        let outcome = StreamHarness.runAll(provider, body, sourceLocation: sourceLocation)
        #expect(outcome.error == nil, "\(outcome.error.map(String.init(describing:)) ?? "")", sourceLocation: sourceLocation)
        return outcome.response
    }

    var files: [String] {
        switch source {
        case .cassette(let file, _), .chunks(let file), .body(let file): [file]
        }
    }
}
