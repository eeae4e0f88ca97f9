// `moonwire repl`: the interactive Lua REPL (also what `moonwire` does with no
// arguments on a terminal). From a pipe it reads chunks without prompts.
import ArgumentParser
import Foundation
import LLMCore
import LLMTransport

struct Repl: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start the interactive Lua REPL (the default with no arguments on a terminal).",
        discussion: """
            lua.c's REPL with the llm and json modules ready: expressions print their values, \
            incomplete chunks continue with '>> ', chat answers stream as they arrive, and Ctrl-C \
            stops a running call without leaving. Type .help inside for commands and keys. History \
            is kept in $XDG_STATE_HOME/moonwire/history (else ~/.local/state/moonwire/history).
            """
    )

    @Option(name: .customShort("l"), help: ArgumentHelp("Require module MOD first (as the global MOD).", valueName: "MOD"))
    var library: [String] = []

    @OptionGroup
    var memory: MemoryLimitOption

    @OptionGroup(title: "Record and replay")
    var cassetteOptions: CassetteOptions

    @OptionGroup(title: "Call log and metrics")
    var logging: CallLogOptions

    func run() throws {
        let env = ProcessInfo.processInfo.environment
        let (runtime, cassette) = try cassetteOptions.makeRuntime(environment: env, sibling: nil)
        try CallLogging.install(logging, on: runtime, environment: env, script: "(repl)", arguments: [],
                                offByDefault: cassette?.session.mode == CassetteMode.none)
        defer { ExitHooks.runAll() }
        let host = ScriptHost(scriptPath: nil, runtime: runtime)
        host.lua.memoryLimit = try memory.resolve(env)
        host.setArguments(script: nil, arguments: [])
        for module in library {
            try host.requireModule(module)
        }
        let session = InteractiveSession(host: host, runtime: runtime, cassette: cassette, speed: cassetteOptions.speed, environment: env)
        let status = session.run()
        host.reportCassette(session.cassette)
        if status != 0 { throw ExitCode(status) }
    }
}
