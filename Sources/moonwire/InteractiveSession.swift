// The REPL as the CLI starts it (`moonwire` on a terminal, `moonwire repl`,
// `moonwire -i`): libedit on a terminal with history under XDG_STATE_HOME,
// plain lines from a pipe, and the .cassette command, which swaps the
// runtime's transport the way --cassette sets it up (CassetteSetup).
import CallLog
import Foundation
import LLMTransport
import LLMProviders
import LuaLLM
import REPL

final class InteractiveSession {
    private let host: ScriptHost
    private let runtime: LLMRuntime
    private let speed: Double
    private let environment: [String: String]
    /// The cassette in use; the caller reports the last one when the session ends.
    private(set) var cassette: CassetteTransport?
    /// What `.cassette off` goes back to: the transport and provider settings
    /// from before the first cassette (a replay adds placeholder keys).
    private var liveTransport: (any HTTPTransport)?
    private var liveSettings: [ProviderKind: ProviderSettings]?

    init(host: ScriptHost, runtime: LLMRuntime, cassette: CassetteTransport?, speed: Double, environment: [String: String]) {
        self.host = host
        self.runtime = runtime
        self.cassette = cassette
        self.speed = speed
        self.environment = environment
        if cassette == nil {
            liveTransport = runtime.transport
        } else {
            liveSettings = LLMConfiguration(environment: environment).settings
        }
    }

    /// `-i` with standard input not a terminal: prompts anyway, as lua -i.
    var promptsWhenPiped = false

    /// Runs the REPL until Ctrl-D or .quit and returns its exit status.
    func run() -> Int32 {
        let terminal = isatty(STDIN_FILENO) != 0
        let reader: any LineReader
        if terminal {
            let history = HistoryFile.standard(environment: environment)
            history?.onError = { Moonwire.printError("moonwire: \($0)") }
            reader = EditlineReader(historyFile: history)
        } else {
            reader = StreamLineReader(showsPrompts: promptsWhenPiped)
        }
        let repl = REPL(
            lua: host.lua, runtime: runtime, reader: reader, console: TerminalConsole(environment: environment),
            commands: [cassetteCommand, logsCommand], options: REPL.Options(banner: terminal ? banner : nil, handleInterrupts: terminal))
        return repl.run()
    }

    private var banner: String {
        var parts = ["Moonwire \(Moonwire.version) (Lua 5.4)"]
        if let model = runtime.configuration.defaultModel { parts.append("model \(model)") }
        if let cassette { parts.append(Self.describe(cassette.session)) }
        parts.append(".help for help, Ctrl-D to leave")
        return parts.joined(separator: " · ")
    }

    private var cassetteCommand: REPLCommand {
        REPLCommand(
            name: "cassette", usage: ".cassette FILE [MODE]",
            summary: "record/replay llm calls with FILE (MODE: none, once, new, all; default once); .cassette off: live again"
        ) { [unowned self] words in try self.switchCassette(words) }
    }

    /// `.logs [N]`: the newest N calls of the call log (default 10), as `moonwire logs` shows them.
    private var logsCommand: REPLCommand {
        REPLCommand(name: "logs", usage: ".logs [N]", summary: "the newest N calls in the call log (default 10)") { [unowned self] words in
            guard words.count <= 1, let n = words.first.map({ Int($0) }) ?? 10, n > 0 else {
                throw REPLCommandError("usage: .logs [N], N a count from 1")
            }
            guard let path = self.runtime.callLogDatabase else { return "no call log" }
            self.runtime.callLogWriter?.flush()
            var filter = CallLogFilter()
            filter.limit = n
            do {
                return CallLogTable.terminal(try CallLogStore(path: path, create: false).calls(filter), width: Terminal.width)
            } catch {
                throw REPLCommandError("\(error)")
            }
        }
    }

    private func switchCassette(_ words: [String]) throws -> String {
        guard let path = words.first else {
            return cassette.map { Self.describe($0.session) } ?? "no cassette: calls go to the network"
        }
        guard runtime.liveTaskCount == 0 else {
            throw REPLCommandError("\(runtime.liveTaskCount) task(s) still running: wait for them (t:wait()) before switching the cassette")
        }
        if path == "off" && words.count == 1 {
            guard let current = cassette else { return "no cassette in use" }
            host.reportCassette(current)
            cassette = nil
            runtime.transport = liveTransport ?? CurlTransport(loop: EventLoop())
            if let liveSettings { runtime.configuration.settings = liveSettings }
            return "cassette off: calls go to the network"
        }
        guard words.count <= 2 else { throw REPLCommandError("usage: .cassette FILE [MODE] (a file name without spaces)") }
        let mode = try words.count == 2 ? Self.mode(words[1]) : .once
        let configuration = runtime.configuration
        let before = configuration.settings
        if cassette == nil {
            liveTransport = runtime.transport
            liveSettings = before
        }
        if let liveSettings { configuration.settings = liveSettings }  // drop a previous replay's placeholders
        let transport: CassetteTransport
        do {
            transport = try CassetteSetup.transport(
                path: path, mode: mode, speed: speed, faults: nil, environment: environment, configuration: configuration)
        } catch let failure as ScriptFailure {
            configuration.settings = before
            throw REPLCommandError(failure.message)
        }
        if let previous = cassette { host.reportCassette(previous) }
        cassette = transport
        runtime.transport = transport
        return Self.describe(transport.session)
    }

    private static func mode(_ word: String) throws -> CassetteMode {
        guard let mode = CassetteMode(rawValue: word) else {
            throw REPLCommandError("unknown cassette mode '\(word)' (none, once, new or all)")
        }
        return mode
    }

    static func describe(_ session: CassetteSession) -> String {
        let count = session.cassette.interactions.count
        switch (session.mode, session.replaying) {
        case (.none, _): return "replaying \(session.path) (\(count) interactions, offline)"
        case (.new, _): return "replaying \(session.path) (\(count) interactions), recording new calls"
        case (_, true): return "replaying \(session.path) (\(count) interactions)"
        case (_, false): return "recording to \(session.path)"
        }
    }
}
