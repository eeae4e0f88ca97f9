// Anthropic's SSE stream → StreamEvents. Dispatch is on the JSON `type` (the
// SSE `event:` name repeats it; it is the fallback). Block indices are mapped
// to our own, so block types we do not model (server tool results, …) can be
// skipped without leaving a gap the accumulator would call out of order.
import JSON
import LLMCore

public struct AnthropicStreamParser: StreamParser, SSEStreamParsing {
    private enum Kind { case text, thinking, redacted, tool, ignored }

    private struct Block {
        var kind: Kind
        var index: Int  // ours
        var id = ""
        var name = ""
        var json = ""  // a tool's input so far
        var stopped = false
    }

    let provider: String
    var input: SSEInput
    private var blocks: [Int: Block] = [:]  // by Anthropic's index
    private var nextIndex = 0
    private var sawStart = false
    private var sawStop = false
    var failure: LLMError?

    public init(provider: String = "anthropic") {
        self.provider = provider
        self.input = SSEInput(provider: provider)
    }

    public mutating func feed(_ bytes: UnsafeRawBufferPointer) throws(LLMError) -> [StreamEvent] { try feedSSE(bytes) }
    public mutating func finish() throws(LLMError) -> [StreamEvent] { try finishSSE() }
    var incompleteReason: String? { sawStop ? nil : "stream ended before message_stop" }

    mutating func handle(_ events: [SSEEvent]) throws(LLMError) -> [StreamEvent] {
        var out: [StreamEvent] = []
        for event in events { try handle(event, into: &out) }
        return out
    }

    private mutating func handle(_ event: SSEEvent, into out: inout [StreamEvent]) throws(LLMError) {
        // Most events are text deltas for an open text block: read those directly.
        if !sawStop, let (wireIndex, text) = AnthropicTextDelta.read(event.data),
           let block = blocks[wireIndex], block.kind == .text, !block.stopped {
            out.append(.textDelta(index: block.index, text: text))
            return
        }
        let json = try WireJSON.parse(event.data.utf8, what: "\(event.type) event data", provider: provider)
        let type = json.text("type") ?? event.type
        if sawStop, type != "ping" { throw outOfOrder("\(type) after message_stop") }
        switch type {
        case "message_start":
            guard !sawStart else { throw outOfOrder("a second message_start") }
            sawStart = true
            let message = json["message"] ?? .null
            out.append(.messageStart(id: message.text("id"), model: message.text("model")))
            if let usage = message["usage"] { out.append(.usage(AnthropicWire.usage(usage))) }
        case "content_block_start":
            try blockStart(json, into: &out)
        case "content_block_delta":
            try blockDelta(json, into: &out)
        case "content_block_stop":
            try blockStop(json, into: &out)
        case "message_delta":
            if let usage = json["usage"] { out.append(.usage(AnthropicWire.usage(usage))) }
            if let raw = json["delta"]?.text("stop_reason") {
                out.append(.finish(reason: AnthropicWire.finishReason(raw), raw: raw))
            }
        case "message_stop":
            sawStop = true
        case "ping":
            out.append(.ping)
        case "error":
            throw AnthropicWire.error(json, status: nil, provider: provider)
                ?? LLMError(.server, "error event without an error object: \(BodyExcerpt.text(Array(event.data.utf8)))",
                            provider: provider)
        default:
            break  // new event types are additive: the API versioning policy says to ignore them
        }
    }

    private mutating func blockStart(_ json: JSONValue, into out: inout [StreamEvent]) throws(LLMError) {
        let wireIndex = try index(json)
        guard blocks[wireIndex] == nil else { throw outOfOrder("content block \(wireIndex) started twice") }
        let content = json["content_block"] ?? .null
        var block = Block(kind: .ignored, index: nextIndex)
        switch content.text("type") {
        case "text":
            block.kind = .text
            out.append(.textStart(index: block.index))
            if let text = content.text("text") { out.append(.textDelta(index: block.index, text: text)) }
        case "thinking":
            block.kind = .thinking
            out.append(.thinkingStart(index: block.index))
            if let text = content.text("thinking") { out.append(.thinkingDelta(index: block.index, text: text)) }
            if let signature = content.text("signature") {
                out.append(.thinkingSignature(index: block.index, signature: signature))
            }
        case "redacted_thinking":
            block.kind = .redacted
            out.append(.redactedThinking(index: block.index, data: content["data"]?.stringValue ?? ""))
        case "tool_use":
            block.kind = .tool
            block.id = content["id"]?.stringValue ?? ""
            block.name = content["name"]?.stringValue ?? ""
            out.append(.toolInputStart(index: block.index, id: block.id, name: block.name))
        default:
            break  // server_tool_use, web_search_tool_result, …: run by the server, not ours to model
        }
        if block.kind != .ignored { nextIndex += 1 }
        blocks[wireIndex] = block
    }

    private mutating func blockDelta(_ json: JSONValue, into out: inout [StreamEvent]) throws(LLMError) {
        let wireIndex = try index(json)
        let block = try open(wireIndex, "content_block_delta")
        guard block.kind != .ignored else { return }
        let delta = json["delta"] ?? .null
        let type = delta.text("type") ?? "(none)"
        switch (type, block.kind) {
        case ("text_delta", .text):
            if let text = delta.text("text") { out.append(.textDelta(index: block.index, text: text)) }
        case ("thinking_delta", .thinking):
            if let text = delta.text("thinking") { out.append(.thinkingDelta(index: block.index, text: text)) }
        case ("signature_delta", .thinking):
            if let signature = delta.text("signature") {
                out.append(.thinkingSignature(index: block.index, signature: signature))
            }
        case ("input_json_delta", .tool):
            if let fragment = delta.text("partial_json") {
                blocks[wireIndex]?.json += fragment
                out.append(.toolInputDelta(index: block.index, partialJSON: fragment))
            }
        case ("citations_delta", _):
            break  // citations are metadata on text we already have
        default:
            throw outOfOrder("\(type) for content block \(wireIndex), a \(block.kind) block")
        }
    }

    private mutating func blockStop(_ json: JSONValue, into out: inout [StreamEvent]) throws(LLMError) {
        let wireIndex = try index(json)
        let block = try open(wireIndex, "content_block_stop")
        blocks[wireIndex]?.stopped = true
        switch block.kind {
        case .text: out.append(.textEnd(index: block.index))
        case .thinking: out.append(.thinkingEnd(index: block.index))
        case .tool:
            let arguments = try WireJSON.toolArguments(block.json, tool: block.name, provider: provider)
            out.append(.toolInputEnd(index: block.index))
            out.append(.toolCall(index: block.index, call: ToolCall(id: block.id, name: block.name, arguments: arguments)))
        case .redacted, .ignored: break
        }
    }

    private func index(_ json: JSONValue) throws(LLMError) -> Int {
        guard let index = json.int("index") else {
            throw LLMError(.badResponse, "\(json.text("type") ?? "event") without an index", provider: provider)
        }
        return index
    }

    private func open(_ wireIndex: Int, _ what: String) throws(LLMError) -> Block {
        guard let block = blocks[wireIndex] else { throw outOfOrder("\(what) for content block \(wireIndex), never started") }
        guard !block.stopped else { throw outOfOrder("\(what) for content block \(wireIndex) after its stop") }
        return block
    }

    private func outOfOrder(_ what: String) -> LLMError {
        LLMError(.badResponse, "stream event out of order: \(what)", provider: provider)
    }
}
