// Anthropic in the registry.
import LLMCore

extension ProviderKind {
    public static let anthropic = ProviderKind(registering: "anthropic")
}

extension ProviderDescriptor {
    public static let anthropic = ProviderDescriptor(
        kind: .anthropic, displayName: "Anthropic",
        keyVariables: ["ANTHROPIC_API_KEY"], baseURLVariable: "ANTHROPIC_BASE_URL",
        defaultBaseURL: AnthropicProvider.defaultBaseURL, modelPrefixes: ["claude"],
        supportsEmbeddings: false, answerToolName: AnthropicProvider.structuredOutputToolName,
        make: { AnthropicProvider(endpoint: $0, name: $1) },
        servesPath: { $0.hasSuffix("/messages") },
        faults: FaultShapes(
            requestIDHeader: "request-id",
            errorBody: { status, message in
                let type = switch status {
                case 429: "rate_limit_error"
                case 529: "overloaded_error"
                default: "api_error"
                }
                return #"{"type":"error","error":{"type":"\#(type)","message":"\#(message)"}}"#
            },
            overloadedEvent: "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded (injected fault)\"}}\n\n"))
}
