// What Moonwire knows about one provider, in one value: its name, the
// environment variables the official SDKs read, where it lives, which models
// it serves, how to build it, and the shapes of its errors (for injected
// faults). Each provider's folder has its descriptor; ProviderRegistry lists
// them, and everything outside LLMProviders iterates over the registry.
import LLMCore

/// A provider kind: "anthropic", "openai", "gemini". Only registered kinds exist.
public struct ProviderKind: RawRepresentable, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    public let rawValue: String

    /// A registered kind, or nil.
    public init?(rawValue: String) {
        guard ProviderRegistry.all.contains(where: { $0.kind.rawValue == rawValue }) else { return nil }
        self.rawValue = rawValue
    }

    /// For the descriptors themselves.
    init(registering name: String) {
        rawValue = name
    }

    public static var allCases: [ProviderKind] { ProviderRegistry.all.map(\.kind) }
    public var description: String { rawValue }
    public var descriptor: ProviderDescriptor { ProviderRegistry.descriptor(self) }
}

public struct ProviderDescriptor: Sendable {
    public var kind: ProviderKind
    /// For messages: "Anthropic".
    public var displayName: String
    /// Where the key is read from, in order (Gemini: GEMINI_API_KEY, then GOOGLE_API_KEY).
    public var keyVariables: [String]
    public var baseURLVariable: String
    public var defaultBaseURL: String
    /// Lower-case model-name prefixes that pick this provider (`claude` → anthropic).
    public var modelPrefixes: [String]
    public var supportsEmbeddings: Bool
    /// The tool a structured answer arrives through, if the provider forces one.
    public var answerToolName: String?
    /// The provider for an endpoint, named `name` in errors and metrics.
    public var make: @Sendable (_ endpoint: ProviderEndpoint, _ name: String) -> any ChatProvider
    /// Whether a request path is this provider's API (`/v1/messages`), for
    /// shaping injected faults like a recorded request's provider.
    public var servesPath: @Sendable (String) -> Bool
    public var faults: FaultShapes

    /// Errors in the provider's own shape, for `--chaos` and `serve`.
    public struct FaultShapes: Sendable {
        /// The response header carrying a request id ("request-id").
        public var requestIDHeader: String
        /// A non-2xx body for `status`, saying `message`.
        public var errorBody: @Sendable (_ status: Int, _ message: String) -> String
        /// A 200 event stream whose first event is an overload error.
        public var overloadedEvent: String

        public init(requestIDHeader: String, errorBody: @escaping @Sendable (Int, String) -> String, overloadedEvent: String) {
            self.requestIDHeader = requestIDHeader
            self.errorBody = errorBody
            self.overloadedEvent = overloadedEvent
        }
    }

    /// The message an injected fault's body carries for `status`.
    public static func faultMessage(_ status: Int) -> String {
        switch status {
        case 429: "Rate limited"
        case 529: "Overloaded"
        case 503: "Service unavailable"
        default: "Internal server error"
        }
    }
}

public enum ProviderRegistry {
    /// Every provider, in the order messages list them. Adding a provider is one line here.
    public static let all: [ProviderDescriptor] = [.anthropic, .openai, .gemini]

    public static func descriptor(_ kind: ProviderKind) -> ProviderDescriptor {
        // A ProviderKind only exists for a registered name.
        all.first { $0.kind == kind } ?? all[0]
    }

    /// The provider whose API a request path is; OpenAI-compatible when none claims it.
    public static func serving(path: String) -> ProviderDescriptor {
        all.first { $0.servesPath(path) } ?? .openai
    }

    /// The provider whose models' names start this way, if any.
    public static func serving(model: String) -> ProviderDescriptor? {
        let m = model.lowercased()
        return all.first { $0.modelPrefixes.contains(where: m.hasPrefix) }
    }

    /// `"anthropic", "openai" or "gemini"`, for messages.
    public static var kindList: String {
        let names = all.map { "\"\($0.kind.rawValue)\"" }
        return names.count < 2 ? names.joined() : names.dropLast().joined(separator: ", ") + " or " + names.last!
    }

    /// Every variable a key is read from, for redaction and "is a key set".
    public static var keyVariables: [String] { all.flatMap(\.keyVariables) }

    /// The tools structured answers arrive through.
    public static var answerToolNames: Set<String> { Set(all.compactMap(\.answerToolName)) }
}
