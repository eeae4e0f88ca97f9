// A REPLConsole that keeps what the REPL wrote, each write separately, so
// tests can see that streamed text arrived in pieces.
import REPL

final class CapturingConsole: REPLConsole {
    private(set) var writes: [[UInt8]] = []
    private(set) var errorBytes: [UInt8] = []
    var styled = false
    var width = 80

    func write(_ bytes: [UInt8]) { writes.append(bytes) }
    func writeError(_ bytes: [UInt8]) { errorBytes += bytes }

    var output: String { String(decoding: writes.joined(), as: UTF8.self) }
    var errors: String { String(decoding: errorBytes, as: UTF8.self) }
}
