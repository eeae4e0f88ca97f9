// Which provider serves a model, where it lives and with which key: from the
// variables the official SDKs read, overridden by llm.configure{...} and by a
// call's own options.
import Foundation
import LLMCore
import LLMProviders
import LuaBridge

public struct ProviderSettings: Sendable {
    public var baseURL: String?
    public var apiKey: String?
    /// Extra headers on every request to this provider (`headers = {...}`).
    public var headers: [(name: String, value: String)] = []
}

public final class LLMConfiguration {
    public var defaultModel: String?
    public var defaultProvider: ProviderKind?
    public var settings: [ProviderKind: ProviderSettings] = [:]
    /// No wait indicator: NO_COLOR or MOONWIRE_QUIET set (non-empty), or `--quiet`.
    public var quietWaits: Bool

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        quietWaits = !(environment["NO_COLOR"] ?? "").isEmpty || !(environment["MOONWIRE_QUIET"] ?? "").isEmpty
        defaultModel = environment["MOONWIRE_MODEL"].flatMap { $0.isEmpty ? nil : $0 }
        defaultProvider = environment["MOONWIRE_PROVIDER"].flatMap(ProviderKind.init(rawValue:))
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        for provider in ProviderRegistry.all {
            settings[provider.kind] = ProviderSettings(
                baseURL: value(provider.baseURLVariable), apiKey: provider.keyVariables.lazy.compactMap(value).first)
        }
    }

    /// The provider for `model`: an explicit kind wins, then the model's family
    /// (the descriptors' prefixes: claude-* → anthropic; gpt-*, o1/o3/o4,
    /// text-embedding-* → openai; gemini-* → gemini), then the configured default.
    public func kind(forModel model: String, explicit: ProviderKind?, baseURL: String?) throws(LLMError) -> ProviderKind {
        if let explicit { return explicit }
        if let provider = ProviderRegistry.serving(model: model) { return provider.kind }
        if let defaultProvider { return defaultProvider }
        // A custom endpoint is almost always OpenAI-compatible (Ollama, vLLM, llama.cpp).
        if baseURL != nil || settings[.openai]?.baseURL != nil { return .openai }
        throw LLMError(.config, "cannot tell which provider serves model '\(model)'; pass provider = \(ProviderRegistry.kindList), or set MOONWIRE_PROVIDER")
    }

    /// A `provider = NAME` option: a registered kind, or an argument error naming the choices.
    static func kind(named name: String, field: String, argument: Int32) throws -> ProviderKind {
        guard let kind = ProviderKind(rawValue: name) else {
            throw LuaArgumentError(argument: argument, "field '\(field)' must be \(ProviderRegistry.kindList), got \"\(name)\"")
        }
        return kind
    }

    public func model(_ explicit: String?) throws(LLMError) -> String {
        if let explicit { return explicit }
        if let defaultModel { return defaultModel }
        throw LLMError(.config, "no model given: pass model = \"...\" or set MOONWIRE_MODEL")
    }

    /// A provider for one call. A missing key names the variable to set; a
    /// loopback endpoint needs no key (local servers).
    public func provider(kind: ProviderKind, baseURL: String?, apiKey: String?, name: String? = nil,
                         headers: [(name: String, value: String)] = []) throws(LLMError) -> any ChatProvider {
        let base = baseURL ?? settings[kind]?.baseURL ?? kind.descriptor.defaultBaseURL
        guard base.hasPrefix("http://") || base.hasPrefix("https://") else {
            throw LLMError(.config, "base_url '\(base)' is not an http:// or https:// URL", provider: name ?? kind.rawValue)
        }
        if let problem = Secrets.headerProblem(base) {
            throw LLMError(.config, "base_url \(problem)", provider: name ?? kind.rawValue)
        }
        let key = apiKey ?? settings[kind]?.apiKey
        if let key {
            if let problem = Secrets.headerProblem(key) {
                throw LLMError(.config, "api_key \(problem)", provider: name ?? kind.rawValue)
            }
            Secrets.register(key)  // redacted by value wherever it travels
        }
        if key == nil && !Self.isLoopback(base) {
            let variable = kind.descriptor.keyVariables[0]
            throw LLMError(.auth, "\(variable) is not set: export \(variable)=... or pass api_key to llm.configure{ \(kind.rawValue) = { api_key = ... } }", provider: name ?? kind.rawValue)
        }
        // A call's or a client's own headers replace the configured ones of the same name.
        let given = Set(headers.map { $0.name.lowercased() })
        let merged = (settings[kind]?.headers ?? []).filter { !given.contains($0.name.lowercased()) } + headers
        let endpoint = ProviderEndpoint(baseURL: base, apiKey: key, headers: merged)
        return kind.descriptor.make(endpoint, name ?? kind.rawValue)
    }

    /// Which provider account a call reaches: kind, base URL and key (a
    /// hash, never the key itself). Plain calls share a route per endpoint.
    func endpointKey(kind: ProviderKind, baseURL: String?, apiKey: String?, headers: [(name: String, value: String)] = []) -> String {
        let base = baseURL ?? settings[kind]?.baseURL ?? kind.descriptor.defaultBaseURL
        let key = apiKey ?? settings[kind]?.apiKey ?? ""
        let extra = ((settings[kind]?.headers ?? []) + headers).map { "\($0.name)=\($0.value)" }.joined(separator: "\n")
        return "\(kind.rawValue) \(base) \(key.hashValue) \(extra.hashValue)"
    }

    static func isLoopback(_ url: String) -> Bool {
        guard let host = URLComponents(string: url)?.host?.lowercased() else { return false }
        return host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]"
    }
}
