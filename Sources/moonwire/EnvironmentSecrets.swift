// The secret values Moonwire keeps out of cassettes: the values of every
// registered provider's key variables and MOONWIRE_SECRETS (comma-separated). The same set CassetteSetup redacts when
// recording, used here by `cassette import` and `serve`.

import LLMProviders

enum EnvironmentSecrets {
    static func values(_ env: [String: String]) -> [String] {
        ProviderRegistry.keyVariables.compactMap { env[$0] }
            + (env["MOONWIRE_SECRETS"] ?? "").split(separator: ",").map(String.init)
    }
}
