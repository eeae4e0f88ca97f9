// Streamed tool-call deltas → whole calls. OpenAI sends each call's `id` and
// name once, then argument fragments under the same `index`. Compatible
// servers bend this, and the bends are repaired here rather than merged:
// - no `index` at all: a delta without an id continues the last call;
// - the same index (often 0) for parallel calls: a delta whose `id` differs
//   from every call so far starts a new call;
// - the first delta repeated whole (OpenRouter/kimi-k2 sent id "0" twice):
//   the same id continues its call, and a repeated name is not appended;
// - no id: a delta carrying a name while the call it would continue
//   already has one starts a new call (servers never split a name).
import JSON
import LLMCore

struct OpenAIToolCalls {
    struct Call {
        var blockIndex: Int
        var wireIndex: Int?
        var id: String
        var name: String
        var arguments = ""
    }

    private(set) var calls: [Call] = []
    /// The last call with each id and each wire index: a delta finds its call
    /// in constant time, so a stream of many calls stays linear (issue 16).
    private var lastWithID: [String: Int] = [:]
    private var lastWithWireIndex: [Int: Int] = [:]
    private(set) var completed = false
    let provider: String

    init(provider: String) {
        self.provider = provider
    }

    /// One element of `delta.tool_calls`; `nextIndex` is the next free block index.
    mutating func apply(_ delta: JSONValue, nextIndex: inout Int) throws(LLMError) -> [StreamEvent] {
        guard !completed else {
            throw LLMError(.badResponse, "tool call delta after the calls were complete", provider: provider)
        }
        let id = delta.text("id")
        let wireIndex = delta.int("index")
        let function = delta["function"] ?? .null
        let name = function.text("name")
        var events: [StreamEvent] = []
        let position: Int
        if let existing = target(id: id, wireIndex: wireIndex, name: name) {
            position = existing
        } else {
            let index = nextIndex
            nextIndex += 1
            calls.append(Call(blockIndex: index, wireIndex: wireIndex, id: id ?? "call_\(index)", name: name ?? ""))
            position = calls.count - 1
            if let id { lastWithID[id] = position }
            if let wireIndex { lastWithWireIndex[wireIndex] = position }
            events.append(.toolInputStart(index: index, id: calls[position].id, name: calls[position].name))
        }
        if calls[position].name.isEmpty, let name { calls[position].name = name }
        let fragment = try Self.fragment(function["arguments"], provider: provider)
        if !fragment.isEmpty {
            calls[position].arguments += fragment
            events.append(.toolInputDelta(index: calls[position].blockIndex, partialJSON: fragment))
        }
        return events
    }

    /// Ends every call and parses its arguments (at finish_reason or [DONE]).
    mutating func complete() throws(LLMError) -> [StreamEvent] {
        guard !completed else { return [] }
        completed = true
        var events: [StreamEvent] = []
        for call in calls {
            let arguments = try WireJSON.toolArguments(call.arguments, tool: call.name, provider: provider)
            events.append(.toolInputEnd(index: call.blockIndex))
            events.append(.toolCall(index: call.blockIndex, call: ToolCall(id: call.id, name: call.name, arguments: arguments)))
        }
        return events
    }

    /// The call a delta continues, or nil when it starts a new one.
    private func target(id: String?, wireIndex: Int?, name: String?) -> Int? {
        if let id { return lastWithID[id] }
        let candidate: Int?
        if let wireIndex {
            candidate = lastWithWireIndex[wireIndex]
        } else {
            candidate = calls.indices.last
        }
        guard let candidate else { return nil }
        if name != nil, !calls[candidate].name.isEmpty { return nil }
        return candidate
    }

    /// Arguments are a string fragment; a few servers send a whole object instead.
    private static func fragment(_ value: JSONValue?, provider: String) throws(LLMError) -> String {
        switch value {
        case .string(let text)?: text
        case .object?, .array?: try WireJSON.string(value!, provider: provider)
        default: ""
        }
    }
}
