// The secret values Moonwire keeps out of cassettes: the API keys and
// MOONWIRE_SECRETS (comma-separated). The same set CassetteSetup redacts when
// recording, used here by `cassette import` and `serve`.

enum EnvironmentSecrets {
    static func values(_ env: [String: String]) -> [String] {
        ["ANTHROPIC_API_KEY", "OPENAI_API_KEY"].compactMap { env[$0] }
            + (env["MOONWIRE_SECRETS"] ?? "").split(separator: ",").map(String.init)
    }
}
