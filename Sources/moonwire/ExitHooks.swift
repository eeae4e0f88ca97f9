// Work that must happen however the process ends: normally, or through the
// script's own `os.exit` (which calls C's exit and skips every Swift defer):
// `--stats` and the cassette report. Each hook runs once.
import Foundation

enum ExitHooks {
    nonisolated(unsafe) private static var hooks: [() -> Void] = []
    nonisolated(unsafe) private static var installed = false
    /// Set when the run must end non-zero although the script succeeded
    /// (a cassette that could not be saved).
    nonisolated(unsafe) static var failing = false

    /// Runs `body` at exit, or earlier when `runAll()` is called.
    static func add(_ body: @escaping () -> Void) {
        if !installed {
            installed = true
            atexit { ExitHooks.runAll() }
        }
        hooks.append(body)
    }

    static func runAll() {
        let pending = hooks
        hooks.removeAll()
        for hook in pending { hook() }
    }
}
