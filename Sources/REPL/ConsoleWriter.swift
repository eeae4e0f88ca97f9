// The REPL's view of its console: it remembers whether the cursor is at the
// start of a line (for what the REPL itself wrote), so streamed text, results,
// errors and status lines never run into each other.

final class ConsoleWriter {
    let console: any REPLConsole
    private(set) var atLineStart = true
    /// A transient status line is showing on standard error.
    private var statusShown = false

    init(_ console: any REPLConsole) {
        self.console = console
    }

    func write(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        clearStatus()
        console.write(bytes)
        atLineStart = bytes.last == UInt8(ascii: "\n")
    }

    func write(_ text: String) { write(Array(text.utf8)) }

    /// Writes `text` as a whole line of its own.
    func line(_ text: String) {
        finishLine()
        write(text.hasSuffix("\n") ? text : text + "\n")
    }

    /// A dim line (when styling is allowed): the summary under an answer.
    func dimLine(_ text: String) {
        line(console.styled ? "\u{1B}[2m\(text)\u{1B}[0m" : text)
    }

    /// An error message on standard error, on a line of its own.
    func error(_ text: String) {
        finishLine()
        clearStatus()
        console.writeError(Array((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// Ends a line left open (a streamed answer with no final newline).
    func finishLine() {
        if !atLineStart { write("\n") }
    }

    /// Something else wrote on the line (the terminal echoing ^C).
    func cursorMoved() {
        atLineStart = false
    }

    /// Shows a one-line status on standard error, redrawn in place; nil clears it.
    func status(_ text: String?) {
        guard let text else { return clearStatus() }
        finishLine()
        let shown = console.styled ? "\u{1B}[2m\(text)\u{1B}[0m" : text
        console.writeError(Array("\r\u{1B}[K\(shown)".utf8))
        statusShown = true
    }

    private func clearStatus() {
        guard statusShown else { return }
        statusShown = false
        console.writeError(Array("\r\u{1B}[K".utf8))
    }
}
