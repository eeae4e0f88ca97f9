// One cassette in use: the session for a file and mode, on a loop with the
// right clock, recording through a live transport when the mode allows.
// Shared by --record/--replay/--cassette (CassetteOptions) and the REPL's
// .cassette command (InteractiveSession).
import LLMCore
import LLMTransport
import LLMProviders
import LuaLLM

enum CassetteSetup {
    /// Replay-only sessions at speed 0 run on a virtual clock: recorded waits
    /// cost no real time but stay exact. A replay needs no key, so providers
    /// without one get a placeholder in `configuration`.
    static func transport(
        path: String, mode: CassetteMode, speed: Double, faults: FaultPlan?,
        environment env: [String: String], configuration: LLMConfiguration
    ) throws -> CassetteTransport {
        let secrets = EnvironmentSecrets.values(env)
        let session: CassetteSession
        do {
            session = try CassetteSession(path: path, mode: mode, secrets: secrets, note: "recorded by moonwire \(Moonwire.version)")
        } catch {
            throw ScriptFailure(message: error.description)
        }
        session.warn = { Moonwire.printError("moonwire: warning: " + $0) }
        let replayOnly = !session.recordsMisses
        let loop = EventLoop(clock: replayOnly && speed == 0 ? VirtualClock() : MonotonicClock())
        let live = replayOnly ? nil : CurlTransport(loop: loop)
        if replayOnly {
            // No request may reach the network in a replay: a key is not needed.
            for kind in ProviderKind.allCases where configuration.settings[kind]?.apiKey == nil {
                configuration.settings[kind]?.apiKey = "replay-no-key"
            }
        }
        return CassetteTransport(session: session, loop: loop, live: live, speed: speed, faults: faults)
    }
}
