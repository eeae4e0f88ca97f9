// The `moonwire` command: parses the command line and hands each subcommand to
// its runner. ErrorReporting is the one place errors become text and exit codes.
import ArgumentParser

@main
struct Moonwire: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "moonwire",
        abstract: "Run Lua scripts with a fast, reliable client for LLM APIs.",
        discussion: """
            moonwire FILE [ARGS...] is short for moonwire run FILE [ARGS...].
            Modules are found in the script's folder, in MOONWIRE_PATH and in Moonwire's stdlib.
            """,
        version: version,
        subcommands: [Run.self, Repl.self, Test.self, CassetteCommand.self, Serve.self, Logs.self],
        defaultSubcommand: Run.self
    )
}
