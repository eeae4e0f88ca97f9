// The canned provider streams are valid, complete and carry the tokens intact.

import Foundation
import Testing
import FakeProvider

@Suite struct ProviderStreamTests {
    private let tokens = ["Hel", "lo \"there\"\n", "é/\u{1}"]

    @Test func anthropicTextIsACompleteMessagesStream() throws {
        let response = ScriptedResponse.anthropicText(tokens, interval: 0.05, model: "claude-x", inputTokens: 7)
        let events = try chunkTexts(response).map { text -> (String, [String: Any]) in
            let lines = text.split(separator: "\n")
            #expect(text.hasSuffix("\n\n") && lines.count == 2)
            let name = String(lines[0].dropFirst("event: ".count))
            let json = try #require(try JSONSerialization.jsonObject(with: Data(lines[1].dropFirst("data: ".count).utf8)) as? [String: Any])
            #expect(json["type"] as? String == name)
            return (name, json)
        }
        #expect(events.map(\.0) == ["message_start", "content_block_start", "ping"]
            + Array(repeating: "content_block_delta", count: 3) + ["content_block_stop", "message_delta", "message_stop"])
        let message = try #require(events[0].1["message"] as? [String: Any])
        #expect(message["model"] as? String == "claude-x")
        let text = events.compactMap { ($0.1["delta"] as? [String: Any])?["text"] as? String }.joined()
        #expect(text == tokens.joined())
        let final = try #require(events.first { $0.0 == "message_delta" }?.1)
        #expect((final["delta"] as? [String: Any])?["stop_reason"] as? String == "end_turn")
        #expect((final["usage"] as? [String: Any])?["output_tokens"] as? Int == 3)
        #expect((final["usage"] as? [String: Any])?["input_tokens"] as? Int == 7)
        #expect(delays(response) == [0, 0, 0, 0.05, 0.05, 0.05, 0, 0, 0])
    }

    @Test func openAITextIsACompleteChunkStreamWithUsageAndDone() throws {
        let response = ScriptedResponse.openAIText(tokens, interval: 0.05, model: "gpt-x")
        let texts = try chunkTexts(response)
        #expect(texts.last == "data: [DONE]\n\n")
        let chunks = try texts.dropLast().map { text in
            #expect(text.hasPrefix("data: ") && text.hasSuffix("\n\n"))
            return try #require(try JSONSerialization.jsonObject(with: Data(text.dropFirst(6).utf8)) as? [String: Any])
        }
        #expect(chunks.allSatisfy { $0["object"] as? String == "chat.completion.chunk" && $0["model"] as? String == "gpt-x" })
        let choices = chunks.compactMap { ($0["choices"] as? [[String: Any]])?.first }
        let text = choices.compactMap { ($0["delta"] as? [String: Any])?["content"] as? String }.joined()
        #expect(text == tokens.joined())
        #expect(choices.compactMap { $0["finish_reason"] as? String } == ["stop"])
        let usage = try #require(chunks.last?["usage"] as? [String: Any])
        #expect(usage["completion_tokens"] as? Int == 3)
        #expect(usage["total_tokens"] as? Int == 13)
        #expect(delays(response) == [0, 0.05, 0.05, 0.05, 0, 0, 0])
    }

    @Test func headersOverrideDefaultsCaseInsensitively() {
        let response = ScriptedResponse.json("{}", status: 429, headers: [("Content-Type", "text/plain"), ("retry-after", "3")])
        #expect(response.status == 429)
        #expect(response.headers.map(\.0) == ["Content-Type", "retry-after"])
    }

    private func chunkTexts(_ response: ScriptedResponse) throws -> [String] {
        guard case .chunks(let chunks) = response.body else { throw Unexpected.wholeBody }
        return chunks.map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    private func delays(_ response: ScriptedResponse) -> [Double] {
        guard case .chunks(let chunks) = response.body else { return [] }
        return chunks.map(\.delay)
    }

    private enum Unexpected: Error { case wholeBody }
}
