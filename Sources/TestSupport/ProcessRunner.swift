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
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        // Tests never write to the user's call log: on only where a test asks (MOONWIRE_LOG / MOONWIRE_LOG_DB).
        if environment["MOONWIRE_LOG"] == nil && environment["MOONWIRE_LOG_DB"] == nil { env["MOONWIRE_LOG"] = "off" }
        for (k, v) in environment { env[k] = v }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = stdin == nil ? FileHandle.nullDevice : inPipe
        try process.run()
        if let stdin {
            inPipe.fileHandleForWriting.write(stdin)
            try? inPipe.fileHandleForWriting.close()
        }
        // Drain both pipes concurrently so a chatty child never blocks on a full pipe.
        let outBox = DataBox(), errBox = DataBox()
        let group = DispatchGroup()
        for (pipe, box) in [(outPipe, outBox), (errPipe, errBox)] {
            group.enter()
            DispatchQueue.global().async {
                box.data = pipe.fileHandleForReading.readDataToEndOfFile()
                group.leave()
            }
        }
        let timedOut = group.wait(timeout: .now() + timeout) == .timedOut
        if timedOut {
            process.terminate()
            // A child that blocks or ignores SIGTERM is killed; a grandchild
            // still holding a pipe open must not hold the test either.
            if group.wait(timeout: .now() + 5) == .timedOut, process.isRunning {
                kill(process.processIdentifier, SIGKILL)
            }
            _ = group.wait(timeout: .now() + 5)
        }
        let exitDeadline = Date(timeIntervalSinceNow: 10)
        while process.isRunning && Date() < exitDeadline { usleep(10_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
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
