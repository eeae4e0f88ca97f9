// `moonwire run SCRIPT` as a child the test can press Ctrl-C at: the script
// creates a marker file when it is where the test wants the interrupt, the
// test sends SIGINT, then reads what the run printed. Every wait is bounded.
import Foundation
import TestSupport

final class InterruptibleRun {
    let marker = FileManager.default.temporaryDirectory.appendingPathComponent("moonwire-ctrl-c-\(UUID().uuidString)")
    private let process: ChildProcess

    /// `script` is given the marker's path; it creates that file to say "now".
    init(script: (String) -> String, environment: [String: String] = [:]) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("moonwire-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent("script.lua")
        try script(marker.path).write(to: url, atomically: true, encoding: .utf8)
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process = try ChildProcess(Repository.moonwireBinary.path, ["run", url.path], environment: env)
    }

    deinit {
        process.signal(SIGKILL)
        try? FileManager.default.removeItem(at: marker)
    }

    /// Waits (at most `timeout` seconds) for the script's marker.
    func waitForMarker(timeout: Double = 30) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        while Date() < deadline {
            if FileManager.default.fileExists(atPath: marker.path) { return true }
            if !process.isRunning { return false }
            usleep(10_000)
        }
        return false
    }

    func pressCtrlC() { process.signal(SIGINT) }

    /// Waits for the exit (killing the run after `timeout`); nil if it had to be killed.
    func finish(timeout: Double = 30) -> (status: Int32, stdout: String, stderr: String)? {
        guard process.waitForExit(timeout: timeout) else {
            process.signal(SIGKILL)
            return nil
        }
        let stdout = String(decoding: process.standardOutput!.readDataToEndOfFile(), as: UTF8.self)
        let stderr = String(decoding: process.standardError!.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, stdout, stderr)
    }
}
