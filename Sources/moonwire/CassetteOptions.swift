// Record/replay options shared by `run` and `test`, and the runtime they make:
// live, recording, or replaying from a cassette in virtual time.
import ArgumentParser
import Foundation
import LLMCore
import LLMProviders
import LLMTransport
import LuaLLM

struct CassetteOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Record live calls to FILE (mode all).", valueName: "FILE"))
    var record: String?

    @Option(help: ArgumentHelp("Replay calls from FILE, offline (mode none).", valueName: "FILE"))
    var replay: String?

    @Option(help: ArgumentHelp("Use cassette FILE with --mode (default: MOONWIRE_CASSETTE).", valueName: "FILE"))
    var cassette: String?

    @Option(help: ArgumentHelp("none | once | new | all (default: MOONWIRE_RECORD_MODE, else once).", valueName: "MODE"))
    var mode: String?

    @Option(help: ArgumentHelp("Replay speed: 0 = instant in virtual time (the default here; `moonwire serve` defaults to 1), 1 = as recorded, N = N× faster.", valueName: "N"))
    var speed: Double = 0

    @Option(help: ArgumentHelp("Inject faults into replays, e.g. '429:30@1' or 'drop:3@2,503%0.2,seed=7'.", valueName: "SPEC"))
    var chaos: String?

    @Flag(help: "Call the real APIs even when a cassette sits beside the script.")
    var live = false

    func validate() throws {
        let chosen = [record, replay, cassette].compactMap { $0 }
        if chosen.count > 1 { throw ValidationError("choose one of --record, --replay and --cassette") }
        if let mode, CassetteMode(rawValue: mode) == nil {
            throw ValidationError("--mode must be one of none, once, new, all (got '\(mode)')")
        }
        if let problem = Self.speedProblem(speed) { throw ValidationError(problem) }
        if live && !chosen.isEmpty { throw ValidationError("--live cannot be combined with a cassette option") }
    }

    /// The cassette and mode in effect, if any. `sibling` is the cassette
    /// beside the script, used when no key is set.
    func selection(environment env: [String: String], sibling: String?, defaultMode: CassetteMode = .once) throws -> (path: String, mode: CassetteMode, announce: String?)? {
        if live { return nil }
        if let record { return (record, .all, nil) }
        if let replay { return (replay, .none, nil) }
        let envMode = env["MOONWIRE_RECORD_MODE"].flatMap { $0.isEmpty ? nil : $0 }
        let mode = try (self.mode ?? envMode).map { name -> CassetteMode in
            guard let m = CassetteMode(rawValue: name) else { throw ValidationError("MOONWIRE_RECORD_MODE must be none, once, new or all (got '\(name)')") }
            return m
        } ?? defaultMode
        if let path = cassette ?? env["MOONWIRE_CASSETTE"].flatMap({ $0.isEmpty ? nil : $0 }) { return (path, mode, nil) }
        let hasKey = ProviderRegistry.keyVariables.contains { !(env[$0] ?? "").isEmpty }
        if let sibling, !hasKey, FileManager.default.fileExists(atPath: sibling) {
            return (sibling, .none, "no API key set: replaying \(sibling) (use --live to call the API)")
        }
        return nil
    }

    /// A runtime for the selection: replay-only runs at speed 0 use a virtual
    /// clock, so recorded waits cost no real time but stay exact.
    func makeRuntime(environment env: [String: String], sibling: String?, defaultMode: CassetteMode = .once) throws -> (LLMRuntime, CassetteTransport?) {
        let configuration = LLMConfiguration(environment: env)
        guard let (path, mode, announce) = try selection(environment: env, sibling: sibling, defaultMode: defaultMode) else {
            if chaos != nil { throw ValidationError("--chaos needs a cassette to replay (--replay FILE)") }
            return (LLMRuntime(configuration: configuration), nil)
        }
        var faults: FaultPlan?
        if let chaos {
            do { faults = try FaultPlan(parsing: chaos) } catch { throw ValidationError(error.message) }
        }
        let transport = try CassetteSetup.transport(
            path: path, mode: mode, speed: speed, faults: faults, environment: env, configuration: configuration)
        if let announce { Moonwire.printError("moonwire: \(announce)") }
        return (LLMRuntime(transport: transport, configuration: configuration), transport)
    }
}

extension CassetteOptions {
    /// Why a --speed value cannot be used, or nil: 0 (no waits), or a factor
    /// from 0.001 (a thousand times slower) to 1000000 (issue 16).
    static func speedProblem(_ speed: Double) -> String? {
        if speed == 0 || (speed >= 0.001 && speed <= 1_000_000) { return nil }
        return "--speed must be 0 (no waits) or from 0.001 to 1000000, got \(speed)"
    }
}
