// Starts a program with no signals blocked, default dispositions and no
// inherited descriptors (TestSupport.ChildProcess does the spawning). Test
// code runs on thread-pool threads that block most signals, and a child
// inherits that mask across fork and exec: a tmux server started through
// Foundation's Process (and every program it starts) would then never see
// SIGINT, SIGHUP or SIGCHLD.
import Foundation
import TestSupport

enum CleanSpawn {
    /// Runs `path arguments...` with standard streams on /dev/null and waits
    /// for it (a minute at most); returns its exit status.
    static func run(_ path: String, _ arguments: [String], environment: [String: String]) throws -> Int32 {
        let child = try ChildProcess(path, arguments, environment: environment, stdin: .null, stdout: .null, stderr: .null)
        guard child.waitForExit(timeout: 60) else {
            child.signal(SIGKILL)
            throw ChildProcessError("\(path) did not exit within 60 s")
        }
        return child.terminationStatus
    }
}
