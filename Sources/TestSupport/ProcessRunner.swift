// Runs the built `moonwire` binary (or any program) to completion with
// optional standard input, capturing output. Bounded: a run that outlives
// `timeout` is killed and reported, so a bug cannot hang the test suite.
import Foundation

public struct ProcessResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
    public let timedOut: Bool
}

public enum ProcessRunner {
    public static func moonwire(
        _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
        currentDirectory: URL? = nil, timeout: TimeInterval = 60
    ) throws -> ProcessResult {
        try run(Repository.moonwireBinary, arguments, stdin: stdin.map { Data($0.utf8) },
                environment: environment, currentDirectory: currentDirectory, timeout: timeout)
    }

    public static func run(
        _ executable: URL, _ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:],
        currentDirectory: URL? = nil, timeout: TimeInterval = 60
    ) throws -> ProcessResult {
        var env = ProcessInfo.processInfo.environment
        // Tests never write to the user's call log: on only where a test asks (MOONWIRE_LOG / MOONWIRE_LOG_DB).
        if environment["MOONWIRE_LOG"] == nil && environment["MOONWIRE_LOG_DB"] == nil { env["MOONWIRE_LOG"] = "off" }
        for (k, v) in environment { env[k] = v }
        let process = try ChildProcess(executable.path, arguments, environment: env, currentDirectory: currentDirectory?.path,
                                       stdin: stdin == nil ? .null : .pipe)
        if let stdin, let input = process.standardInput {
            // On a thread of its own: a child that writes before it reads must not deadlock with us.
            DispatchQueue.global().async {
                input.write(stdin)
                try? input.close()
            }
        }
        // Drain both pipes concurrently so a chatty child never blocks on a full pipe.
        let outBox = DataBox(), errBox = DataBox()
        let group = DispatchGroup()
        for (handle, box) in [(process.standardOutput, outBox), (process.standardError, errBox)] {
            guard let handle else { continue }
            group.enter()
            DispatchQueue.global().async {
                box.data = handle.readDataToEndOfFile()
                group.leave()
            }
        }
        let timedOut = group.wait(timeout: .now() + timeout) == .timedOut
        if timedOut {
            process.signal(SIGTERM)
            // A child that blocks or ignores SIGTERM is killed; a grandchild
            // still holding a pipe open must not hold the test either.
            if group.wait(timeout: .now() + 5) == .timedOut { process.signal(SIGKILL) }
            _ = group.wait(timeout: .now() + 5)
        }
        if !process.waitForExit(timeout: 10) {
            process.signal(SIGKILL)
            process.waitForExit(timeout: 10)
        }
        return ProcessResult(
            status: process.terminationStatus,
            stdout: outBox.text,
            stderr: errBox.text,
            timedOut: timedOut
        )
    }
}

/// Output handed from a reading thread (locked: after a timeout the caller
/// reads it while that thread may still be blocked in read).
private final class DataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value = Data()
    var data: Data {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
    var text: String { String(decoding: data, as: UTF8.self) }
}
