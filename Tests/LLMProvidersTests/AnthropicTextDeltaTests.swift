import LLMCore
@testable import LLMProviders
import Testing

/// The text-delta shortcut must read exactly what the general path reads, and
/// leave everything else to it.
@Suite("Anthropic text deltas read without a JSON tree")
struct AnthropicTextDeltaTests {
    private func delta(_ text: String, index: Int = 0) -> String {
        #"{"type":"content_block_delta","index":\#(index),"delta":{"type":"text_delta","text":"\#(text)"}}"#
    }

    @Test("plain, escaped and non-ASCII text, multi-digit indices")
    func reads() throws {
        #expect(AnthropicTextDelta.read(delta("Hello")).map { [String($0.index), $0.text] } == ["0", "Hello"])
        #expect(AnthropicTextDelta.read(delta(#"a\"b\\c\nd\u00e9\ud83d\ude00 /\/"#, index: 12))?.text == "a\"b\\c\nd\u{e9}😀 //")
        #expect(AnthropicTextDelta.read(delta("日本語 café"))?.text == "日本語 café")
        #expect(AnthropicTextDelta.read(delta(""))?.text == "")
        #expect(AnthropicTextDelta.read(delta("x", index: 12))?.index == 12)
    }

    @Test("anything but the exact shape is left to the general path", arguments: [
        #"{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"x"}}"#,
        #"{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "x"}}"#,
        #"{"index":0,"type":"content_block_delta","delta":{"type":"text_delta","text":"x"}}"#,
        #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x","extra":1}}"#,
        #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}}  "#,
        #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}}}"#,
        #"{"type":"content_block_delta","index":-1,"delta":{"type":"text_delta","text":"x"}}"#,
        #"{"type":"content_block_delta","index":,"delta":{"type":"text_delta","text":"x"}}"#,
        #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"bad \q escape"}}"#,
        #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"unterminated}}"#,
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"raw\ncontrol\"}}",
    ])
    func declines(_ data: String) {
        #expect(AnthropicTextDelta.read(data) == nil)
    }

    @Test("a stream of shortcut and general-path deltas gives the same events; out-of-order deltas are still errors")
    func streamThroughParser() throws {
        func sse(_ name: String, _ data: String) -> String { "event: \(name)\ndata: \(data)\n\n" }
        let start = sse("message_start", #"{"type":"message_start","message":{"id":"m","model":"c","content":[],"usage":{"input_tokens":1,"output_tokens":1}}}"#)
            + sse("content_block_start", #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#)
        let body = start
            + sse("content_block_delta", delta("Hel"))
            + sse("content_block_delta", #"{"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "lo"}}"#)
            + sse("content_block_delta", delta("!"))
            + sse("content_block_stop", #"{"type":"content_block_stop","index":0}"#)
            + sse("message_stop", #"{"type":"message_stop"}"#)
        var parser = AnthropicStreamParser()
        let events = try Array(body.utf8).withUnsafeBytes { try parser.feed($0) } + parser.finish()
        let texts = events.compactMap { event -> String? in
            if case .textDelta(0, let text) = event { return text }
            return nil
        }
        #expect(texts == ["Hel", "lo", "!"])

        // A delta for a block that never started, and one after its stop.
        for late in [sse("content_block_delta", delta("x", index: 3)),
                     sse("content_block_stop", #"{"type":"content_block_stop","index":0}"#) + sse("content_block_delta", delta("x"))] {
            var p = AnthropicStreamParser()
            var error: LLMError?
            do {
                _ = try Array((start + late).utf8).withUnsafeBytes { bytes throws(LLMError) in try p.feed(bytes) }
            } catch let e as LLMError {
                error = e
            }
            #expect(error?.kind == .badResponse)
            #expect(error?.message.contains("out of order") == true, "\(String(describing: error))")
        }
    }
}
