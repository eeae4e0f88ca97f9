// ChatRequest → the JSON body of `models/{model}:generateContent`.
// Gemini differs from the neutral model in these ways, handled here: roles
// are `user` and `model`, the system prompt is `systemInstruction`, options
// sit in `generationConfig`, a tool result is a `functionResponse` part that
// names its function (found from the call it answers), and a call's
// `thoughtSignature` goes back on the call's part.
import JSON
import LLMCore

struct GeminiRequestBody {
    let provider: String

    func json(for request: ChatRequest) throws(LLMError) -> JSONValue {
        var body = JSONObject()
        body["contents"] = .array(try contents(request.messages))
        let systemTexts = [request.system].compactMap { $0 }
            + request.messages.filter { $0.role == .system }.map(\.text)
        if !systemTexts.isEmpty {
            body["systemInstruction"] = ["parts": [["text": .string(systemTexts.joined(separator: "\n\n"))]]]
        }
        var config = JSONObject()
        if let maxTokens = request.maxTokens { config["maxOutputTokens"] = .int(Int64(maxTokens)) }
        if let temperature = request.temperature { config["temperature"] = .double(temperature) }
        if let topP = request.topP { config["topP"] = .double(topP) }
        if !request.stop.isEmpty { config["stopSequences"] = .array(request.stop.map { .string($0) }) }
        if let schema = request.responseSchema {
            // JSON Schema as is (`responseJsonSchema`), not the OpenAPI subset of `responseSchema`.
            config["responseMimeType"] = "application/json"
            config["responseJsonSchema"] = schema
        }
        if !config.isEmpty { body["generationConfig"] = .object(config) }
        if !request.tools.isEmpty {
            body["tools"] = [["functionDeclarations": .array(request.tools.map(declaration))]]
        }
        if let choice = request.toolChoice { body["toolConfig"] = ["functionCallingConfig": callingConfig(choice)] }
        for (key, value) in request.extra.entries { body[key] = value }
        return .object(body)
    }

    private func declaration(_ tool: ToolDefinition) -> JSONValue {
        var object: JSONObject = ["name": .string(tool.name)]
        if let description = tool.description { object["description"] = .string(description) }
        object["parametersJsonSchema"] = tool.parameters
        return .object(object)
    }

    private func callingConfig(_ choice: ToolChoice) -> JSONValue {
        switch choice {
        case .auto: ["mode": "AUTO"]
        case .none: ["mode": "NONE"]
        case .required: ["mode": "ANY"]
        case .tool(let name): ["mode": "ANY", "allowedFunctionNames": [.string(name)]]
        }
    }

    /// Consecutive tool-result messages become one user turn, as every
    /// response to one model turn's calls goes in the next user turn.
    private func contents(_ messages: [Message]) throws(LLMError) -> [JSONValue] {
        var names: [String: String] = [:]  // tool call id → function name
        for message in messages {
            for case .toolUse(let call) in message.content { names[call.id] = call.name }
        }
        var wire: [(role: String, parts: [JSONValue], onlyResults: Bool)] = []
        for message in messages where message.role != .system {
            let role = message.role == .assistant ? "model" : "user"
            var parts: [JSONValue] = []
            for block in message.content {
                if let json = try part(block, in: message.role, names: names) { parts.append(json) }
            }
            guard !parts.isEmpty else { continue }
            let onlyResults = message.content.allSatisfy { if case .toolResult = $0 { true } else { false } }
            if onlyResults, let last = wire.last, last.onlyResults {
                wire[wire.count - 1].parts += parts
            } else {
                wire.append((role, parts, onlyResults))
            }
        }
        return wire.map { ["role": .string($0.role), "parts": .array($0.parts)] }
    }

    private func part(_ block: ContentBlock, in role: Role, names: [String: String]) throws(LLMError) -> JSONValue? {
        switch block {
        case .text(let text):
            return text.isEmpty ? nil : ["text": .string(text)]
        case .thinking(let text, let signature):
            // Only signed thinking from this model family is worth sending back.
            guard role == .assistant, let signature, !signature.isEmpty else { return nil }
            return ["text": .string(text), "thought": true, "thoughtSignature": .string(signature)]
        case .redactedThinking:
            return nil  // Anthropic's encrypted thinking means nothing to Gemini
        case .toolUse(let call):
            guard role == .assistant else { throw misplaced("a tool call", in: role) }
            let args: JSONValue = if case .object = call.arguments { call.arguments } else { .object([:]) }
            var part: JSONObject = ["functionCall": ["name": .string(call.name), "args": args, "id": .string(call.id)]]
            if let signature = call.signature { part["thoughtSignature"] = .string(signature) }
            return .object(part)
        case .toolResult(let id, let content, let isError):
            guard role != .assistant else { throw misplaced("a tool result", in: role) }
            guard let name = names[id] else {
                throw LLMError(.invalidRequest, "tool result for '\(id)' answers no tool call in the messages (Gemini needs the function's name)", provider: provider)
            }
            // The API's convention: the output under "output", a failure under "error".
            let response: JSONValue = [isError ? "error" : "output": (try? JSONParser().parse(content)) ?? .string(content)]
            return ["functionResponse": ["name": .string(name), "id": .string(id), "response": response]]
        }
    }

    private func misplaced(_ what: String, in role: Role) -> LLMError {
        LLMError(.invalidRequest, "\(what) cannot be part of a \(role.rawValue) message", provider: provider)
    }
}
