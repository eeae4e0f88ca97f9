import LLMCore
import Testing

/// The WHATWG event-stream interpretation rules, case by case.
@Suite struct SSEDecoderTests {
    /// Decodes `chunks` fed one after another, then `finish()`.
    private func decode(_ chunks: [[UInt8]], maxLineBytes: Int = 1 << 20) throws -> [SSEEvent] {
        var decoder = SSEDecoder(maxLineBytes: maxLineBytes)
        var events: [SSEEvent] = []
        for chunk in chunks { events += try decoder.feed(chunk) }
        return events + (try decoder.finish())
    }

    private func decode(_ chunks: String...) throws -> [SSEEvent] {
        try decode(chunks.map { Array($0.utf8) })
    }

    @Test func simpleEvent() throws {
        #expect(try decode("data: hello\n\n") == [SSEEvent(data: "hello")])
    }

    @Test func specExampleStockTicker() throws {
        #expect(try decode("data: YHOO\ndata: +2\ndata: 10\n\n") == [SSEEvent(data: "YHOO\n+2\n10")])
    }

    @Test func specExampleIDsAndSpaces() throws {
        let stream = ": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n"
        var decoder = SSEDecoder()
        let events = try decoder.feed(Array(stream.utf8))
        #expect(events == [SSEEvent(data: "first event", id: "1"), SSEEvent(data: "second event")])
        #expect(decoder.commentCount == 1)
        // The spec drops the unterminated third event; finish() keeps it.
        #expect(try decoder.finish() == [SSEEvent(data: " third event")])
    }

    @Test func specExampleEmptyData() throws {
        let events = try decode("data\n\ndata\ndata\n\ndata:")
        #expect(events == [SSEEvent(data: ""), SSEEvent(data: "\n"), SSEEvent(data: "")])
    }

    @Test func onlyOneSpaceIsStripped() throws {
        #expect(try decode("data:test\n\ndata: test\n\ndata:  test\n\n").map(\.data) == ["test", "test", " test"])
    }

    @Test(arguments: ["\n", "\r", "\r\n"])
    func everyLineTerminator(_ eol: String) throws {
        let stream = "event: a\(eol)data: 1\(eol)data: 2\(eol)\(eol)data: 3\(eol)\(eol)"
        #expect(try decode(stream) == [SSEEvent(event: "a", data: "1\n2"), SSEEvent(data: "3")])
    }

    @Test func mixedLineTerminators() throws {
        #expect(try decode("data: a\r\rdata: b\n\ndata: c\r\n\r\n").map(\.data) == ["a", "b", "c"])
    }

    @Test func crAtChunkEndWithLFInNextChunkIsOneTerminator() throws {
        // Were the LF a second terminator, the blank line would dispatch "a" alone.
        #expect(try decode("data: a\r", "\ndata: b\r", "\n\r", "\n") == [SSEEvent(data: "a\nb")])
        #expect(try decode("data: a\r", "", "\ndata: b\r\n\r\n") == [SSEEvent(data: "a\nb")])
    }

    @Test func crAtChunkEndFollowedByOtherBytes() throws {
        #expect(try decode("data: a\r", "data: b\r", "\r") == [SSEEvent(data: "a\nb")])
    }

    @Test func leadingBOMIsSkippedOnce() throws {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let body = Array("data: x\n\n".utf8)
        #expect(try decode([bom + body]) == [SSEEvent(data: "x")])
        #expect(try decode((bom + body).map { [$0] }) == [SSEEvent(data: "x")])
        // A second BOM is part of the field name "\u{FEFF}data", which is unknown.
        #expect(try decode([bom + bom + body]) == [])
        #expect(try decode([body + bom + body]) == [SSEEvent(data: "x")])
    }

    @Test func commentsAreCountedNotReturned() throws {
        var decoder = SSEDecoder()
        #expect(try decoder.feed(Array(": keep-alive\n\n:\n\n".utf8)) == [])
        #expect(try decoder.feed(Array("data: a\n: between\ndata: b\n\n".utf8)) == [SSEEvent(data: "a\nb")])
        #expect(decoder.commentCount == 3)
    }

    @Test func eventTypeWithoutDataIsNotDispatchedAndIsReset() throws {
        #expect(try decode("event: ping\n\ndata: x\n\n") == [SSEEvent(data: "x")])
        #expect(try decode("event: a\nevent:\ndata: x\n\n") == [SSEEvent(data: "x")])
        #expect(try decode("event: ping\ndata: {}\n\n")[0].type == "ping")
    }

    @Test func idPersistsAndNULIsIgnored() throws {
        let events = try decode("id: 7\ndata: a\n\ndata: b\n\nid: 8\u{0}9\ndata: c\n\nid\ndata: d\n\n")
        #expect(events.map(\.id) == ["7", "7", "7", nil])
    }

    @Test func retryOnlyWhenAllDigits() throws {
        var decoder = SSEDecoder()
        let events = try decoder.feed(Array("retry: 3000\ndata: a\n\nretry: 30a\ndata: b\n\nretry:\ndata: c\n\n".utf8))
        #expect(events.map(\.retry) == [3000, nil, nil])
        #expect(decoder.reconnectionTime == 3000)
    }

    @Test func unknownAndMisspelledFieldsAreIgnored() throws {
        #expect(try decode("Data: x\nfoo: bar\nfoo\ndata: y\n\n") == [SSEEvent(data: "y")])
    }

    @Test func doneIsNotSpecial() throws {
        #expect(try decode("data: [DONE]\n\n") == [SSEEvent(data: "[DONE]")])
    }

    @Test func finishDispatchesAnUnterminatedEventAndResets() throws {
        var decoder = SSEDecoder()
        #expect(try decoder.feed(Array("data: x".utf8)) == [])
        #expect(try decoder.finish() == [SSEEvent(data: "x")])
        #expect(try decoder.finish() == [])
        #expect(try decoder.feed(Array("data: y\n\n".utf8)) == [SSEEvent(data: "y")])
    }

    @Test func multiByteCharactersSplitAcrossFeeds() throws {
        let bytes = Array("event: é\ndata: 日本語 🎉\n\n".utf8)
        #expect(try decode(bytes.map { [$0] }) == [SSEEvent(event: "é", data: "日本語 🎉")])
    }

    @Test func invalidUTF8ThrowsWithOffset() throws {
        let bytes = Array("data: ok\n\ndata: a".utf8) + [0xC3, 0x28] + Array("\n\n".utf8)
        let error = #expect(throws: SSEError.self) { try decode([bytes]) }
        #expect(error?.code == .invalidUTF8)
        #expect(error?.offset == 17)
        // Overlong encodings and surrogates are ill-formed too.
        for bad: [UInt8] in [[0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82]] {
            #expect(throws: SSEError.self) { try decode([Array("data: ".utf8) + bad + [0x0A, 0x0A]]) }
        }
    }

    @Test func longLineThrowsNamingTheLimit() throws {
        // 9 bytes fit exactly; 10 do not.
        #expect(throws: Never.self) { try decode([Array("data: 123\n\n".utf8)], maxLineBytes: 9) }
        let tooLong = #expect(throws: SSEError.self) {
            try decode([Array("data: 1\n\ndata: 1234\n\n".utf8)], maxLineBytes: 9)
        }
        #expect(tooLong?.code == .lineTooLong)
        #expect(tooLong?.offset == 9)
        #expect(tooLong?.description.contains("9 bytes") == true)
    }

    @Test func unterminatedLongLineFailsBeforeItEnds() throws {
        var decoder = SSEDecoder(maxLineBytes: 16)
        var thrown: SSEError?
        for _ in 0..<100 where thrown == nil {
            do { _ = try decoder.feed(Array("xxxx".utf8)) } catch { thrown = error }
        }
        #expect(thrown?.code == .lineTooLong)
        #expect(decoder.bytesConsumed == 16)
        // Faults are terminal.
        #expect(throws: SSEError.self) { try decoder.feed(Array("\n".utf8)) }
    }

    @Test func eventDataIsBounded() throws {
        var decoder = SSEDecoder(maxLineBytes: 64, maxEventBytes: 10)
        let error = #expect(throws: SSEError.self) { try decoder.feed(Array("data: 12345\ndata: 12345\n".utf8)) }
        #expect(error?.code == .eventTooLarge)
    }
}
