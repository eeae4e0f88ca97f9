// `moonwire run`: runs a Lua script, `-e` chunks and `-l` modules the way
// `lua` does, with the `llm` and `json` modules ready.
import ArgumentParser
import CShims
import Foundation
import LLMCore
import LLMTransport
import REPL

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a Lua script (FILE, or - for standard input).",
        discussion: "Arguments after FILE reach the script as arg[1..n] and as `...`."
    )

    @Option(name: .customShort("e"), help: ArgumentHelp("Run the Lua chunk CODE before the script.", valueName: "CODE"))
    var execute: [String] = []

    @Option(name: .customShort("l"), help: ArgumentHelp("Require module MOD before the script (as the global MOD).", valueName: "MOD"))
    var library: [String] = []

    @Flag(name: .customShort("i"), help: "Enter the interactive REPL after running FILE and the -e chunks (as lua -i).")
    var interactive = false

    @Flag(name: .customShort("E"), help: "Ignore LUA_INIT*, LUA_PATH* and LUA_CPATH* (as lua -E).")
    var ignoreEnvironment = false

    @Flag(help: "Print the stats table of each llm.client, and of plain calls, on stderr at exit (os.exit included).")
    var stats = false

    @Flag(help: "No wait indicator on stderr (as NO_COLOR or MOONWIRE_QUIET).")
    var quiet = false

    @OptionGroup(title: "Call log and metrics")
    var logging: CallLogOptions

    @OptionGroup
    var memory: MemoryLimitOption

    @OptionGroup(title: "Record and replay")
    var cassetteOptions: CassetteOptions

    @Argument(help: ArgumentHelp("The script to run, then its arguments.", valueName: "FILE"))
    var script: String?

    @Argument(parsing: .captureForPassthrough, help: .hidden)
    var scriptArguments: [String] = []

    func run() throws {
        // Options parsed by ArgumentParser: every -l, then every -e.
        let steps = library.map { LuaCommandLine.Step.require(global: $0, module: $0) } + execute.map { .execute($0) }
        try execute(ScriptPlan(steps: steps, script: script, argumentCount: scriptArguments.count, interactive: interactive,
                               showVersion: false, ignoreEnvironment: ignoreEnvironment))
    }

    /// What to run, in order, whichever grammar read the command line.
    struct ScriptPlan {
        var steps: [LuaCommandLine.Step]
        var script: String?
        var argumentCount: Int
        var interactive: Bool
        var showVersion: Bool
        var ignoreEnvironment: Bool
    }

    /// `moonwire [options] [script [args]]` read as lua.c reads it, run with `run`'s defaults.
    static func runAsLua(_ argv: [String]) throws {
        let line: LuaCommandLine
        do { line = try LuaCommandLine.parse(argv) } catch {
            Moonwire.printError(error.message)
            throw ExitCode(1)
        }
        var script = line.scriptIndex.map { argv[$0] }
        if line.dashIsFile, script == "-" { script = "./-" }
        let count = line.scriptIndex.map { argv.count - $0 - 1 } ?? 0
        try Run.parse([]).execute(ScriptPlan(steps: line.steps, script: script, argumentCount: count, interactive: line.interactive,
                                             showVersion: line.showVersion, ignoreEnvironment: line.ignoreEnvironment))
    }

    func execute(_ plan: ScriptPlan) throws {
        let script = plan.script
        let env = ProcessInfo.processInfo.environment
        let sibling = script.flatMap { $0 == "-" ? nil : ScriptHost.siblingCassette(of: $0) }
        let (runtime, cassette) = try cassetteOptions.makeRuntime(environment: env, sibling: sibling)
        if quiet { runtime.configuration.quietWaits = true }
        try CallLogging.install(logging, on: runtime, environment: env, script: script ?? (plan.steps.isEmpty ? "(repl)" : "(command line)"),
                                arguments: RawArguments.trailing(count: plan.argumentCount).map { String(decoding: $0, as: UTF8.self) },
                                offByDefault: cassette?.session.mode == CassetteMode.none)
        let host = ScriptHost(scriptPath: script, runtime: runtime, ignoreEnvironment: plan.ignoreEnvironment)
        host.lua.memoryLimit = try memory.resolve(env)
        // Ctrl-C interrupts the script where it is (Lua code or a network
        // wait) with the error "interrupted"; llm.map keeps what finished.
        Interrupts.installHandler()
        Interrupts.installHook(host.lua)
        var cassetteInUse = cassette  // the REPL's .cassette may change it
        // Also when the script calls os.exit, which skips defers.
        let printStats = stats
        ExitHooks.add {
            host.reportCassette(cassetteInUse)
            if printStats { host.printStats() }
        }
        defer { ExitHooks.runAll() }
        // As lua.c: the error is reported while the state is open, and its
        // finalizers (__gc) run after the message, when the state closes.
        do {
            host.setArguments(script: script, arguments: RawArguments.trailing(count: plan.argumentCount))
            if plan.showVersion { print(LuaCommandLine.versionLine) }
            if !plan.ignoreEnvironment { try host.runLuaInit(env) }
            var executed = false
            for step in plan.steps {
                switch step {
                case .execute(let chunk):
                    try host.runChunk(chunk)
                    executed = true
                case .require(let global, let module):
                    try host.requireModule(module, as: global)
                case .warningsOn:
                    host.warningsOn()
                }
            }
            var startREPL = plan.interactive
            if let script {
                try host.runScript(path: script)
            } else if !executed && !plan.interactive && !plan.showVersion {
                // As lua (where -l does not count): the REPL on a terminal, else
                // standard input as a script.
                if isatty(STDIN_FILENO) != 0 {
                    startREPL = true
                } else {
                    try host.runScript(path: "-")
                }
            }
            if startREPL {
                let session = InteractiveSession(
                    host: host, runtime: runtime, cassette: cassette, speed: cassetteOptions.speed, environment: env)
                session.promptsWhenPiped = plan.interactive
                let status = session.run()
                cassetteInUse = session.cassette
                if status != 0 { throw ExitCode(status) }
            }
        } catch let failure as ScriptFailure {
            // As lua.c's report: the program's name as invoked (progname, argv[0]).
            Moonwire.printError("\(LuaCommandLine.programName): \(failure.message)")
            throw ExitCode(1)
        }
    }
}

/// The script's arguments as the bytes the shell passed: a non-UTF-8 argument
/// reaches Lua unchanged instead of repaired.
enum RawArguments {
    static func trailing(count: Int) -> [[UInt8]] {
        let argc = Int(CommandLine.argc)
        guard count > 0, count <= argc else { return [] }
        return (argc - count..<argc).map { i in
            guard let p = CommandLine.unsafeArgv[i] else { return [] }
            return Array(UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: strlen(p)))
        }
    }
}
