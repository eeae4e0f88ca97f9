// A `moonwire serve` child process for tests: started with its stdout on a
// pipe (never the test runner's), its port read from the first line with a
// bounded wait, and stopped with SIGTERM (SIGKILL if it does not go).
import Foundation
import TestSupport

final class ServeProcess {
    private let process: ChildProcess
    let port: Int
    /// The server's stderr (its per-request log), kept for failure messages.
    let logURL: URL

    var baseURL: String { "http://127.0.0.1:\(port)" }

    init(cassette: String, arguments: [String] = [], logDirectory: URL, startTimeout: TimeInterval = 60) throws {
        logURL = logDirectory.appendingPathComponent("serve-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)  // FileHandle(forWritingTo:) below fails if it could not
        var env = ProcessInfo.processInfo.environment
        if env["MOONWIRE_LOG"] == nil { env["MOONWIRE_LOG"] = "off" }
        process = try ChildProcess(Repository.moonwireBinary.path, ["serve", "--cassette", cassette] + arguments, environment: env,
                                   stdout: .pipe, stderr: .file(try FileHandle(forWritingTo: logURL)))

        let line = LineBox()
        let got = DispatchSemaphore(value: 0)
        let reader = process.standardOutput!
        DispatchQueue.global().async {
            var data = Data()
            while !data.contains(UInt8(ascii: "\n")) {
                let more = reader.availableData
                if more.isEmpty { break }  // the process ended
                data += more
            }
            line.text = String(decoding: data, as: UTF8.self)
            got.signal()
        }
        let timedOut = got.wait(timeout: .now() + startTimeout) == .timedOut
        let text = line.text
        guard !timedOut, let match = text.firstMatch(of: /serving .* on http:\/\/127\.0\.0\.1:(\d+)\n/), let port = Int(match.1) else {
            _ = Self.stop(process)
            let log = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
            throw ServeStartError(description: "moonwire serve did not print its port (stdout: \(text.debugDescription), stderr: \(log))")
        }
        self.port = port
    }

    /// SIGTERM, then the exit status; a server that outlives 20 s is killed (status -1).
    @discardableResult
    func stop() -> Int32 { Self.stop(process) }

    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    private static func stop(_ process: ChildProcess) -> Int32 {
        process.signal(SIGTERM)
        if !process.waitForExit(timeout: 20) {
            process.signal(SIGKILL)
            process.waitForExit(timeout: 10)
            return -1
        }
        return process.wasSignaled ? -1 : process.terminationStatus
    }
}

struct ServeStartError: Error, CustomStringConvertible {
    let description: String
}

/// The first stdout line, handed from the reading thread (locked: after a
/// timeout the test reads it while that thread may still write).
private final class LineBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value = ""
    var text: String {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
