// Usage the server did not send. llama.cpp's server (and other local
// OpenAI-compatible ones) streams no usage at all; without an estimate the
// stats say 0 tokens, budgets and tpm limits see nothing, and the call log
// and metrics undercount. The rule is the common rough one for English text
// and code: one token per four UTF-8 bytes, rounded up, counted over the text
// a model reads (system, messages, tool definitions) and writes (text,
// thinking, tool calls). Estimated counts are marked `estimated`.
import JSON

public enum UsageEstimate {
    /// Tokens for `bytes` UTF-8 bytes.
    public static func tokens(bytes: Int) -> Int { bytes <= 0 ? 0 : (bytes + 3) / 4 }

    /// `response` with usage estimated when the server reported none (both
    /// counts zero); unchanged otherwise.
    public static func filled(_ response: ChatResponse, for request: ChatRequest) -> ChatResponse {
        guard response.usage.inputTokens == 0 && response.usage.outputTokens == 0 else { return response }
        var r = response
        r.usage = Usage(inputTokens: tokens(bytes: inputBytes(request)), outputTokens: tokens(bytes: outputBytes(response.message)),
                        estimated: true)
        return r
    }

    /// Estimated input tokens for embedding `inputs`.
    public static func embeddingUsage(_ inputs: [String]) -> Usage {
        Usage(inputTokens: inputs.reduce(0) { $0 + tokens(bytes: $1.utf8.count) }, estimated: true)
    }

    static func inputBytes(_ r: ChatRequest) -> Int {
        var n = r.system?.utf8.count ?? 0
        for m in r.messages { n += outputBytes(m) }
        for t in r.tools {
            n += t.name.utf8.count + (t.description?.utf8.count ?? 0) + jsonBytes(t.parameters)
        }
        return n
    }

    static func outputBytes(_ m: Message) -> Int {
        m.content.reduce(0) { n, block in
            switch block {
            case .text(let t): n + t.utf8.count
            case .thinking(let t, _): n + t.utf8.count
            case .redactedThinking: n
            case .toolUse(let call): n + call.name.utf8.count + jsonBytes(call.arguments)
            case .toolResult(_, let content, _): n + content.utf8.count
            }
        }
    }
}

private func jsonBytes(_ v: JSONValue) -> Int {
    (try? JSONWriter.bytes(v).count) ?? 0
}
