// The one interpretation of every fault kind (FaultedResponse), value by value,
// and the --chaos selectors.
import LLMCore
import LLMTransport
import Testing

@Suite struct FaultedResponseTests {
    static func stream(_ texts: [String], path: String = "/v1/messages") -> CassetteInteraction {
        CassetteInteraction(
            request: CassetteRequest(method: "POST", url: "https://api.example.com" + path),
            response: CassetteResponse(status: 200, headers: ["content-type": "text/event-stream"],
                                       chunks: texts.enumerated().map { CassetteChunk(atMs: Double($0.offset + 1) * 10, bytes: Array($0.element.utf8)) }))
    }

    static let whole = CassetteInteraction(
        request: CassetteRequest(method: "POST", url: "https://api.example.com/v1/chat/completions"),
        response: CassetteResponse(status: 200, body: CassetteBody(bytes: Array("{}".utf8)), headAtMs: 5))

    static func text(_ faulted: FaultedResponse) -> String {
        String(decoding: faulted.response?.bodyBytes ?? [], as: UTF8.self)
    }

    static func fault(_ spec: String) throws -> Fault? { try FaultPlan(parsing: spec).fault(forRequest: 1) }

    @Test func noFaultPlaysTheRecording() {
        let interaction = Self.stream(["a", "b"])
        #expect(FaultedResponse(interaction, fault: nil) == FaultedResponse(response: interaction.response, ending: .complete))
        let failed = CassetteInteraction(request: interaction.request, response: nil,
                                         error: CassetteTransportError(kind: "timeout", message: "timed out", atMs: 30))
        #expect(FaultedResponse(failed, fault: nil).ending == .error(kind: .timeout, message: "timed out", atMs: 30))
    }

    @Test func statusAndErrorEventReplaceTheRecordingInTheRecordedProvidersShape() throws {
        let anthropic = FaultedResponse(Self.stream(["a"]), fault: try Self.fault("429:2"))
        #expect(anthropic.response?.status == 429)
        #expect(anthropic.response?.headers["retry-after"] == "2")
        #expect(anthropic.response?.headers["request-id"] != nil)
        #expect(Self.text(anthropic).contains(#""type":"rate_limit_error""#))
        let gemini = FaultedResponse(Self.stream(["a"], path: "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse"), fault: try Self.fault("529"))
        #expect(Self.text(gemini).contains(#""status":"UNAVAILABLE""#))
        let event = FaultedResponse(Self.whole, fault: try Self.fault("error-event"))
        #expect(event.response?.status == 200)
        #expect(Self.text(event).hasPrefix("data: {\"error\""))
        #expect(event.ending == .complete)
    }

    @Test func dropAndStallCutAfterNChunks() throws {
        let interaction = Self.stream(["a", "b", "c"])
        let dropped = FaultedResponse(interaction, fault: try Self.fault("drop:2"))
        #expect(dropped.response?.chunks?.map(\.bytes) == [Array("a".utf8), Array("b".utf8)])
        #expect(dropped.ending == .error(kind: .network, message: "injected fault: connection dropped after 2 chunks", atMs: 30))
        let stalled = FaultedResponse(interaction, fault: try Self.fault("stall:1"))
        #expect(stalled.response?.chunks?.count == 1)
        #expect(stalled.ending == .silence)
        // Past the end: everything, then the drop.
        #expect(FaultedResponse(interaction, fault: try Self.fault("drop:9")).ending
            == .error(kind: .network, message: "injected fault: connection dropped after 9 chunks", atMs: 30))
        #expect(FaultedResponse(interaction, fault: try Self.fault("stall-before-head")) == FaultedResponse(response: nil, ending: .silence))
    }

    @Test func aWholeBodyIsOnePiece() throws {
        let beforeBody = FaultedResponse(Self.whole, fault: try Self.fault("drop:0"))
        #expect(beforeBody.response?.body == nil && beforeBody.response?.status == 200)
        #expect(beforeBody.ending == .error(kind: .network, message: "injected fault: connection dropped before the body", atMs: 5))
        #expect(FaultedResponse(Self.whole, fault: try Self.fault("stall:0")).ending == .silence)
        #expect(FaultedResponse(Self.whole, fault: try Self.fault("drop:1")) == FaultedResponse(response: Self.whole.response, ending: .complete))
    }

    @Test func malformedAndBadToolIndexCorruptChunks() throws {
        let interaction = Self.stream(["event: content_block_delta\ndata: {\"x\":1}\n\n", #"data: {"index":1,"id":"b"}"# + "\n\n"])
        let malformed = FaultedResponse(interaction, fault: try Self.fault("malformed:0"))
        #expect(malformed.response?.chunks?.first?.bytes == Array("event: content_block_delta\ndata: {\"malformed\": \n\n".utf8))
        #expect(malformed.response?.chunks?.last == interaction.response?.chunks?.last)
        let collided = FaultedResponse(interaction, fault: try Self.fault("bad-tool-index"))
        #expect(collided.response?.chunks?.last?.bytes == Array((#"data: {"index":0,"id":"b"}"# + "\n\n").utf8))
    }

    @Test func selectorsPickRequestsRepeatably() throws {
        let plan = try FaultPlan(parsing: "503%0.25,seed=7")
        let hits = (1...2000).filter { plan.fault(forRequest: $0) != nil }
        #expect(hits.count > 400 && hits.count < 600, "\(hits.count) of 2000 at p = 0.25")
        #expect(hits == (1...2000).filter { plan.fault(forRequest: $0) != nil }, "the same requests on every run")
        let other = try FaultPlan(parsing: "503%0.25,seed=8")
        #expect(hits != (1...2000).filter { other.fault(forRequest: $0) != nil }, "another seed, other requests")
        let nth = try FaultPlan(parsing: "drop:1@3")
        #expect((1...5).map { nth.fault(forRequest: $0) != nil } == [false, false, true, false, false])
        #expect(throws: LLMError.self) { try FaultPlan(parsing: "503%2") }
        #expect(throws: LLMError.self) { try FaultPlan(parsing: "drop") }
    }
}
