// Whether a line on stderr can be redrawn in place (`\r` and erase-line): the
// wait indicator and llm.map's progress bar both ask.
import Foundation

enum StderrTerminal {
    static func canRedraw(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        isatty(STDERR_FILENO) != 0 && environment["TERM"] != "dumb"
    }
}
