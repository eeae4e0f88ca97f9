// StreamAccumulator: builds the final ChatResponse from normalised stream
// events, for every provider. It is also the stream's referee: an event that
// cannot follow what came before (a delta for a block never started or
// already ended, a block started out of index order, a second messageStart
// or finish) is a `bad_response` error, never a silent skip, because a
// skipped event is a silently wrong answer.
import JSON

public struct StreamAccumulator: Sendable {
    private enum Kind: String, Sendable {
        case text, thinking, redactedThinking = "redacted thinking", tool = "tool input"
    }

    private struct Block: Sendable {
        var kind: Kind
        var text = ""  // text, thinking, redacted data, or the tool's partial JSON
        var signature: String?
        var toolID = ""
        var toolName = ""
        var call: ToolCall?  // set once the tool's arguments are complete and parsed
        var ended = false
    }

    private var blocks: [Block] = []
    private var id: String?
    private var model: String?
    private var started = false
    private var usage = Usage()
    private var finishReason: FinishReason?
    private var rawFinishReason: String?
    /// The most text, thinking, redacted data and tool input the response may
    /// hold, in bytes: a stream that never ends cannot take all memory (issue 16).
    public var maxContentBytes: Int
    private var contentBytes = 0

    public static let defaultMaxContentBytes = 64 << 20

    public init(maxContentBytes: Int = StreamAccumulator.defaultMaxContentBytes) {
        self.maxContentBytes = maxContentBytes
    }

    private mutating func keep(_ text: String) throws(LLMError) {
        contentBytes += text.utf8.count
        guard contentBytes <= maxContentBytes else {
            throw LLMError(.badResponse, "the response passed \(maxContentBytes) bytes of text, thinking and tool input (max_response_bytes)")
        }
    }

    /// The message so far. A tool call whose arguments are still streaming has
    /// empty-object arguments here; `partialToolInput(index:)` has its JSON text.
    public var response: ChatResponse {
        ChatResponse(
            id: id, model: model, message: Message(role: .assistant, content: blocks.map(Self.content)),
            usage: usage, finishReason: finishReason, rawFinishReason: rawFinishReason)
    }

    /// The JSON text received so far for the tool-input block at `index`
    /// ("" for any other block or index).
    public func partialToolInput(index: Int) -> String {
        guard blocks.indices.contains(index), blocks[index].kind == .tool else { return "" }
        return blocks[index].text
    }

    /// The response, once every tool call has its parsed arguments. Whether
    /// the stream reached its end marker is the provider parser's call.
    public func finish() throws(LLMError) -> ChatResponse {
        if let open = blocks.firstIndex(where: { $0.kind == .tool && $0.call == nil }) {
            throw LLMError(.badResponse, "stream ended before tool call '\(blocks[open].toolName)' (block \(open)) was complete")
        }
        return response
    }

    public mutating func apply(_ event: StreamEvent) throws(LLMError) {
        switch event {
        case .messageStart(let id, let model):
            guard !started else { throw Self.error("a second message start") }
            guard blocks.isEmpty, finishReason == nil else { throw Self.error("message start after content") }
            started = true
            self.id = id
            self.model = model
        case .textStart(let index):
            try start(Block(kind: .text), at: index)
        case .thinkingStart(let index):
            try start(Block(kind: .thinking), at: index)
        case .redactedThinking(let index, let data):
            try keep(data)
            try start(Block(kind: .redactedThinking, text: data, ended: true), at: index)
        case .toolInputStart(let index, let id, let name):
            try start(Block(kind: .tool, toolID: id, toolName: name), at: index)
        case .textDelta(let index, let text):
            try checkOpen(index, .text, "text delta")
            try keep(text)
            blocks[index].text += text
        case .thinkingDelta(let index, let text):
            try checkOpen(index, .thinking, "thinking delta")
            try keep(text)
            blocks[index].text += text
        case .thinkingSignature(let index, let signature):
            try checkOpen(index, .thinking, "thinking signature")
            // Replaced, not appended, as anthropic-sdk-python's accumulator does.
            blocks[index].signature = signature
        case .toolInputDelta(let index, let fragment):
            try checkOpen(index, .tool, "tool input delta")
            try keep(fragment)
            blocks[index].text += fragment
        case .textEnd(let index):
            try checkOpen(index, .text, "text end")
            blocks[index].ended = true
        case .thinkingEnd(let index):
            try checkOpen(index, .thinking, "thinking end")
            blocks[index].ended = true
        case .toolInputEnd(let index):
            try checkOpen(index, .tool, "tool input end")
            blocks[index].ended = true
        case .toolCall(let index, let call):
            try complete(call, at: index)
        case .usage(let report):
            usage = usage.merging(report)
        case .finish(let reason, let raw):
            guard finishReason == nil else { throw Self.error("a second finish (\(raw ?? reason.rawValue))") }
            finishReason = reason
            rawFinishReason = raw
        case .ping:
            break
        }
    }

    private mutating func start(_ block: Block, at index: Int) throws(LLMError) {
        guard finishReason == nil else { throw Self.error("\(block.kind.rawValue) block \(index) started after finish") }
        guard index == blocks.count else {
            let problem = index < blocks.count ? "started twice" : "started out of order (next is \(blocks.count))"
            throw Self.error("\(block.kind.rawValue) block \(index) \(problem)")
        }
        blocks.append(block)
    }

    /// Checks that the block at `index` exists, is of `kind` and is still open.
    private func checkOpen(_ index: Int, _ kind: Kind, _ what: String) throws(LLMError) {
        guard finishReason == nil else { throw Self.error("\(what) for block \(index) after finish") }
        guard blocks.indices.contains(index) else { throw Self.error("\(what) for block \(index), never started") }
        let block = blocks[index]
        guard block.kind == kind else { throw Self.error("\(what) for block \(index), a \(block.kind.rawValue) block") }
        guard !block.ended else { throw Self.error("\(what) for block \(index) after its end") }
    }

    private mutating func complete(_ call: ToolCall, at index: Int) throws(LLMError) {
        if index == blocks.count {
            // A provider that delivers whole calls need not stream their input.
            try start(Block(kind: .tool, toolID: call.id, toolName: call.name), at: index)
        }
        guard blocks.indices.contains(index), blocks[index].kind == .tool else {
            throw Self.error("tool call for block \(index), which is not a tool input block")
        }
        guard blocks[index].call == nil else { throw Self.error("tool call for block \(index) completed twice") }
        guard blocks[index].toolID.isEmpty || blocks[index].toolID == call.id else {
            throw Self.error("tool call '\(call.id)' for block \(index), which started as '\(blocks[index].toolID)'")
        }
        guard finishReason == nil else { throw Self.error("tool call for block \(index) after finish") }
        blocks[index].call = call
        blocks[index].ended = true
    }

    private static func content(_ block: Block) -> ContentBlock {
        switch block.kind {
        case .text: .text(block.text)
        case .thinking: .thinking(text: block.text, signature: block.signature)
        case .redactedThinking: .redactedThinking(data: block.text)
        case .tool: .toolUse(block.call ?? ToolCall(id: block.toolID, name: block.toolName, arguments: .object([:])))
        }
    }

    private static func error(_ message: String) -> LLMError {
        LLMError(.badResponse, "stream event out of order: \(message)")
    }
}
