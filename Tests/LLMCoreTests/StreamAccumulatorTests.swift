// StreamAccumulator on hand-made event sequences: blocks in index order,
// partial tool JSON, usage merging, and out-of-order events as errors.
import JSON
import LLMCore
import Testing

@Suite struct StreamAccumulatorTests {
    func accumulate(_ events: [StreamEvent]) -> Result<ChatResponse, LLMError> {
        var accumulator = StreamAccumulator()
        do throws(LLMError) {
            for event in events { try accumulator.apply(event) }
            return .success(try accumulator.finish())
        } catch {
            return .failure(error)
        }
    }

    func failure(_ events: [StreamEvent]) -> String? {
        if case .failure(let error) = accumulate(events) {
            #expect(error.kind == .badResponse)
            return error.message
        }
        return nil
    }

    @Test func buildsEveryBlockKindInOrder() throws {
        let response = try accumulate([
            .messageStart(id: "msg_1", model: "m"),
            .usage(Usage(inputTokens: 10, outputTokens: 1, cacheReadTokens: 4)),
            .thinkingStart(index: 0), .thinkingDelta(index: 0, text: "Let me "), .thinkingDelta(index: 0, text: "see."),
            .thinkingSignature(index: 0, signature: "sig"), .thinkingEnd(index: 0),
            .redactedThinking(index: 1, data: "opaque"),
            .textStart(index: 2), .textDelta(index: 2, text: "Hi"), .ping, .textDelta(index: 2, text: "!"), .textEnd(index: 2),
            .toolInputStart(index: 3, id: "t1", name: "f"), .toolInputDelta(index: 3, partialJSON: "{\"a\":"),
            .toolInputDelta(index: 3, partialJSON: "1}"), .toolInputEnd(index: 3),
            .toolCall(index: 3, call: ToolCall(id: "t1", name: "f", arguments: ["a": 1])),
            .usage(Usage(outputTokens: 42)),
            .finish(reason: .toolCalls, raw: "tool_use"),
        ]).get()
        #expect(response.id == "msg_1" && response.model == "m")
        #expect(response.message.content == [
            .thinking(text: "Let me see.", signature: "sig"), .redactedThinking(data: "opaque"), .text("Hi!"),
            .toolUse(ToolCall(id: "t1", name: "f", arguments: ["a": 1])),
        ])
        // Later non-zero fields override; fields the later report lacks are kept.
        #expect(response.usage == Usage(inputTokens: 10, outputTokens: 42, cacheReadTokens: 4))
        #expect(response.finishReason == .toolCalls && response.rawFinishReason == "tool_use")
    }

    @Test func partialToolInputIsASnapshot() throws {
        var accumulator = StreamAccumulator()
        try accumulator.apply(.toolInputStart(index: 0, id: "t", name: "f"))
        #expect(accumulator.partialToolInput(index: 0) == "")
        try accumulator.apply(.toolInputDelta(index: 0, partialJSON: "{\"q\": \"ab"))
        #expect(accumulator.partialToolInput(index: 0) == "{\"q\": \"ab")
        #expect(accumulator.response.toolCalls == [ToolCall(id: "t", name: "f", arguments: [:])])
        try accumulator.apply(.toolInputDelta(index: 0, partialJSON: "c\"}"))
        #expect(accumulator.partialToolInput(index: 0) == "{\"q\": \"abc\"}")
        #expect(accumulator.partialToolInput(index: 7) == "")
        #expect(caught { () throws(LLMError) in try accumulator.finish() }?.message
            == "stream ended before tool call 'f' (block 0) was complete")
    }

    @Test func wholeToolCallsNeedNoStreamedInput() throws {
        let response = try accumulate([.toolCall(index: 0, call: ToolCall(id: "t", name: "f", arguments: ["x": true]))]).get()
        #expect(response.toolCalls == [ToolCall(id: "t", name: "f", arguments: ["x": true])])
    }

    @Test func outOfOrderEventsAreErrors() {
        let prefix = "stream event out of order: "
        #expect(failure([.textDelta(index: 0, text: "x")]) == prefix + "text delta for block 0, never started")
        #expect(failure([.textStart(index: 0), .textEnd(index: 0), .textDelta(index: 0, text: "x")])
            == prefix + "text delta for block 0 after its end")
        #expect(failure([.messageStart(id: nil, model: nil), .messageStart(id: nil, model: nil)]) == prefix + "a second message start")
        #expect(failure([.textStart(index: 0), .messageStart(id: nil, model: nil)]) == prefix + "message start after content")
        #expect(failure([.textStart(index: 1)]) == prefix + "text block 1 started out of order (next is 0)")
        #expect(failure([.textStart(index: 0), .thinkingStart(index: 0)]) == prefix + "thinking block 0 started twice")
        #expect(failure([.textStart(index: 0), .thinkingDelta(index: 0, text: "x")])
            == prefix + "thinking delta for block 0, a text block")
        #expect(failure([.textStart(index: 0), .toolInputDelta(index: 0, partialJSON: "{")])
            == prefix + "tool input delta for block 0, a text block")
        #expect(failure([.finish(reason: .stop, raw: nil), .textStart(index: 0)]) == prefix + "text block 0 started after finish")
        #expect(failure([.textStart(index: 0), .finish(reason: .stop, raw: nil), .textDelta(index: 0, text: "x")])
            == prefix + "text delta for block 0 after finish")
        #expect(failure([.finish(reason: .stop, raw: "stop"), .finish(reason: .stop, raw: "stop")]) == prefix + "a second finish (stop)")
        #expect(failure([.redactedThinking(index: 0, data: "d"), .thinkingEnd(index: 0)])
            == prefix + "thinking end for block 0, a redacted thinking block")
        let call = ToolCall(id: "t", name: "f", arguments: [:])
        #expect(failure([.textStart(index: 0), .toolCall(index: 0, call: call)])
            == prefix + "tool call for block 0, which is not a tool input block")
        #expect(failure([.toolCall(index: 0, call: call), .toolCall(index: 0, call: call)])
            == prefix + "tool call for block 0 completed twice")
        #expect(failure([.toolInputStart(index: 0, id: "a", name: "f"), .toolCall(index: 0, call: call)])
            == prefix + "tool call 't' for block 0, which started as 'a'")
    }

    @Test func usageAfterFinishAndPingsAnywhereAreFine() throws {
        let response = try accumulate([
            .ping, .messageStart(id: nil, model: nil), .textStart(index: 0), .textDelta(index: 0, text: "a"),
            .finish(reason: .stop, raw: "stop"), .usage(Usage(inputTokens: 3, outputTokens: 1)), .ping,
        ]).get()
        #expect(response.text == "a" && response.usage == Usage(inputTokens: 3, outputTokens: 1))
    }
}

/// The LLMError `body` throws, or nil.
private func caught<T>(_ body: () throws(LLMError) -> T) -> LLMError? {
    do throws(LLMError) {
        _ = try body()
        return nil
    } catch {
        return error
    }
}
