// One GenerateContentResponse (a stream event, or a whole body) → StreamEvents.
// A streamed answer is a series of whole responses, each carrying the next
// parts of candidate 0: text parts continue the open text block, `thought`
// parts the open thinking block, and each `functionCall` part is a whole tool
// call (Gemini never streams arguments). A `thoughtSignature` on a function
// call travels with the call; on a thought part it is the block's signature;
// on a plain text part it is optional to send back and is not kept.
import JSON
import LLMCore

struct GeminiContentReader {
    private enum Open { case none, text, thinking }

    let provider: String
    private var open = Open.none
    private var nextIndex = 0
    private var started = false
    private var calledTools = false
    private(set) var finished = false

    init(provider: String) {
        self.provider = provider
    }

    mutating func read(_ json: JSONValue, into out: inout [StreamEvent]) throws(LLMError) {
        if let error = GeminiWire.error(json, status: nil, provider: provider) { throw error }
        if finished { throw LLMError(.badResponse, "stream event out of order: content after finishReason", provider: provider) }
        if !started {
            started = true
            out.append(.messageStart(id: json.text("responseId"), model: json.text("modelVersion")))
        }
        let candidate = json["candidates"]?.arrayValue?.first { ($0.int("index") ?? 0) == 0 }
        for part in candidate?["content"]?["parts"]?.arrayValue ?? [] { try self.part(part, into: &out) }
        if let usage = json["usageMetadata"] { out.append(.usage(GeminiWire.usage(usage))) }
        if let raw = candidate?.text("finishReason") {
            close(into: &out)
            finished = true
            out.append(.finish(reason: GeminiWire.finishReason(raw, calledTools: calledTools), raw: raw))
        } else if candidate == nil, let blocked = json["promptFeedback"]?.text("blockReason") {
            // The prompt itself was refused: no candidate comes.
            close(into: &out)
            finished = true
            out.append(.finish(reason: .contentFilter, raw: blocked))
        }
    }

    private mutating func part(_ part: JSONValue, into out: inout [StreamEvent]) throws(LLMError) {
        if let call = part["functionCall"] {
            close(into: &out)
            guard let name = call.text("name") else {
                throw LLMError(.badResponse, "functionCall part without a name", provider: provider)
            }
            let arguments = call["args"] ?? .object(JSONObject())
            guard case .object = arguments else {
                throw LLMError(.badResponse, "arguments of tool '\(name)' are not an object", provider: provider)
            }
            // Older models send no id; the call's position names it, as the SDKs do.
            let id = call.text("id") ?? "call_\(nextIndex)"
            out.append(.toolCall(index: nextIndex, call: ToolCall(id: id, name: name, arguments: arguments, signature: part.text("thoughtSignature"))))
            nextIndex += 1
            calledTools = true
            return
        }
        guard let text = part["text"]?.stringValue else { return }  // inline data, executable code, …: not modelled
        let thought = part["thought"]?.boolValue ?? false
        let signature = part.text("thoughtSignature")
        if thought {
            if open != .thinking {
                close(into: &out)
                open = .thinking
                out.append(.thinkingStart(index: nextIndex))
            }
            if !text.isEmpty { out.append(.thinkingDelta(index: nextIndex, text: text)) }
            if let signature { out.append(.thinkingSignature(index: nextIndex, signature: signature)) }
            return
        }
        guard !text.isEmpty else { return }  // the empty part that comes with finishReason
        if open != .text {
            close(into: &out)
            open = .text
            out.append(.textStart(index: nextIndex))
        }
        out.append(.textDelta(index: nextIndex, text: text))
    }

    private mutating func close(into out: inout [StreamEvent]) {
        switch open {
        case .none: return
        case .text: out.append(.textEnd(index: nextIndex))
        case .thinking: out.append(.thinkingEnd(index: nextIndex))
        }
        open = .none
        nextIndex += 1
    }
}
