// OpenAI and every OpenAI-compatible server in the registry.
import LLMCore

extension ProviderKind {
    public static let openai = ProviderKind(registering: "openai")
}

extension ProviderDescriptor {
    public static let openai = ProviderDescriptor(
        kind: .openai, displayName: "OpenAI",
        keyVariables: ["OPENAI_API_KEY"], baseURLVariable: "OPENAI_BASE_URL",
        defaultBaseURL: OpenAIProvider.defaultBaseURL,
        modelPrefixes: ["gpt", "o1", "o3", "o4", "chatgpt", "text-embedding", "davinci"],
        supportsEmbeddings: true, answerToolName: OpenAIProvider.structuredOutputName,
        make: { OpenAIProvider(endpoint: $0, name: $1) },
        servesPath: { $0.hasSuffix("/chat/completions") || $0.hasSuffix("/embeddings") },
        faults: FaultShapes(
            requestIDHeader: "x-request-id",
            errorBody: { status, message in
                // openai-python's shapes: a 429 names the limit, anything else is the server's.
                let (type, code) = status == 429 ? ("requests", #""rate_limit_exceeded""#) : ("server_error", "null")
                return #"{"error":{"message":"\#(message)","type":"\#(type)","param":null,"code":\#(code)}}"#
            },
            overloadedEvent: "data: {\"error\":{\"message\":\"The server is overloaded (injected fault)\",\"type\":\"server_error\"}}\n\n"))
}
