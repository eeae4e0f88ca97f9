// Pieces of the Gemini `generateContent` format shared by the stream parser,
// the whole-response parser, the embeddings and the error mapping.
import JSON
import LLMCore

enum GeminiWire {
    /// `usageMetadata`. `candidatesTokenCount` leaves out the thinking tokens,
    /// which are billed as output: both are output here. `promptTokenCount`
    /// already includes the cached tokens, also reported apart.
    static func usage(_ json: JSONValue) -> Usage {
        Usage(
            inputTokens: json.int("promptTokenCount") ?? 0,
            outputTokens: (json.int("candidatesTokenCount") ?? 0) + (json.int("thoughtsTokenCount") ?? 0),
            cacheReadTokens: json.int("cachedContentTokenCount") ?? 0)
    }

    /// A candidate's `finishReason`; STOP with function calls in the answer is a tool-call finish.
    static func finishReason(_ raw: String, calledTools: Bool) -> FinishReason {
        switch raw {
        case "STOP": calledTools ? .toolCalls : .stop
        case "MAX_TOKENS": .length
        case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY", "LANGUAGE": .contentFilter
        default: .other  // MALFORMED_FUNCTION_CALL, OTHER, …
        }
    }

    /// The `error` member of a body or stream event: `{"code", "message",
    /// "status", "details"}` (google.rpc.Status). The status string refines
    /// the HTTP status, and a `google.rpc.RetryInfo` detail says how long to wait.
    static func error(_ json: JSONValue, status: Int?, provider: String) -> LLMError? {
        guard let error = json["error"], case .object = error else { return nil }
        let message = error.text("message") ?? error.text("status") ?? "unknown error"
        let code = error.text("status")
        let httpStatus = status ?? error.int("code")
        var kind = httpStatus.map(ErrorClassification.kind(status:)) ?? code.flatMap(kind(status:)) ?? .server
        if kind == .invalidRequest, ErrorClassification.mentionsContextLength(message) { kind = .contextLength }
        if code == "RESOURCE_EXHAUSTED", kind == .invalidRequest || kind == .server { kind = .rateLimited }
        var result = LLMError(kind, message, status: httpStatus, provider: provider, providerCode: code)
        result.retryAfter = retryDelay(error["details"])
        return result
    }

    /// google.rpc.Code names → kinds, for an error without an HTTP status.
    static func kind(status code: String) -> LLMError.Kind? {
        switch code {
        case "RESOURCE_EXHAUSTED": .rateLimited
        case "UNAVAILABLE", "INTERNAL", "UNKNOWN", "ABORTED", "DATA_LOSS": .server
        case "DEADLINE_EXCEEDED": .timeout
        case "UNAUTHENTICATED", "PERMISSION_DENIED": .auth
        case "NOT_FOUND": .notFound
        case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE", "ALREADY_EXISTS", "UNIMPLEMENTED": .invalidRequest
        default: nil
        }
    }

    /// Seconds from a `type.googleapis.com/google.rpc.RetryInfo` detail's
    /// `retryDelay` (a protobuf Duration in JSON: "30s", "1.5s", "0.250s").
    static func retryDelay(_ details: JSONValue?) -> Double? {
        guard let details = details?.arrayValue else { return nil }
        for detail in details where detail.text("@type")?.hasSuffix("google.rpc.RetryInfo") == true {
            guard let text = detail.text("retryDelay"), text.hasSuffix("s"),
                  let seconds = Double(text.dropLast()), seconds.isFinite, seconds >= 0 else { continue }
            return seconds
        }
        return nil
    }

    /// The model's name without the `models/` resource prefix (the API takes both forms).
    static func modelName(_ model: String) -> String {
        model.hasPrefix("models/") ? String(model.dropFirst(7)) : model
    }

    /// The model name as it goes in a path: `models/` dropped (the API takes
    /// both forms), and anything outside a model name's characters escaped.
    static func modelPath(_ model: String) -> String {
        var out = ""
        for byte in modelName(model).utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
