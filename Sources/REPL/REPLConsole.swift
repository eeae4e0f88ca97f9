// Where the REPL writes: results and streamed text on standard output, errors
// and status lines on standard error. TerminalConsole is the real one; tests
// give their own to capture what was written.
import Foundation

public protocol REPLConsole: AnyObject {
    /// Standard output: results and streamed text, shown at once.
    func write(_ bytes: [UInt8])
    /// Standard error: error messages and status lines.
    func writeError(_ bytes: [UInt8])
    /// Whether ANSI styling (dim) may be used on standard output.
    var styled: Bool { get }
    /// Columns available, for choosing between one-line and indented tables.
    var width: Int { get }
}

extension REPLConsole {
    func write(_ text: String) { write(Array(text.utf8)) }
    func writeError(_ text: String) { writeError(Array(text.utf8)) }
}

public final class TerminalConsole: REPLConsole {
    public let styled: Bool

    /// Dim text only on a terminal, and never when NO_COLOR is set (no-color.org).
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        styled = isatty(STDOUT_FILENO) != 0 && (environment["NO_COLOR"] ?? "").isEmpty
    }

    public func write(_ bytes: [UInt8]) {
        fflush(nil)  // what Lua's io.write buffered goes first
        Self.writeAll(STDOUT_FILENO, bytes)
    }

    public func writeError(_ bytes: [UInt8]) {
        fflush(nil)
        Self.writeAll(STDERR_FILENO, bytes)
    }

    public var width: Int {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    /// Writes everything, resuming after a signal (Ctrl-C interrupts writes:
    /// the handler is installed without SA_RESTART).
    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += n
        }
    }
}
