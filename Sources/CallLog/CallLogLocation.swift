// Where the call log lives and whether a run writes to it:
// MOONWIRE_LOG_DB=PATH, else $XDG_STATE_HOME/moonwire/logs.db, else
// ~/.local/state/moonwire/logs.db; MOONWIRE_LOG=off (or --no-log) turns
// writing off, MOONWIRE_LOG=on turns it on where it is off by default
// (`moonwire test`, replays).

public enum CallLogLocation {
    public static func path(environment env: [String: String]) -> String {
        if let p = env["MOONWIRE_LOG_DB"], !p.isEmpty { return p }
        if let state = env["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/moonwire/logs.db" }
        return (env["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? ".") + "/.local/state/moonwire/logs.db"
    }

    public enum Setting: Equatable {
        case on, off, byDefault
    }

    /// MOONWIRE_LOG's value; an unknown one is an error naming it.
    public static func setting(environment env: [String: String]) throws -> Setting {
        guard let raw = env["MOONWIRE_LOG"], !raw.isEmpty else { return .byDefault }
        switch raw.lowercased() {
        case "off", "0", "no", "false": return .off
        case "on", "1", "yes", "true": return .on
        default: throw CallLogSettingError(message: "MOONWIRE_LOG must be on or off, got '\(raw)'")
        }
    }
}

public struct CallLogSettingError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
