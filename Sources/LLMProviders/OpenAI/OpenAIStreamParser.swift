// Chat Completions SSE chunks → StreamEvents. Only choice 0 is read (we never
// ask for n > 1). Blocks are opened as content first appears: thinking
// (`reasoning_content` or `reasoning`), text, tool calls (see OpenAIToolCalls)
// and all are closed at finish_reason, or at [DONE] when a server never sends
// one (OpenRouter's kimi-k2 did not on a tool turn): the reason is then
// inferred (tool calls present → tool_calls, else stop) with no raw value.
//
// The end: `[DONE]` ends the stream. A stream that stops without it is
// accepted only if a finish_reason came (some compatible servers omit
// [DONE]; the answer is complete, though a trailing usage chunk may be lost);
// otherwise finish() reports "stream ended before [DONE]".
import JSON
import LLMCore

public struct OpenAIStreamParser: StreamParser, SSEStreamParsing {
    let provider: String
    var input: SSEInput
    private var tools: OpenAIToolCalls
    private var nextIndex = 0
    private var textIndex: Int?
    private var thinkingIndex: Int?
    private var started = false
    private var finished = false  // finish_reason seen, every block closed
    private var sawDone = false
    var failure: LLMError?

    public init(provider: String = "openai") {
        self.provider = provider
        self.input = SSEInput(provider: provider)
        self.tools = OpenAIToolCalls(provider: provider)
    }

    public mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(LLMError) -> [StreamEvent] { try feedSSE(bytes) }
    public mutating func finish() throws(LLMError) -> [StreamEvent] { try finishSSE() }
    var incompleteReason: String? { sawDone || finished ? nil : "stream ended before [DONE]" }

    mutating func handle(_ events: [SSEEvent]) throws(LLMError) -> [StreamEvent] {
        var out: [StreamEvent] = []
        for event in events { try handle(event, into: &out) }
        return out
    }

    private mutating func handle(_ event: SSEEvent, into out: inout [StreamEvent]) throws(LLMError) {
        if sawDone { throw LLMError(.badResponse, "stream data after [DONE]", provider: provider) }
        if event.data.trimmed == "[DONE]" {
            sawDone = true
            try close(raw: nil, into: &out)
            return
        }
        let json = try WireJSON.parse(event.data.utf8, what: "stream chunk", provider: provider)
        if let error = OpenAIWire.error(json, status: nil, provider: provider) { throw error }
        if event.event == "error" {
            throw LLMError(.server, "error event: \(BodyExcerpt.text(Array(event.data.utf8)))", provider: provider)
        }
        if !started {
            started = true
            out.append(.messageStart(id: json.text("id"), model: json.text("model")))
        }
        let choices = json["choices"]?.arrayValue ?? []
        if let choice = choices.first(where: { ($0.int("index") ?? 0) == 0 }) {
            try handle(choice, into: &out)
        }
        if let usage = json["usage"], case .object = usage { out.append(.usage(OpenAIWire.usage(usage))) }
    }

    private mutating func handle(_ choice: JSONValue, into out: inout [StreamEvent]) throws(LLMError) {
        let delta = choice["delta"] ?? .null
        if let thinking = delta.text("reasoning_content") ?? delta.text("reasoning") {
            try checkOpen("reasoning")
            let index = thinkingIndex ?? open(into: &out) { .thinkingStart(index: $0) }
            thinkingIndex = index
            out.append(.thinkingDelta(index: index, text: thinking))
        }
        // A refusal is the model's answer to show, so it is text like any other.
        if let text = delta.text("content") ?? delta.text("refusal") {
            try checkOpen("content")
            let index = textIndex ?? open(into: &out) { .textStart(index: $0) }
            textIndex = index
            out.append(.textDelta(index: index, text: text))
        }
        if let calls = delta["tool_calls"]?.arrayValue, !calls.isEmpty {
            try checkOpen("tool call")
            for call in calls { out += try tools.apply(call, nextIndex: &nextIndex) }
        }
        if let raw = choice.text("finish_reason") { try close(raw: raw, into: &out) }
    }

    private mutating func open(into out: inout [StreamEvent], _ start: (Int) -> StreamEvent) -> Int {
        let index = nextIndex
        nextIndex += 1
        out.append(start(index))
        return index
    }

    private func checkOpen(_ what: String) throws(LLMError) {
        guard !finished else {
            throw LLMError(.badResponse, "stream event out of order: \(what) after finish_reason", provider: provider)
        }
    }

    /// Closes every block and reports the finish; a repeated finish_reason is ignored.
    private mutating func close(raw: String?, into out: inout [StreamEvent]) throws(LLMError) {
        guard !finished else { return }
        finished = true
        if let thinkingIndex { out.append(.thinkingEnd(index: thinkingIndex)) }
        if let textIndex { out.append(.textEnd(index: textIndex)) }
        out += try tools.complete()
        if let raw {
            out.append(.finish(reason: OpenAIWire.finishReason(raw), raw: raw))
        } else if started {
            out.append(.finish(reason: tools.calls.isEmpty ? .stop : .toolCalls, raw: nil))
        }
    }
}

extension String {
    fileprivate var trimmed: Substring {
        let utf8 = self.utf8
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        guard let first = utf8.firstIndex(where: { !isSpace($0) }), let last = utf8.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return self[first...last]
    }
}
