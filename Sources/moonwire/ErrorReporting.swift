// The one place where an error becomes stderr text and an exit code:
// 0 success, 1 a script error, 64 a usage error (ArgumentParser's), 70 internal.
import ArgumentParser
import Foundation
import LLMCore

extension Moonwire {
    static func main() {
        do {
            let argv = CommandLine.arguments
            // Every credential in the environment is redacted wherever it travels.
            Secrets.register(EnvironmentSecrets.values(ProcessInfo.processInfo.environment))
            if LuaCommandLine.applies(to: argv) {
                try Run.runAsLua(argv)  // moonwire [options] [script [args]], as lua
                Foundation.exit(ExitHooks.failing ? 1 : 0)
            }
            var command = try parseAsRoot()
            try command.run()
            if ExitHooks.failing { Foundation.exit(1) }
        } catch let failure as ScriptFailure {
            printError("moonwire: \(failure.message)")
            Foundation.exit(1)
        } catch {
            exit(withError: error)
        }
    }

    static func printError(_ text: String) {
        fflush(nil)  // flush the script's own output before the error
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
