// A LineReader over a plain stream (standard input that is not a terminal, for
// `moonwire repl < session.lua`): no editing, no saved history, and prompts
// only when asked (`moonwire -i`, as lua -i prints them whatever stdin is).
import CShims
import Foundation

public final class StreamLineReader: LineReader {
    private let file: UnsafeMutablePointer<FILE>
    public private(set) var history: [String] = []

    /// Reads from `file` (C's stdin by default, which Lua's io.read shares);
    /// the file stays open.
    public init(file: UnsafeMutablePointer<FILE>? = nil, showsPrompts: Bool = false) {
        self.file = file ?? mw_stdin()
        self.showsPrompts = showsPrompts
    }

    private let showsPrompts: Bool

    public func readLine(prompt: String) -> LineInput {
        if showsPrompts {
            fputs(prompt, mw_stdout())
            fflush(mw_stdout())
        }
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        let count = getline(&buffer, &capacity, file)
        guard count >= 0, let buffer else { return .end }
        var bytes = Array(UnsafeRawBufferPointer(start: buffer, count: count))
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        return .line(bytes)
    }

    public func addHistory(_ entry: String) {
        history.append(entry)
    }
}
