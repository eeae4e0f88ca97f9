import Foundation
import LLMCore
import Testing
import TestSupport

/// Every recorded SSE body in Tests/Fixtures/conformance, decoded under many chunkings.
@Suite struct SSEDecoderConformanceTests {
    /// Each SSE response body in the conformance cassettes, named "file#index".
    static let bodies: [(name: String, bytes: [UInt8])] = {
        let folders = ["anthropic", "openai", "errors", "ollama"]
        let files = (try? Fixtures.conformanceFiles(endingWith: ".yaml")) ?? []
        return files.filter { folders.contains($0.deletingLastPathComponent().lastPathComponent) }
            .flatMap { url -> [(name: String, bytes: [UInt8])] in
                guard let cassette = try? VCRCassette.load(url) else { return [] }
                return cassette.interactions.enumerated().compactMap { index, interaction in
                    guard interaction.response.isEventStream else { return nil }
                    return ("\(url.lastPathComponent)#\(index)", Array(interaction.response.body))
                }
            }
    }()

    private static func decode(_ bytes: [UInt8], splitAt cuts: [Int]) throws -> [SSEEvent] {
        var decoder = SSEDecoder()
        var events: [SSEEvent] = []
        var start = 0
        for cut in cuts + [bytes.count] {
            events += try decoder.feed(bytes[start..<cut])
            start = cut
        }
        return events + (try decoder.finish())
    }

    private static func body(_ name: String) throws -> [UInt8] {
        try #require(bodies.first { $0.name == name }, "no SSE body \(name)").bytes
    }

    @Test func allSeventeenRecordedStreamsAreFound() {
        #expect(Self.bodies.count == 17)
    }

    @Test(arguments: bodies.map(\.name))
    func sameEventsUnderAnyChunking(_ name: String) throws {
        let bytes = try Self.body(name)
        let whole = try Self.decode(bytes, splitAt: [])
        #expect(!whole.isEmpty)
        #expect(try Self.decode(bytes, splitAt: Array(1..<bytes.count)) == whole)
        // Seeded from the name (FNV-1a) so a failing split replays exactly.
        let seed = name.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
        var random = SplitMix64(seed: seed)
        for _ in 0..<20 {
            var cuts = Set<Int>()
            for _ in 0..<Int.random(in: 1...40, using: &random) {
                cuts.insert(Int.random(in: 0...bytes.count, using: &random))
            }
            #expect(try Self.decode(bytes, splitAt: cuts.sorted()) == whole)
        }
        // The recorded payloads are JSON, so they hold no raw CR or LF, and the
        // stream can be re-terminated with CR or CRLF without changing meaning.
        let crlf = bytes.flatMap { $0 == 0x0A ? [0x0D, 0x0A] : [$0] }
        #expect(try Self.decode(crlf, splitAt: Array(stride(from: 1, to: crlf.count, by: 3))) == whole)
        #expect(try Self.decode(bytes.map { $0 == 0x0A ? 0x0D : $0 }, splitAt: []) == whole)
    }

    @Test func anthropicPromptStreamReadByHand() throws {
        let events = try Self.decode(try Self.body("llm-anthropic__test_prompt.yaml#0"), splitAt: [])
        #expect(events.count == 10)
        #expect(events.first?.event == "message_start")
        #expect(events.last?.event == "message_stop")
        #expect(events.last?.data == #"{"type":"message_stop" }"#)
        #expect(events.filter { $0.event == "content_block_delta" }.count == 4)
        let captain = #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" Captain"}          }"#
        #expect(events[4].data == captain)
    }

    @Test func gzippedThinkingStreamReadByHand() throws {
        let body = try Self.body("llm-anthropic__test_stream_events_thinking.yaml#0")
        let events = try Self.decode(body, splitAt: [])
        #expect(events.count == 17)
        #expect(events.contains { $0.data.contains(#""type":"thinking_delta""#) })
        #expect(events.contains { $0.data.contains(#""type":"signature_delta""#) })
    }

    @Test func openAIStreamEndsWithDoneAsPlainData() throws {
        let events = try Self.decode(try Self.body("llm__test_tool_use_basic.yaml#0"), splitAt: [])
        #expect(events.count == 15)
        #expect(events.allSatisfy { $0.event == nil })
        #expect(events.last?.data == "[DONE]")
    }
}

extension SSEDecoderConformanceTests {
    /// Streams built from the pieces the grammar cares about, including CR at
    /// chunk ends, BOMs, multi-byte and invalid UTF-8 and over-long lines.
    @Test func randomStreamsDecodeAlikeUnderAnyChunking() {
        let pieces: [[UInt8]] = [
            "data", "data:", "data: ", "event: e", "id: 1", "id", "retry: 5", ":c", " ", "x", "é", "日本",
            "\r", "\n", "\r\n", "\n\n", "\u{FEFF}", String(repeating: "y", count: 30),
        ].map { Array($0.utf8) } + [[0xFF], [0xE6, 0x97]]
        func outcome(_ bytes: [UInt8], _ cuts: [Int]) -> Result<[SSEEvent], SSEError> {
            var decoder = SSEDecoder(maxLineBytes: 64)
            return Result { () throws(SSEError) in
                var events: [SSEEvent] = []
                var start = 0
                for cut in cuts + [bytes.count] {
                    events += try decoder.feed(bytes[start..<cut])
                    start = cut
                }
                return events + (try decoder.finish())
            }
        }
        var random = SplitMix64(seed: 42)
        var failures = 0, events = 0
        for _ in 0..<300 {
            let bytes = (0..<Int.random(in: 0...40, using: &random)).flatMap { _ in
                // Invalid bytes are rare so that most streams decode.
                pieces[Int.random(in: 0..<(Int.random(in: 0..<10, using: &random) == 0 ? 20 : 18), using: &random)]
            }
            let whole = outcome(bytes, [])
            switch whole {
            case .success(let decoded): events += decoded.count
            case .failure: failures += 1
            }
            #expect(outcome(bytes, Array(1..<max(bytes.count, 1))) == whole, "\(bytes)")
            let cuts = Set((0..<5).map { _ in Int.random(in: 0...bytes.count, using: &random) }).sorted()
            #expect(outcome(bytes, cuts) == whole, "\(bytes) cut at \(cuts)")
        }
        // The mix exercises both paths.
        #expect(failures > 20 && failures < 200 && events > 100, "\(failures) failures, \(events) events")
    }
}

/// A small deterministic generator (SplitMix64).
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
