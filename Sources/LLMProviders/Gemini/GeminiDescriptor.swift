// Gemini in the registry.
import LLMCore

extension ProviderKind {
    public static let gemini = ProviderKind(registering: "gemini")
}

extension ProviderDescriptor {
    public static let gemini = ProviderDescriptor(
        kind: .gemini, displayName: "Gemini",
        // google-genai reads GOOGLE_API_KEY too (and prefers it when both are set; we take GEMINI_API_KEY first, as its docs name it).
        keyVariables: ["GEMINI_API_KEY", "GOOGLE_API_KEY"], baseURLVariable: "GEMINI_BASE_URL",
        defaultBaseURL: GeminiProvider.defaultBaseURL, modelPrefixes: ["gemini", "models/gemini"],
        supportsEmbeddings: true, answerToolName: nil,
        make: { GeminiProvider(endpoint: $0, name: $1) },
        servesPath: { $0.hasSuffix(":generateContent") || $0.hasSuffix(":streamGenerateContent") || $0.hasSuffix(":batchEmbedContents") },
        faults: FaultShapes(
            requestIDHeader: "x-request-id",
            errorBody: { status, message in
                let code = switch status {
                case 429: "RESOURCE_EXHAUSTED"
                case 503, 529: "UNAVAILABLE"
                default: "INTERNAL"
                }
                return #"{"error":{"code":\#(status),"message":"\#(message)","status":"\#(code)"}}"#
            },
            overloadedEvent: "data: {\"error\":{\"code\":503,\"message\":\"The model is overloaded (injected fault)\",\"status\":\"UNAVAILABLE\"}}\n\n"))
}
