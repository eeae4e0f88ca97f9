// The three wire formats the synthetic provider answers in, chosen by the
// request path as a real server's routes would: Anthropic Messages, OpenAI
// Chat Completions (and every compatible server), Gemini generateContent.
// Everything provider-shaped the synthetic answers need is here.
import Foundation

enum SyntheticWire {
    case anthropic, openai, gemini

    init(path: String) {
        let route = path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
        if route.hasSuffix(":generateContent") || route.hasSuffix(":streamGenerateContent") {
            self = .gemini
        } else if route.hasSuffix("/chat/completions") {
            self = .openai
        } else {
            self = .anthropic
        }
    }

    func isStream(path: String, body: [String: Any]) -> Bool {
        if self == .gemini { return path.contains(":streamGenerateContent") }
        return body["stream"] as? Bool ?? false
    }

    /// The last user turn's text.
    func prompt(in body: [String: Any]) -> String {
        if self == .gemini {
            guard let contents = body["contents"] as? [[String: Any]],
                  let last = contents.last(where: { ($0["role"] as? String ?? "user") == "user" }),
                  let parts = last["parts"] as? [[String: Any]] else { return "" }
            return parts.compactMap { $0["text"] as? String }.joined()
        }
        guard let messages = body["messages"] as? [[String: Any]],
              let last = messages.last(where: { ($0["role"] as? String) == "user" }) else { return "" }
        if let text = last["content"] as? String { return text }
        if let blocks = last["content"] as? [[String: Any]] {
            return blocks.compactMap { $0["text"] as? String }.joined()
        }
        return ""
    }

    var requestIDHeader: String { self == .anthropic ? "request-id" : "x-request-id" }

    /// Rate-limit headers as the provider sends them (Gemini sends none).
    func rateHeaders(limit: Int, remaining: Int, resetIn: Double) -> [(String, String)] {
        switch self {
        case .openai:
            [("x-ratelimit-limit-requests", "\(limit)"), ("x-ratelimit-remaining-requests", "\(remaining)"),
             ("x-ratelimit-reset-requests", "\(Int((resetIn * 1000).rounded(.up)))ms")]
        case .anthropic:
            [("anthropic-ratelimit-requests-limit", "\(limit)"), ("anthropic-ratelimit-requests-remaining", "\(remaining)"),
             ("anthropic-ratelimit-requests-reset", SyntheticResponder.rfc3339(Date().timeIntervalSince1970 + resetIn))]
        case .gemini:
            []
        }
    }

    /// A complete streamed answer of `tokens`.
    func text(_ tokens: [String], interval: Double) -> ScriptedResponse {
        switch self {
        case .anthropic: .anthropicText(tokens, interval: interval)
        case .openai: .openAIText(tokens, interval: interval)
        case .gemini: .geminiText(tokens, interval: interval)
        }
    }

    /// A complete whole (non-streamed) answer of `tokens`.
    func whole(_ tokens: [String]) -> ScriptedResponse {
        let text = JSONText.quoted(tokens.joined())
        switch self {
        case .openai:
            return .json("""
                {"id":"chatcmpl-syn","object":"chat.completion","created":1700000000,"model":"gpt-test","choices":[{"index":0,\
                "message":{"role":"assistant","content":\(text)},"finish_reason":"stop"}],\
                "usage":{"prompt_tokens":10,"completion_tokens":\(tokens.count),"total_tokens":\(10 + tokens.count)}}
                """)
        case .anthropic:
            return .json("""
                {"id":"msg_syn","type":"message","role":"assistant","model":"claude-test","content":[{"type":"text","text":\(text)}],\
                "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":\(tokens.count)}}
                """)
        case .gemini:
            return .json("""
                {"candidates":[{"content":{"parts":[{"text":\(text)}],"role":"model"},"finishReason":"STOP","index":0}],\
                "usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":\(tokens.count),"totalTokenCount":\(10 + tokens.count)},\
                "modelVersion":"gemini-test","responseId":"syn"}
                """)
        }
    }

    enum Failure { case rateLimited, server, unavailable, overloaded }

    /// An error response in the provider's shape.
    func error(_ status: Int, _ failure: Failure, message: String, extra: [(String, String)] = []) -> ScriptedResponse {
        let body: String
        switch self {
        case .openai:
            let type = switch failure {
            case .rateLimited: "rate_limit_exceeded"
            case .server, .unavailable: "server_error"
            case .overloaded: "overloaded_error"
            }
            body = #"{"error":{"message":"\#(message)","type":"\#(type)","param":null,"code":null}}"#
        case .anthropic:
            let type = switch failure {
            case .rateLimited: "rate_limit_error"
            case .server, .unavailable: "api_error"
            case .overloaded: "overloaded_error"
            }
            body = #"{"type":"error","error":{"type":"\#(type)","message":"\#(message)"}}"#
        case .gemini:
            let code = switch failure {
            case .rateLimited: "RESOURCE_EXHAUSTED"
            case .server: "INTERNAL"
            case .unavailable, .overloaded: "UNAVAILABLE"
            }
            body = #"{"error":{"code":\#(status),"message":"\#(message)","status":"\#(code)"}}"#
        }
        return .json(body, status: status, headers: extra)
    }

    /// An overload error inside a 200 stream.
    var errorEvent: ScriptedResponse.Chunk {
        switch self {
        case .openai: .init(#"data: {"error":{"message":"Overloaded","type":"server_error"}}"# + "\n\n")
        case .anthropic: .init("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n")
        case .gemini: .init(#"data: {"error":{"code":503,"message":"Overloaded","status":"UNAVAILABLE"}}"# + "\r\n\r\n")
        }
    }

    /// Chunks of a streamed answer before its first content (framing).
    var framingChunks: Int {
        switch self {
        case .anthropic: 3
        case .openai: 1
        case .gemini: 0
        }
    }

    /// A content event whose text holds invalid UTF-8.
    var invalidUTF8Event: [UInt8] {
        switch self {
        case .anthropic:
            Array("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"".utf8)
                + [0xFF, 0xFE] + Array("\"}}\n\n".utf8)
        case .openai:
            Array("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"".utf8) + [0xC3, 0x28] + Array("\"}}]}\n\n".utf8)
        case .gemini:
            Array("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"".utf8) + [0xC3, 0x28] + Array("\"}]}}]}\r\n\r\n".utf8)
        }
    }

    /// A content event that is not JSON.
    var invalidJSONEvent: ScriptedResponse.Chunk {
        self == .anthropic ? .init("event: content_block_delta\ndata: {not json\n\n") : .init("data: {not json\n\n")
    }
}
