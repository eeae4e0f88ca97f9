// REPL: Moonwire's interactive Lua prompt, lua.c's read-eval-print loop with
// live streaming and Ctrl-C that stops the evaluation, not the session. Input
// comes through a LineReader: libedit on a terminal, a plain stream for piped
// input, a scripted list in tests.

/// What one read at the prompt produced.
public enum LineInput: Equatable, Sendable {
    /// A line without its newline, as bytes (the input need not be UTF-8).
    case line([UInt8])
    /// Ctrl-C at the prompt: drop whatever was typed so far.
    case interrupted
    /// Ctrl-D on an empty line, or the end of the input.
    case end
}

public protocol LineReader: AnyObject {
    /// Reads one line, showing `prompt` when a person is typing.
    func readLine(prompt: String) -> LineInput
    /// Records one complete chunk (possibly several lines) in the history.
    func addHistory(_ entry: String)
    /// The history, oldest first.
    var history: [String] { get }
    /// Tab completion: `complete(word)` returns the full words that may replace `word`.
    func setCompletion(_ complete: @escaping (String) -> [String])
}

extension LineReader {
    public func setCompletion(_ complete: @escaping (String) -> [String]) {}
}
